/**
 * How an invocation's outcome reads in the inspector: the Lambda result it keeps, and the
 * status the list shows (the HTTP status the result carries, or the errorType).
 *
 * @module
 */

import type { Outcome } from "../environments.ts";
import { timeoutText } from "../failures.ts";
import { CapturedBody, type LambdaResult } from "./record.ts";

/** How much of a result the inspector keeps. */
export const RESULT_LIMIT = 1024 * 1024;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** What the record takes from an outcome. */
export interface ReadOutcome {
  /** The result, stream or error kept; `undefined` when emulate stopped before one came. */
  readonly result: LambdaResult | undefined;
  /** The HTTP status the result carries (`ok` when it carries none), or the errorType. */
  readonly status: string;
  /** Whether it ended without an answer (see `InvocationRecord.failed`). */
  readonly failed: boolean;
  /** Whether the function answered with a response stream. */
  readonly streamed: boolean;
}

/** Reads `outcome` for the record; stream chunk times count from the runtime taking it. */
export function readOutcome(outcome: Outcome): ReadOutcome {
  switch (outcome.kind) {
    case "response": {
      const body = new CapturedBody(RESULT_LIMIT, outcome.body);
      const status = statusCodeOf(outcome.body) ?? "ok";
      return { result: { kind: "buffered", body }, status, failed: false, streamed: false };
    }
    case "stream":
      return readStream(outcome);
    case "error":
    case "failed":
      return readError(outcome);
    case "timeout": {
      const errorMessage = timeoutText(outcome.timeoutMs);
      const result: LambdaResult = {
        kind: "error",
        errorType: "Task timed out",
        errorMessage,
        body: new CapturedBody(RESULT_LIMIT, encoder.encode(errorMessage)),
      };
      return { result, status: "Task timed out", failed: true, streamed: false };
    }
    case "stopped":
      return { result: undefined, status: "stopped", failed: true, streamed: false };
  }
}

/** A response stream: its chunks, their times, and how it ended. */
function readStream(outcome: Extract<Outcome, { kind: "stream" }>): ReadOutcome {
  const result: LambdaResult = {
    kind: "stream",
    contentType: outcome.contentType,
    prelude: outcome.prelude,
    chunks: outcome.chunks.map((chunk) => ({
      bytes: chunk.bytes,
      atMs: chunk.at - outcome.timing.handedOutAt,
    })),
    bodyBytes: outcome.bodyBytes,
    trailers: [...outcome.trailers],
    ...(outcome.errorType === undefined ? {} : { errorType: outcome.errorType }),
    ...(outcome.errorMessage === undefined ? {} : { errorMessage: outcome.errorMessage }),
  };
  const prelude = outcome.prelude as { statusCode?: unknown } | undefined;
  const status = outcome.errorType ??
    (typeof prelude?.statusCode === "number" ? String(prelude.statusCode) : "ok");
  return { result, status, failed: outcome.errorType !== undefined, streamed: true };
}

/** An error the function reported, or an environment that failed (kept as Lambda reports it). */
function readError(outcome: Extract<Outcome, { kind: "error" | "failed" }>): ReadOutcome {
  const body = outcome.kind === "error" ? outcome.body : encoder.encode(
    JSON.stringify({ errorType: outcome.errorType, errorMessage: outcome.errorMessage }),
  );
  const { errorType, errorMessage } = outcome;
  const result: LambdaResult = {
    kind: "error",
    errorType,
    errorMessage,
    body: new CapturedBody(RESULT_LIMIT, body),
  };
  return { result, status: errorType, failed: true, streamed: false };
}

/** A result's `statusCode`, when it is a JSON object with one. */
function statusCodeOf(body: Uint8Array): string | undefined {
  if (body.byteLength > RESULT_LIMIT) return undefined;
  try {
    const parsed = JSON.parse(decoder.decode(body));
    const code = parsed?.statusCode;
    return typeof code === "number" || typeof code === "string" ? String(code) : undefined;
  } catch {
    return undefined;
  }
}
