/**
 * Bounded waits on a condition, for states a test cannot be told about directly (a counter in
 * the emulator, processes in the system's table). Each polls with the project's one `sleep`,
 * never assumes a state was reached because time passed, and fails when the bound runs out.
 *
 * @module
 */

import { sleep } from "../../src/util/async.ts";

/**
 * Calls `probe` every `everyMs` until `done` accepts its value or `timeoutMs` has passed.
 *
 * @returns the last value and whether `done` accepted it
 */
export async function pollUntil<T>(
  probe: () => T | Promise<T>,
  done: (value: T) => boolean,
  options: { timeoutMs: number; everyMs: number },
): Promise<{ value: T; met: boolean }> {
  const end = performance.now() + options.timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return { value, met: true };
    if (performance.now() > end) return { value, met: false };
    await sleep(options.everyMs);
  }
}

/** Resolves once `predicate()` holds, polling every few milliseconds for at most `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const { met } = await pollUntil(predicate, Boolean, { timeoutMs, everyMs: 2 });
  if (!met) throw new Error(`Condition not met within ${timeoutMs} ms: ${predicate}`);
}

/** Returns a probe telling whether `promise` has settled yet (for "still waiting" assertions). */
export function settledFlag(promise: Promise<unknown>): () => boolean {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  return () => settled;
}
