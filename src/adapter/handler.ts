/**
 * Handles one invocation, the counterpart of LWA's `Adapter::fetch_response`:
 *
 * 1. parse the payload as JSON and detect the event source;
 * 2. convert the event to a request (base path stripped, pass-through path for non-HTTP events);
 * 3. add the adapter's headers and drop client copies of them;
 * 4. wait for the app if async init left it unready;
 * 5. send the request with the invocation's deadline as the timeout;
 * 6. fail the invocation if the status is in `AWS_LWA_ERROR_STATUS_CODES`;
 * 7. stream the answer (response_stream mode, for sources that can stream), or read it and
 *    shape the result for the source; compress either way when enabled.
 *
 * Any failure becomes an error outcome for this invocation alone. No Runtime API I/O here.
 *
 * @module
 */

import { buildAppRequest } from "./app_request.ts";
import { failureOf } from "./app_errors.ts";
import { bufferedResult, MAX_BUFFERED_PAYLOAD } from "./buffered_result.ts";
import type { Zlib } from "./compression.ts";
import type { AdapterConfig } from "../config/config.ts";
import { ERROR_MESSAGE_LIMIT, ErrorType, InvocationError } from "../lambda/errors.ts";
import { type ConvertOptions, eventToParts } from "../events/convert.ts";
import { type Detected, detectSource } from "../events/detect.ts";
import { parseEventPayload, releaseBody } from "../events/event_json.ts";
import { BodyTooLargeError, readPrefix } from "../http/read_body.ts";
import type { HeaderList, HttpClient, OutgoingRequest } from "../http/types.ts";
import type { Invocation } from "../lambda/invocation.ts";
import { timeoutSignalOn } from "../util/async.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { truncateUtf8 } from "../util/bytes.ts";
import type { LogFields, Logger } from "../util/log.ts";
import type { ReadinessGate } from "./readiness_gate.ts";
import { statusMatches } from "../config/status_codes.ts";
import { streamedResult } from "./streamed_result.ts";

export { MAX_BUFFERED_PAYLOAD };

/** How much of an error-status body is read; the message is cut to a few KiB anyway. */
const ERROR_BODY_LIMIT = 16 * 1024;
/** Finish a little before Lambda's deadline, so the error report still reaches it. */
const DEADLINE_MARGIN_MS = 25;

/** What the worker posts back: a result, a stream, or an error report. */
export type Outcome =
  | { kind: "response"; payload: Uint8Array; status: number }
  | {
    kind: "stream";
    body: ReadableStream<Uint8Array>;
    contentType: string;
    trailers: () => HeaderList;
    status: number;
    /** Body bytes passed on so far. */
    sent?: () => number;
  }
  | { kind: "error"; errorType: string; errorMessage: string };

/** What the handler is built from. */
export interface HandlerDeps {
  /** The adapter's settings. */
  readonly config: AdapterConfig;
  /** The settings event conversion reads (`convertOptions(config)`). */
  readonly convert: ConvertOptions;
  /** The client to the app. */
  readonly client: HttpClient;
  /** Where failures are logged; each line gets the request id. */
  readonly log: Logger;
  /** Whether the app is ready, and a wait for it (async init). */
  readonly readiness: ReadinessGate;
  /** `node:zlib`, present when compression is on. */
  readonly zlib?: Zlib | undefined;
  /** The clock the deadline is read and timed on. @default systemClock */
  readonly clock?: Clock;
}

/** Sources whose answer Lambda can stream to the caller. */
const STREAMABLE = new Set<Detected["source"]>(["apiGatewayV1", "apiGatewayV2"]);

const utf8Lossy = new TextDecoder();
const EMPTY = new Uint8Array(0);

/**
 * Handles one invocation; `abort` cuts it short (the adapter's shutdown grace is over).
 * Never rejects: every failure becomes an error outcome.
 */
export type InvocationHandler = (invocation: Invocation, abort?: AbortSignal) => Promise<Outcome>;

/** Creates the per-invocation handler. */
export function createInvocationHandler(deps: HandlerDeps): InvocationHandler {
  const { config, convert, client, readiness, clock = systemClock } = deps;
  const zlib = config.enableCompression ? deps.zlib : undefined;
  const streams = streamingChoice(config);

  return async function handle(invocation, abort) {
    const log = deps.log.with({ requestId: invocation.requestId });
    // Only debug lines report durations; `performance.now()` is a call into the runtime.
    const started = log.enabled("debug") ? performance.now() : undefined;
    const budgetMs = Math.max(0, invocation.deadlineMs - clock.epochMs() - DEADLINE_MARGIN_MS);
    // Released as soon as the invocation ends: a pending timer lives until it fires, and a
    // 15-minute function timeout would keep one per invocation for 15 minutes (issue 9).
    const deadline = timeoutSignalOn(clock, budgetMs, ...(abort ? [abort] : []));
    const signal = deadline.signal;
    let target = "";
    let streaming = false;
    try {
      const { detected, request } = convertEvent(invocation, { config, convert, log });
      target = `${request.method} ${request.target}`;
      if (!readiness.ready) await readiness.wait(signal);
      signal.throwIfAborted();
      const response = await client(request, signal);
      // The writer keeps what it still has to send; nothing here needs the body again.
      request.body = null;
      if (config.errorStatusCodes && statusMatches(config.errorStatusCodes, response.status)) {
        throw await errorStatus(response.status, response.body);
      }
      const fields = { source: detected.source, request: target, status: response.status };
      if (streams(detected, log)) {
        const outcome = streamedResult(request, response, {
          zlib,
          classify: (error) => failureOf(error, signal, budgetMs),
        });
        streaming = true;
        outcome.done.then((end) => {
          deadline.clear();
          logStreamEnd(log, fields, end, started);
        });
        return outcome;
      }
      const payload = await bufferedResult(detected, request, response, { convert, zlib });
      if (started !== undefined) {
        log.debug("invocation done", { ...fields, durationMs: elapsedMs(started) });
      }
      return { kind: "response", payload, status: response.status };
    } catch (error) {
      return failedOutcome(error, signal, budgetMs, log, target);
    } finally {
      if (!streaming) deadline.clear();
    }
  };
}

