/**
 * Invocations as the emulator's scheduler and extension registry hold them, for their unit
 * tests.
 *
 * @module
 */

import type { InvocationSpec } from "../../src/emulator/invocation_spec.ts";
import type { Invocation } from "../../src/emulator/scheduler.ts";

/** The spec `invoke()` would build for an empty event with `requestId`. */
export function invocationSpec(requestId: string, timeoutMs = 1000): InvocationSpec {
  return {
    requestId,
    payload: new Uint8Array(),
    timeoutMs,
    traceId: "Root=1-0-0",
    invokedFunctionArn: "arn",
    clientContext: undefined,
    cognitoIdentity: undefined,
    tenantId: undefined,
    headerOverrides: [],
    keepStreamBody: true,
    onStream: undefined,
    liveStream: "body",
  };
}

/** That invocation once handed out to the runtime. */
export function runningInvocation(requestId: string): Invocation {
  return {
    ...invocationSpec(requestId),
    phase: "running",
    deadlineMs: 42,
    timing: { queuedAt: 0, handedOutAt: 0, completedAt: 0 },
    pendingExtensions: 0,
  };
}
