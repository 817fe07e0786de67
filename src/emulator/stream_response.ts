/**
 * Receives a streaming response (`Lambda-Runtime-Function-Response-Mode: streaming`) the way
 * Lambda does: the chunked body is read as it arrives, with no 6 MB cap; with the HTTP
 * integration content type its JSON prelude and 8 NUL bytes are split off; every body chunk is
 * timed on arrival; and an error the function hit midway is read from the chunked trailers
 * (AWS Lambda "Response streaming" for custom runtimes).
 *
 * @module
 */

import { streamErrorFields } from "./error_fields.ts";
import { concatBytes } from "../util/bytes.ts";
import { type BodyPiece, PreludeSplitter } from "./prelude_splitter.ts";
import type { StreamResult } from "./scheduler.ts";
import { HTTP_INTEGRATION_CONTENT_TYPE, type ResponseStream, type StreamChunk } from "./types.ts";

/** How to receive one stream. */
export interface StreamOptions {
  /** Keep the body bytes in the result (else only sizes and times). */
  keepBody: boolean;
  /** Receives the body live; the result's body is then empty. */
  onStream: ((stream: ResponseStream) => void) | undefined;
  /** The live body carries the prelude and its NULs too, as the runtime sent them. */
  whole: boolean;
  /** Aborts when the invocation ends before the body does (deadline, emulator closed). */
  stopped: AbortSignal;
  /** The clock that times each chunk's arrival. */
  now: () => number;
}

/** The `errorType` of a stream whose body broke off (connection lost, bad chunk framing). */
export const STREAM_INTERRUPTED = "Emulator.StreamInterrupted";

/** A prelude is a small JSON document; past this without 8 NULs, there is none to find. */
const MAX_PRELUDE_BYTES = 1024 * 1024;
const decoder = new TextDecoder();

/** Whether the runtime asked for a streaming response. */
export function isStreamingResponse(headers: Headers): boolean {
  return headers.get("Lambda-Runtime-Function-Response-Mode")?.trim().toLowerCase() ===
    "streaming";
}

/**
 * Reads the stream to its end. Resolves `undefined` when `options.stopped` fires first; the
 * rest of the body is then left for the transport to drain.
 */
export async function receiveStream(
  request: Request,
  trailers: Promise<Headers>,
  options: StreamOptions,
): Promise<StreamResult | undefined> {
  const headers = new Headers(request.headers);
  const contentType = headers.get("Content-Type") ?? "";
  const receiver = new StreamReceiver(contentType, request.body?.getReader(), options);
  if (!await receiver.readAll()) return undefined;
  return await receiver.result(headers, contentType, trailers);
}

/** One stream on its way in: what has arrived so far, and the live body it feeds. */
class StreamReceiver {
  readonly #options: StreamOptions;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  readonly #splitter: PreludeSplitter | undefined;
  readonly #live: LiveStream | undefined;
  readonly #keep: boolean;
  readonly #kept: Uint8Array[] = [];
  readonly #chunks: StreamChunk[] = [];
  #bodyBytes = 0;
  #interrupted: { error: unknown } | undefined;
  #halted = false;

  constructor(
    contentType: string,
    reader: ReadableStreamDefaultReader<Uint8Array> | undefined,
    options: StreamOptions,
  ) {
    const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
    this.#options = options;
    this.#reader = reader;
    this.#splitter = mediaType === HTTP_INTEGRATION_CONTENT_TYPE
      ? new PreludeSplitter(MAX_PRELUDE_BYTES)
      : undefined;
    this.#live = options.onStream ? openLive(options.onStream, contentType) : undefined;
    if (!this.#splitter) this.#live?.setPrelude(undefined);
    this.#keep = options.keepBody && !this.#live;
  }

  // Stopping cancels the read in flight (it then ends as done) and the live body's pending
  // write, so the read loop notices at once without racing every read against the signal.
  readonly #halt = (): void => {
    this.#halted = true;
    this.#reader?.cancel(this.#options.stopped.reason).catch(() => {});
    this.#live?.fail(this.#options.stopped.reason);
  };