/** Streams only where Lambda can; explains the fallback once per source. */
function streamingChoice(config: AdapterConfig): (detected: Detected, log: Logger) => boolean {
  const explained = new Set<string>();
  return (detected, log) => {
    if (config.invokeMode !== "response_stream") return false;
    if (isStreamable(detected)) return true;
    if (!explained.has(detected.source)) {
      explained.add(detected.source);
      log.info(
        `${detected.source} events cannot be streamed (only Function URLs, REST APIs and ` +
          "direct InvokeWithResponseStream calls can); answering them with a buffered result",
      );
    }
    return false;
  };
}

/** A failed stream is an error line; a good one a debug line, when `started` timed it. */
function logStreamEnd(
  log: Logger,
  fields: LogFields,
  { bytes, error }: { bytes: number; error: InvocationError | undefined },
  started: number | undefined,
): void {
  if (error) log.error("stream failed", { ...fields, bytes, errorType: error.errorType });
  else if (started !== undefined) {
    log.debug("invocation streamed", { ...fields, bytes, durationMs: elapsedMs(started) });
  }
}

function elapsedMs(started: number): number {
  return Math.round(performance.now() - started);
}

/** The failure as this invocation's error outcome, logged with the request it came from. */
function failedOutcome(
  error: unknown,
  signal: AbortSignal,
  budgetMs: number,
  log: Logger,
  target: string,
): Outcome {
  const failure = error instanceof BodyTooLargeError
    ? new InvocationError(
      ErrorType.ResponseTooLarge,
      `The app's response body is over ${error.limit} bytes, more than Lambda's limit for ` +
        "a buffered response; set AWS_LWA_INVOKE_MODE=response_stream to stream responses " +
        "of up to 200 MB",
    )
    : failureOf(error, signal, budgetMs);
  log.error("invocation failed", {
    request: target || undefined,
    errorType: failure.errorType,
    errorMessage: failure.message,
  });
  return { kind: "error", errorType: failure.errorType, errorMessage: failure.message };
}

/**
 * REST APIs (streaming since November 2025) and Function URLs can stream. An HTTP API event has
 * the Function URL shape, but HTTP APIs invoke without streaming: a streamed answer would reach
 * them as raw prelude bytes, so only events from a `lambda-url` domain stream.
 */
function isStreamable(detected: Detected): boolean {
  if (!STREAMABLE.has(detected.source) || detected.source === "passThrough") return false;
  if (detected.source === "apiGatewayV1") return true;
  const context = detected.event["requestContext"] as Record<string, unknown>;
  const domain = context["domainName"];
  return typeof domain === "string" && domain.includes(".lambda-url.");
}

/**
 * The event as a request to the app. Synchronous, so nothing it made but the result outlives
 * it: the payload, its text and the event's body string are garbage once it returns (a large
 * body is held once, as the request's bytes), and the invocation gives up its payload.
 */
function convertEvent(
  invocation: Invocation,
  deps: { config: AdapterConfig; convert: ConvertOptions; log: Logger },
): { detected: Detected; request: OutgoingRequest } {
  const payload = invocation.payload;
  invocation.payload = EMPTY;
  const detected = detectSource(parseEventPayload(payload));
  const { parts, requestContext } = eventToParts(detected, payload, deps.convert);
  if (detected.source !== "passThrough") releaseBody(detected.event);
  const request = buildAppRequest(parts, requestContext, invocation, deps);
  return { detected, request };
}

/**
 * The app's status and body in the message, in LWA's format (LWA#609, LWA#668). The body is cut
 * so that the whole message stays valid JSON within the error message limit.
 */
async function errorStatus(status: number, body: ReadableStream<Uint8Array>) {
  let text: string;
  try {
    const prefix = await readPrefix(body, ERROR_BODY_LIMIT);
    text = utf8Lossy.decode(prefix.bytes);
    if (prefix.more) text += "… [the rest of the body was not read]";
  } catch {
    text = "(body could not be read)";
  }
  const room = ERROR_MESSAGE_LIMIT - JSON.stringify({ statusCode: status, body: "" }).length - 64;
  const json = JSON.stringify({ statusCode: status, body: truncateUtf8(text, room) });
  return new InvocationError(ErrorType.ErrorStatus, json);
}
