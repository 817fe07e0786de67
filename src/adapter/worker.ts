/**
 * The Runtime API loop: next, handle, respond or fail, again. `AWS_LAMBDA_MAX_CONCURRENCY`
 * (Lambda Managed Instances) runs that many loops; each keeps its invocation in local variables
 * only, so nothing of one request can leak into another.
 *
 * @module
 */

import type { Outcome } from "./handler.ts";
import { describeError, ErrorType, InvocationError } from "../lambda/errors.ts";
import { getHeader } from "../http/types.ts";
import { type Invocation, parseInvocation } from "../lambda/invocation.ts";
import { type NextInvocation, type RuntimeApi, RuntimeApiError } from "../lambda/runtime_api.ts";
import type { Logger } from "../util/log.ts";

/** What a worker loop runs on. */
export interface WorkerDeps {
  readonly runtime: RuntimeApi;
  readonly handle: (invocation: Invocation) => Promise<Outcome>;
  readonly log: Logger;
  /** Aborting stops taking new invocations; the one in flight finishes. */
  readonly signal: AbortSignal;
}

const MAX_BACKOFF_MS = 1000;

/** Runs one loop until `signal` aborts. */
export async function runWorker(deps: WorkerDeps): Promise<void> {
  const { runtime, log, signal } = deps;
  let backoff = 0;
  while (!signal.aborted) {
    let next: NextInvocation;
    try {
      next = await runtime.next(signal);
      backoff = 0;
    } catch (error) {
      if (signal.aborted) break;
      // LWA ends its loop here and the sandbox is lost; a short backoff rides out a blip.
      backoff = Math.min(Math.max(10, backoff * 2), MAX_BACKOFF_MS);
      log.error("polling the Runtime API failed", {
        error: describeError(error),
        retryInMs: backoff,
      });
      await sleep(backoff, signal);
      continue;
    }
    await serve(next, deps);
  }
}

async function serve(next: NextInvocation, deps: WorkerDeps): Promise<void> {
  const requestId = getHeader(next.headers, "lambda-runtime-aws-request-id");
  const log = deps.log.with({ requestId });
  if (!requestId) {
    log.error("the Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id; skipped");
    return;
  }
  let outcome: Outcome;
  try {
    outcome = await deps.handle(parseInvocation(next.headers, next.payload));
  } catch (error) {
    const failure = error instanceof InvocationError
      ? error
      : new InvocationError(ErrorType.Internal, describeError(error));
    log.error("invocation failed", { errorType: failure.errorType, errorMessage: failure.message });
    outcome = { kind: "error", errorType: failure.errorType, errorMessage: failure.message };
  }
  try {
    if (outcome.kind === "response") await deps.runtime.respond(requestId, outcome.payload);
    else if (outcome.kind === "stream") {
      await deps.runtime.respondStream(requestId, outcome.body, outcome);
    } else await deps.runtime.fail(requestId, outcome);
  } catch (error) {
    log.error("reporting the result to the Runtime API failed", { error: describeError(error) });
    if (outcome.kind === "response" && error instanceof RuntimeApiError && error.status === 413) {
      await deps.runtime.fail(requestId, {
        errorType: ErrorType.ResponseTooLarge,
        errorMessage:
          `The Runtime API refused the ${outcome.payload.byteLength}-byte result as too large`,
      }).catch(() => {});
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
