/**
 * Reads the echo app's `/_/events/{n}/{key}` stream live through the emulator, confirming each
 * whole event to the app before it writes the next. The app cannot get ahead of the reader, so
 * an event the adapter held back (buffered, or kept in a compressor) would stall the stream
 * until its deadline: arrival one by one is proved by order, never by the time between events.
 *
 * @module
 */

import type { InvokeResult } from "../../src/emulator/mod.ts";
import { concatBytes } from "../../src/util/bytes.ts";
import type { Stack } from "../harness.ts";

const decoder = new TextDecoder();

/** What the test read live, beside the emulator's own record of the stream. */
export interface AckedEvents {
  readonly result: InvokeResult;
  /** The whole events, in the order they became readable. */
  readonly events: string[];
  /** Every body byte, as sent (compressed, if it was). */
  readonly body: Uint8Array;
  /** Why the live body ended in an error (the runtime's error trailers, a deadline), if it did. */
  readonly bodyError: unknown;
}

/**
 * Invokes `event` (whose path is `/_/events/{n}/{key}`) on `stack`, confirms the first `confirm`
 * events (all by default) as each becomes whole in `decode(bytes so far)`, and resolves once
 * the invocation ends.
 */
export async function invokeAckedEvents(
  stack: Stack,
  event: Record<string, unknown>,
  key: string,
  options: { confirm?: number; decode?: (received: Uint8Array) => string } = {},
): Promise<AckedEvents> {
  const { confirm = Number.POSITIVE_INFINITY, decode = (bytes) => decoder.decode(bytes) } = options;
  const chunks: Uint8Array[] = [];
  let events: string[] = [];
  let reading: Promise<void> = Promise.resolve();
  let bodyError: unknown;
  const ack = async () => {
    const answer = await fetch(`http://127.0.0.1:${stack.appPort}/_/ack/${key}`);
    await answer.body?.cancel();
  };
  const result = await stack.emulator.invoke(event, {
    onStream: (stream) => {
      reading = (async () => {
        let confirmed = 0;
        for await (const chunk of stream.body) {
          chunks.push(chunk);
          events = wholeEvents(decode(concatBytes(chunks)));
          while (confirmed < Math.min(events.length, confirm)) {
            await ack();
            confirmed++;
          }
        }
      })().catch((error) => void (bodyError = error));
    },
  });
  await reading;
  return { result, events, body: concatBytes(chunks), bodyError };
}

function wholeEvents(text: string): string[] {
  return text.split("\n\n").slice(0, -1);
}
