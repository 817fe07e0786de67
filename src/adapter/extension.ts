/**
 * The adapter's life as a Lambda extension: register, then wait for `SHUTDOWN`.
 *
 * Registering is what makes Lambda run the adapter beside the app, send the app SIGTERM at
 * shutdown and allow a shutdown phase (LWA#202). It subscribes to SHUTDOWN only: an INVOKE
 * subscription would add a round trip per invocation. A blip on the Extensions API (a 500, a
 * reset, a bad answer, a short outage) is ridden out with bounded backoff; LWA exits at once on
 * any of them, dropping the invocation in flight (issue 9, point 6).
 *
 * @module
 */

import type { HttpClient } from "../http/types.ts";
import {
  ExtensionApiError,
  nextExtensionEvent,
  registerExtension,
} from "../lambda/extension_api.ts";
import { describeError } from "../lambda/errors.ts";
import { CALL_TIMEOUT_MS } from "../lambda/runtime_api.ts";
import { timeoutSignal } from "../util/async.ts";
import { Backoff, type BackoffOptions } from "../util/backoff.ts";
import type { Logger } from "../util/log.ts";

/** How the extension loop ended. */
export type ExtensionEnd =
  /** Lambda sent SHUTDOWN; `deadlineMs` is when it will kill the process. */
  | { kind: "shutdown"; reason: string; deadlineMs: number | undefined }
  /** The adapter was stopped (a signal) before any of that. */
  | { kind: "stopped" }
  /** The Extensions API refused the adapter or stayed away past the backoff's bound. */
  | { kind: "gone"; error: unknown };

/** What the extension loop runs on. */
export interface ExtensionDeps {
  /** The client to the Extensions API. */
  readonly client: HttpClient;
  /** The API's path prefix (`/2020-01-01/extension`). */
  readonly basePath: string;
  /** Lambda requires the executable's file name in /opt/extensions. */
  readonly name: string;
  /** Where failures and the SHUTDOWN event are logged. */
  readonly log: Logger;
  /** Aborting ends the loop with `stopped`. */
  readonly signal: AbortSignal;
  /** How long registration and polling are retried. */
  readonly backoff?: BackoffOptions;
  /** Called once registration has succeeded. */
  readonly onRegistered?: (id: string) => void;
}

/** Registers, then waits for SHUTDOWN; resolves with how it ended, never rejects. */
export async function runExtension(deps: ExtensionDeps): Promise<ExtensionEnd> {
  const backoff = new Backoff(deps.backoff);
  try {
    const id = await register(deps, backoff);
    if (typeof id !== "string") return id;
    deps.onRegistered?.(id);
    return await awaitShutdown(deps, backoff, id);
  } catch (error) {
    if (deps.signal.aborted) return { kind: "stopped" };
    return { kind: "gone", error };
  }
}

async function register(deps: ExtensionDeps, backoff: Backoff): Promise<string | ExtensionEnd> {
  const options = { basePath: deps.basePath, name: deps.name, events: ["SHUTDOWN"] };
  for (;;) {
    try {
      using bound = timeoutSignal(CALL_TIMEOUT_MS, deps.signal);
      return await registerExtension(deps.client, options, bound.signal);
    } catch (error) {
      if (deps.signal.aborted) return { kind: "stopped" };
      // A refusal (Lambda checks the name) will not change on a retry.
      if (isRefusal(error)) return { kind: "gone", error };
      if (!(await retry(deps, backoff, "registering as an extension", error))) {
        return { kind: "gone", error };
      }
    }
  }
}

async function awaitShutdown(
  deps: ExtensionDeps,
  backoff: Backoff,
  id: string,
): Promise<ExtensionEnd> {
  const options = { basePath: deps.basePath, id };
  while (!deps.signal.aborted) {
    let event;
    try {
      event = await nextExtensionEvent(deps.client, options, deps.signal);
      backoff.succeeded();
    } catch (error) {
      if (deps.signal.aborted) break;
      if (!(await retry(deps, backoff, "waiting for the next extension event", error))) {
        return { kind: "gone", error };
      }
      continue;
    }
    if (event.eventType === "SHUTDOWN") {
      const shutdown = event as { shutdownReason?: unknown; deadlineMs?: unknown };
      const deadlineMs = Number(shutdown.deadlineMs);
      return {
        kind: "shutdown",
        reason: String(shutdown.shutdownReason ?? "unknown"),
        deadlineMs: Number.isFinite(deadlineMs) && deadlineMs > 0 ? deadlineMs : undefined,
      };
    }
  }
  return { kind: "stopped" };
}

/** Logs a failed call and waits; false once the API has been away past the bound. */
async function retry(deps: ExtensionDeps, backoff: Backoff, what: string, error: unknown) {
  const delayMs = backoff.failed();
  if (delayMs === undefined) return false;
  deps.log.warn(`the Extensions API failed while ${what}; retrying`, {
    error: describeError(error),
    retryInMs: delayMs,
  });
  await backoff.wait(delayMs, deps.signal);
  return true;
}

function isRefusal(error: unknown): boolean {
  return error instanceof ExtensionApiError && error.status >= 400 && error.status < 500 &&
    error.status !== 429;
}
