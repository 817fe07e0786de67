/**
 * The scheduler's types: invocations as it tracks them, what the runtime posts, and its hooks.
 * Kept apart so the state machine in `scheduler.ts` stays readable.
 *
 * @module
 */

import type { InvocationSpec } from "./invocation_spec.ts";
import type { InvokeResult, InvokeTiming } from "./types.ts";

/** Where an invocation is in its life; "streaming" is running with a response under way. */
export type InvocationPhase = "queued" | "running" | "streaming" | "responded" | "timedOut";

/** One invocation as the scheduler tracks it. */
export interface Invocation extends InvocationSpec {
  /** Where it is in its life. */
  phase: InvocationPhase;
  /** Epoch milliseconds reported as `Lambda-Runtime-Deadline-Ms`; set at hand-out. */
  deadlineMs: number;
  /** When it was queued, handed out and completed. */
  readonly timing: InvokeTiming;
  /** INVOKE subscribers that have not yet come back to `/extension/event/next`. */
  pendingExtensions: number;
}

/** A finished streaming response, as `InvokeResult` has it minus what the scheduler adds. */
export type StreamResult =
  & Omit<Extract<InvokeResult, { kind: "stream" }>, "requestId" | "timing">
  & {
    firstByteAt: number | undefined;
  };

/** What the runtime posted for an invocation. */
export type RuntimeResult =
  | { kind: "response"; body: Uint8Array; headers: Headers }
  | StreamResult
  | {
    kind: "error";
    errorType: string;
    errorMessage: string;
    body: Uint8Array;
    headers: Headers;
  };

/** Whether a request id can take a result now, and if not, why. */
export type ResultOutcome = "accepted" | "unknown" | "alreadyCompleted" | "timedOut";

/** A running invocation a streaming response has claimed, so no other post can complete it. */
export interface StreamClaim {
  /** The invocation claimed. */
  readonly invocation: Invocation;
  /** Aborts when the deadline passes or the emulator closes before `complete()`. */
  readonly stopped: AbortSignal;
  /** Completes the invocation with the finished stream. */
  complete(result: StreamResult): ResultOutcome;
}

/** Hooks the scheduler calls; `environment.ts` wires them to extensions and logging. */
export interface SchedulerHooks {
  /** False while the init phase is running: invocations wait for it, as in Lambda. */
  canHandOut(): boolean;
  /** Called at hand-out; returns how many extensions must acknowledge the INVOKE event. */
  onHandOut(invocation: Invocation): number;
  /** Called once when the invocation's outcome is known. */
  onOutcome(invocation: Invocation, result: InvokeResult): void;
}
