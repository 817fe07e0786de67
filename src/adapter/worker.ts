/**
 * The Runtime API loop: next, handle, respond or fail, again. `AWS_LAMBDA_MAX_CONCURRENCY`
 * (Lambda Managed Instances) runs that many loops; each keeps its invocation in local variables
 * only, so nothing of one request can leak into another.
 *
 * @module
 */

import type { InvocationHandler, Outcome } from "./handler.ts";
import { describeError, ErrorType, InvocationError } from "../lambda/errors.ts";
import { getHeader } from "../http/types.ts";
import { type Invocation, parseInvocation } from "../lambda/invocation.ts";
import {
  CALL_TIMEOUT_MS,
  type NextInvocation,
  type RuntimeApi,
  RuntimeApiError,
} from "../lambda/runtime_api.ts";
import { Backoff, type BackoffOptions } from "../util/backoff.ts";
import { RELEASE_AFTER_BYTES, releaseMemory } from "./memory.ts";
import type { Logger } from "../util/log.ts";

/** What a worker loop runs on. */
export interface WorkerDeps {
  /** The Runtime API client. */
  readonly runtime: RuntimeApi;
  /** Turns each invocation into an outcome. */
  readonly handle: InvocationHandler;
  /** Where failures of the loop are logged. */
  readonly log: Logger;
  /** Aborting stops taking new invocations; the one in flight finishes. */
  readonly signal: AbortSignal;
  /** Aborting cuts the invocation in flight short, its result post included. */
  readonly abort?: AbortSignal;
  /** How `/next` failures are retried before the Runtime API counts as gone. */
  readonly backoff?: BackoffOptions;
  /**
   * Called before polling again after an invocation that moved at least `RELEASE_AFTER_BYTES`
   * (event plus result): Lambda freezes the process once it polls, so memory not returned by
   * then stays held. @default releaseMemory
   */
  readonly release?: () => void;
}

const EMPTY = new Uint8Array(0);

/** How a worker loop ended. */
export type WorkerEnd = { kind: "stopped" } | { kind: "gone"; error: unknown };

/**
 * Runs one loop until `signal` aborts. A failing `/next` is retried with bounded backoff (LWA
 * ends its loop and loses the sandbox); once the Runtime API has been away past the bound the
 * loop ends with `gone`, so the adapter can exit saying why.
 */
export async function runWorker(deps: WorkerDeps): Promise<WorkerEnd> {
  const { runtime, log, signal } = deps;
  const backoff = new Backoff(deps.backoff);
  while (!signal.aborted) {
    let next: NextInvocation;
    try {
      next = await runtime.next(signal);
      backoff.succeeded();
    } catch (error) {
      if (signal.aborted) break;
      const delayMs = backoff.failed();
      if (delayMs === undefined) return { kind: "gone", error };
      log.error("polling the Runtime API failed", {
        error: describeError(error),
        retryInMs: delayMs,
      });
      await backoff.wait(delayMs, signal).catch(() => {});
      continue;
    }
    const moved = await serve(next, deps);
    if (moved >= RELEASE_AFTER_BYTES) (deps.release ?? releaseMemory)();
  }
  return { kind: "stopped" };
}

/** Serves one invocation; resolves to the bytes it moved (event and result). */
async function serve(next: NextInvocation, deps: WorkerDeps): Promise<number> {
  const requestId = getHeader(next.headers, "lambda-runtime-aws-request-id");
  const log = deps.log.with({ requestId });
  if (!requestId) {
    log.error("the Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id; skipped");
    return next.payload.byteLength;
  }
  let invocation: Invocation | undefined;
  let outcome: Outcome;
  const eventBytes = next.payload.byteLength;
  try {
    invocation = parseInvocation(next.headers, next.payload);
    next.payload = EMPTY;
    outcome = await deps.handle(invocation, deps.abort);
  } catch (error) {
    const failure = error instanceof InvocationError
      ? error
      : new InvocationError(ErrorType.Internal, describeError(error));
    log.error("invocation failed", { errorType: failure.errorType, errorMessage: failure.message });
    outcome = { kind: "error", errorType: failure.errorType, errorMessage: failure.message };
  }
  const moved = eventBytes + (outcome.kind === "response" ? outcome.payload.byteLength : 0);
  try {
    await post(requestId, outcome, invocation, deps);
  } catch (error) {
    log.error("reporting the result to the Runtime API failed", { error: describeError(error) });
    if (outcome.kind === "response" && error instanceof RuntimeApiError && error.status === 413) {
      await deps.runtime.fail(requestId, {
        errorType: ErrorType.ResponseTooLarge,
        errorMessage:
          `The Runtime API refused the ${outcome.payload.byteLength}-byte result as too large`,
      }, { signal: deps.abort }).catch(() => {});
    }
  }
  return outcome.kind === "stream" ? moved + (outcome.sent?.() ?? 0) : moved;
}

/** Posts the outcome; a stream may take until the invocation's deadline, plus the call bound. */
function post(
  requestId: string,
  outcome: Outcome,
  invocation: Invocation | undefined,
  deps: WorkerDeps,
): Promise<void> {
  const { runtime, abort } = deps;
  if (outcome.kind === "response") {
    return runtime.respond(requestId, outcome.payload, { signal: abort });
  }
  if (outcome.kind === "error") return runtime.fail(requestId, outcome, { signal: abort });
  const remainingMs = Math.max(0, (invocation?.deadlineMs ?? 0) - Date.now());
  return runtime.respondStream(requestId, outcome.body, {
    contentType: outcome.contentType,
    trailers: outcome.trailers,
    signal: abort,
    timeoutMs: remainingMs + CALL_TIMEOUT_MS,
  });
}