  /** Reads the body to its end; `false` when the invocation stopped it first. */
  async readAll(): Promise<boolean> {
    const { stopped } = this.#options;
    if (stopped.aborted) this.#halt();
    else stopped.addEventListener("abort", this.#halt, { once: true });
    try {
      await this.#readChunks();
      if (!this.#halted) await this.#endPrelude();
    } finally {
      stopped.removeEventListener("abort", this.#halt);
      this.#reader?.releaseLock();
    }
    return !this.#halted;
  }

  async #readChunks(): Promise<void> {
    const reader = this.#reader;
    while (reader && !this.#halted) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        this.#interrupted = { error };
        return;
      }
      const at = this.#options.now();
      if (next.done || this.#halted) return;
      await this.#take({ bytes: next.value, at });
    }
  }

  /** One chunk as it arrived: the prelude split off it while one is sought. */
  async #take(piece: BodyPiece): Promise<void> {
    const splitter = this.#splitter;
    const searching = splitter?.searching;
    const pieces = splitter ? splitter.push(piece) : [piece];
    if (searching && splitter?.prelude) this.#live?.setPrelude(parsePrelude(splitter.prelude));
    this.#record(pieces);
    await this.#feed(this.#options.whole ? [piece.bytes] : pieces.map((body) => body.bytes));
  }

  /** What the splitter still holds once the body has ended. */
  async #endPrelude(): Promise<void> {
    if (!this.#splitter) return;
    const rest = this.#splitter.end();
    this.#record(rest);
    if (!this.#options.whole) await this.#feed(rest.map((body) => body.bytes));
  }

  #record(pieces: BodyPiece[]): void {
    for (const { bytes, at } of pieces) {
      this.#chunks.push({ bytes: bytes.length, at });
      this.#bodyBytes += bytes.length;
      if (this.#keep) this.#kept.push(bytes);
    }
  }

  async #feed(parts: Uint8Array[]): Promise<void> {
    for (const bytes of parts) {
      if (this.#halted || !this.#live) return;
      await this.#live.write(bytes);
    }
  }

  /** The stream as received, once its trailers have come; ends the live body. */
  async result(
    headers: Headers,
    contentType: string,
    trailers: Promise<Headers>,
  ): Promise<StreamResult> {
    const prelude = parsePrelude(this.#splitter?.prelude);
    let interrupted = this.#interrupted;
    let received = new Headers();
    if (!interrupted) {
      received = await trailers.catch((error) => (interrupted = { error }, received));
    }
    const errorFields = interrupted
      ? { errorType: STREAM_INTERRUPTED, errorMessage: describe(interrupted.error) }
      : streamErrorFields(received);
    this.#live?.end(prelude, errorFields.errorType === undefined ? undefined : errorFields);
    return {
      kind: "stream",
      headers,
      contentType,
      prelude,
      body: concatBytes(this.#kept),
      bodyBytes: this.#bodyBytes,
      chunks: this.#chunks,
      trailers: received,
      firstByteAt: this.#chunks[0]?.at,
      ...errorFields,
    };
  }
}

/** Parses the prelude as JSON, leniently: `undefined` when absent or not JSON. */
function parsePrelude(bytes: Uint8Array | undefined): unknown {
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The `onStream` side: a body the caller reads live, with backpressure. */
interface LiveStream {
  setPrelude(value: unknown): void;
  /** Resolves when the consumer is ready for more (or has gone away). */
  write(bytes: Uint8Array): Promise<void>;
  /** The runtime's body ended; with `error` (from the trailers) the live body errors. */
  end(prelude: unknown, error: { errorType?: string; errorMessage?: string } | undefined): void;
  fail(reason: unknown): void;
}

function openLive(onStream: (stream: ResponseStream) => void, contentType: string): LiveStream {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const prelude = Promise.withResolvers<unknown>();
  let open = true;
  const fail = (reason: unknown) => {
    prelude.resolve(undefined);
    if (open) writer.abort(reason).catch(() => {});
    open = false;
  };
  try {
    onStream({ contentType, prelude: prelude.promise, body: readable });
  } catch (error) {
    // A throwing callback must not break the invocation; its stream is simply not fed.
    fail(error);
  }
  return {
    setPrelude: (value) => prelude.resolve(value),
    async write(bytes) {
      if (!open) return;
      try {
        await writer.ready;
        writer.write(bytes).catch(() => {});
      } catch {
        // The consumer cancelled the body: keep counting, stop feeding.
        open = false;
      }
    },
    end(value, error) {
      prelude.resolve(value);
      if (error) return fail(new Error(`${error.errorType}: ${error.errorMessage}`));
      // Not awaited: the invocation ends with the runtime's body, however slow the reader.
      if (open) writer.close().catch(() => {});
      open = false;
    },
    fail,
  };
}
