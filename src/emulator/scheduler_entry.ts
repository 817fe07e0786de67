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
  /** The invocation. */
  readonly invocation: Invocation;
  /** Settles the caller's `invoke()`. */
  readonly resolve: (result: InvokeResult) => void;
  /** Rejects the caller's `invoke()` (its signal aborted, the emulator closed). */
  readonly reject: (reason: unknown) => void;
  /** Whether the caller has been answered. */
  settled: boolean;
  /** Whether it counts against the concurrency limit. */
  holdsSlot: boolean;
  /** Cancels the deadline timer, once handed out. */
  cancelTimer: (() => void) | undefined;
  /** The caller's signal. */
  readonly signal: AbortSignal | undefined;
  /** The listener on `signal`, removed when settled. */
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
