/**
 * The scheduler's record of one invocation: the invocation, its caller, and what holds it
 * (a concurrency slot, a deadline timer, a streaming response).
 *
 * @module
 */

import type { InvocationSpec } from "./invocation_spec.ts";
import type { Invocation } from "./scheduler_types.ts";
import type { InvokeResult } from "./types.ts";

/** One invocation with its caller and what holds it. */
export interface Entry {
  readonly invocation: Invocation;
  readonly resolve: (result: InvokeResult) => void;
  readonly reject: (reason: unknown) => void;
  settled: boolean;
  holdsSlot: boolean;
  cancelTimer: (() => void) | undefined;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /** Set while a streaming response holds the invocation. */
  stream: AbortController | undefined;
}

/** A queued entry for `spec`, queued at `queuedAt`. */
export function createEntry(
  spec: InvocationSpec,
  queuedAt: number,
  caller: Pick<Entry, "resolve" | "reject" | "signal">,
): Entry {
  return {
    invocation: {
      ...spec,
      phase: "queued",
      deadlineMs: 0,
      timing: { queuedAt, handedOutAt: 0, completedAt: 0 },
      pendingExtensions: 0,
    },
    ...caller,
    settled: false,
    holdsSlot: false,
    cancelTimer: undefined,
    onAbort: undefined,
    stream: undefined,
  };
}
