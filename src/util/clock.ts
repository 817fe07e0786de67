/**
 * Time and timers behind one interface, so code whose subject is time (deadlines, init limits,
 * arrival times) can be tested with a clock the test moves, never by waiting.
 *
 * @module
 */

import { schedule } from "./timers.ts";

/** A source of time and timers. */
export interface Clock {
  /** Milliseconds on a monotonic clock, as `performance.now()` reads them. */
  now(): number;
  /** Milliseconds since the epoch, as `Date.now()` reads them. */
  epochMs(): number;
  /** Calls `callback` once `ms` have passed; the returned function cancels it. */
  timer(ms: number, callback: () => void): () => void;
}

/** The real clock: `performance.now()`, `Date.now()` and the shared timers (timers.ts). */
export const systemClock: Clock = {
  now: () => performance.now(),
  epochMs: () => Date.now(),
  timer: schedule,
};
