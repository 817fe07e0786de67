/**
 * Stopping in two steps. First stop taking invocations and let those in flight finish; then,
 * once the grace period is over, cut whatever still runs, the result posts included, so the
 * process exits before Lambda kills it. A Runtime API call that never answers can therefore
 * never keep the adapter alive (issue 9, point 7).
 *
 * @module
 */

import { schedule } from "../util/timers.ts";

/**
 * Lambda allows extensions about 2 s after SIGTERM before SIGKILL (LWA#202); end a little
 * before that.
 */
export const SIGNAL_GRACE_MS = 1800;
/** Margin kept before a SHUTDOWN event's deadline. */
const DEADLINE_MARGIN_MS = 200;

/** The adapter's shutdown state, shared by everything that must stop. */
export class Shutdown {
  #stopping = new AbortController();
  #abort = new AbortController();
  #cancelTimer: (() => void) | undefined;
  #exitCode = 0;
  #reason: string | undefined;

  /** Aborts when the adapter stops taking invocations. */
  get stopping(): AbortSignal {
    return this.#stopping.signal;
  }

  /** Aborts when the grace period is over: everything still running is cut short. */
  get abort(): AbortSignal {
    return this.#abort.signal;
  }

  /** The exit code: 0, or 1 once a failure began the shutdown. */
  get exitCode(): number {
    return this.#exitCode;
  }

  /** Why the shutdown began, or undefined while running. */
  get reason(): string | undefined {
    return this.#reason;
  }

  /**
   * Begins the shutdown (the first call wins, but a failure's exit code always sticks).
   *
   * @param graceMs how long invocations in flight may go on
   * @param exitCode 1 when a failure is the cause
   */
  begin(reason: string, graceMs: number, exitCode = 0): void {
    if (exitCode !== 0) this.#exitCode = exitCode;
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#stopping.abort(new DOMException(`Shutting down: ${reason}`, "AbortError"));
    this.#cancelTimer = schedule(graceMs, () => {
      this.#abort.abort(new DOMException(`Shutdown grace over: ${reason}`, "AbortError"));
    });
  }

  /** Cancels the grace timer. */
  dispose(): void {
    this.#cancelTimer?.();
  }
}

/** The grace before a SHUTDOWN event's deadline, or the signal grace without one. */
export function graceUntil(deadlineMs: number | undefined, now = Date.now()): number {
  if (deadlineMs === undefined) return SIGNAL_GRACE_MS;
  return Math.max(0, Math.min(deadlineMs - now - DEADLINE_MARGIN_MS, 60_000));
}
