/**
 * The real clock with late timers, for end-to-end tests whose subject is the adapter's own
 * handling of a deadline. The emulator on this clock announces the real deadline
 * (`Lambda-Runtime-Deadline-Ms`) but enforces it only `lateMs` later, so the adapter's report,
 * sent just before the deadline, never races the emulator's own timeout on a loaded machine.
 * An adapter that failed to report at all still gets the emulator's timeout, `lateMs` late.
 *
 * @module
 */

import { type Clock, systemClock } from "../../src/util/clock.ts";

/** The emulator's own timeouts in those tests: late enough that no load makes them win. */
export const LATE_MS = 20_000;

/** `systemClock`, with every timer firing `lateMs` after it is due. */
export function lateClock(lateMs = LATE_MS): Clock {
  return {
    now: systemClock.now,
    epochMs: systemClock.epochMs,
    timer: (ms, callback) => systemClock.timer(ms + lateMs, callback),
  };
}
