/**
 * The init phase of the execution environment and `waitForInit()`.
 *
 * @module
 */

import { type Clock, systemClock } from "../util/clock.ts";
import { EmulatorClosedError } from "./types.ts";

/** The init phase's state and waiters. */
export interface InitPhase {
  /** Whether init has completed. */
  readonly done: boolean;
  /** Milliseconds from `startedAt` to completion; `undefined` until done. */
  readonly durationMs: number | undefined;
  /** Marks init complete and wakes the waiters. */
  complete(): void;
  /** Init failed (an init error was posted): current and later `wait()` calls reject. */
  fail(error: Error): void;
  /** Resolves when init completes; rejects on failure, timeout or close. */
  wait(): Promise<{ durationMs: number }>;
  /** Rejects the waiters: the emulator is closing. */
  close(): void;
}

interface Waiter {
  resolve: (value: { durationMs: number }) => void;
  reject: (reason: Error) => void;
}

/**
 * Creates the init phase clock. `describePending` explains in a timeout error what is still
 * missing. The timeout timer exists only while someone waits, so an emulator nobody waits on
 * holds no timer. `startedAt` is a `clock.now()` reading.
 */
export function createInitPhase(
  startedAt: number,
  timeoutMs: number,
  describePending: () => string,
  clock: Clock = systemClock,
): InitPhase {
  let done = false;
  let durationMs: number | undefined;
  let failure: Error | undefined;
  let cancelTimer: (() => void) | undefined;
  const waiters: Waiter[] = [];

  function stopTimer(): void {
    cancelTimer?.();
    cancelTimer = undefined;
  }

  function rejectAll(error: Error): void {
    stopTimer();
    for (const waiter of waiters.splice(0)) waiter.reject(error);
  }

  function timeoutError(): Error {
    return new Error(`Init did not complete within ${timeoutMs} ms: ${describePending()}`);
  }

  return {
    get done() {
      return done;
    },
    get durationMs() {
      return durationMs;
    },
    complete() {
      if (done) return;
      done = true;
      durationMs = clock.now() - startedAt;
      stopTimer();
      for (const waiter of waiters.splice(0)) waiter.resolve({ durationMs });
    },
    fail(error) {
      if (done || failure) return;
      failure = error;
      rejectAll(error);
    },
    wait() {
      if (durationMs !== undefined) return Promise.resolve({ durationMs });
      if (failure) return Promise.reject(failure);
      const remaining = startedAt + timeoutMs - clock.now();
      if (remaining <= 0) return Promise.reject(timeoutError());
      return new Promise((resolve, reject) => {
        waiters.push({ resolve, reject });
        cancelTimer ??= clock.timer(remaining, () => rejectAll(timeoutError()));
      });
    },
    close() {
      if (done) return;
      failure ??= new EmulatorClosedError("The emulator closed before init completed");
      rejectAll(failure);
    },
  };
}
