/**
 * Builds an invocation handler and the invocations it handles, for the adapter's unit tests.
 *
 * @module
 */

import { createInvocationHandler, type InvocationHandler } from "../../src/adapter/handler.ts";
import type { ReadinessGate } from "../../src/adapter/readiness_gate.ts";
import { convertOptions, loadConfig } from "../../src/config/config.ts";
import type { HttpClient } from "../../src/http/types.ts";
import type { Invocation } from "../../src/lambda/invocation.ts";
import type { Clock } from "../../src/util/clock.ts";
import { createLogger } from "../../src/util/log.ts";

const encoder = new TextEncoder();

/** A gate for an app that is ready from the start. */
export const READY: ReadinessGate = { ready: true, wait: () => Promise.resolve() };

/** What a handler under test is built with besides its client. */
export interface HandlerSetup {
  /** `AWS_LWA_*` settings on top of a Runtime API address. */
  readonly env?: Record<string, string>;
  readonly readiness?: ReadinessGate;
  readonly zlib?: typeof import("node:zlib");
  readonly clock?: Clock;
}

/** A handler sending its requests to `client`, and the log lines it writes. */
export function handlerFor(
  client: HttpClient,
  setup: HandlerSetup = {},
): { handle: InvocationHandler; lines: string[] } {
  const { config } = loadConfig({ AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001", ...setup.env });
  const lines: string[] = [];
  const handle = createInvocationHandler({
    config,
    convert: convertOptions(config),
    client,
    log: createLogger({ write: (line) => lines.push(line) }),
    readiness: setup.readiness ?? READY,
    zlib: setup.zlib,
    ...(setup.clock ? { clock: setup.clock } : {}),
  });
  return { handle, lines };
}

/** An invocation of `event` (a string is sent as it is), due in 3 s unless overridden. */
export function invocation(event: unknown, overrides: Partial<Invocation> = {}): Invocation {
  return {
    requestId: "req-1",
    deadlineMs: Date.now() + 3000,
    invokedFunctionArn: "arn",
    traceId: undefined,
    clientContext: null,
    cognitoIdentity: null,
    tenantId: undefined,
    payload: encoder.encode(typeof event === "string" ? event : JSON.stringify(event)),
    ...overrides,
  };
}

/** A client that never answers: it rejects with the signal's reason once the signal aborts. */
export const hangingClient: HttpClient = (_request, signal) =>
  new Promise((_resolve, reject) => {
    signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
