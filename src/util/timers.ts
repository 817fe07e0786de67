/**
 * Timers for the adapter, without the global `setTimeout`.
 *
 * In Deno 2.9 the first call to the global `setTimeout` (or `setInterval`) loads the Node
 * compatibility timers, which costs 12 to 20 ms: a cold start's whole budget. The platform's
 * `AbortSignal.timeout` does not, so every timer here shares one: it is armed for the earliest
 * timer due, and a timer that ends early just leaves the set. An armed signal cannot be
 * cancelled, but its listener can be removed, and Deno keeps the process alive for a timeout
 * signal only while it has an "abort" listener: a signal left behind (re-armed earlier, or its
 * timers all cancelled) loses its listener, so a cancelled 15-minute deadline does not hold the
 * process open for 15 minutes. This is also cheaper per timer than `setTimeout` and
 * `clearTimeout`: an invocation's deadline usually arms nothing, because an earlier one is
 * already armed.
 *
 * @module
 */

/** The longest delay a timer takes; longer ones are clamped (the 32-bit overflow). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

interface Timer {
  at: number;
  fire: () => void;
}

const timers = new Set<Timer>();
let armedAt = Number.POSITIVE_INFINITY;
let armedSignal: AbortSignal | undefined;

/**
 * Calls `fire` once `ms` have passed (clamped to what a timer can take; at once, but never
 * synchronously, when not positive).
 *
 * @returns a function that cancels the timer
 */
export function schedule(ms: number, fire: () => void): () => void {
  const timer: Timer = { at: performance.now() + clampDelay(ms), fire };
  timers.add(timer);
  if (timer.at < armedAt) arm(timer.at);
  return () => {
    if (timers.delete(timer) && timers.size === 0) disarm();
  };
}

/** A delay a timer can take: not negative, not NaN, at most {@link MAX_TIMER_MS}. */
export function clampDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}

function arm(at: number): void {
  disarm();
  armedAt = at;
  const delay = Math.max(0, Math.ceil(at - performance.now()));
  armedSignal = AbortSignal.timeout(delay);
  armedSignal.addEventListener("abort", tick, { once: true });
}

function disarm(): void {
  armedSignal?.removeEventListener("abort", tick);
  armedSignal = undefined;
  armedAt = Number.POSITIVE_INFINITY;
}

/** Fires every timer due, then arms for the earliest left. */
function tick(): void {
  armedSignal = undefined;
  armedAt = Number.POSITIVE_INFINITY;
  const now = performance.now();
  const due: Timer[] = [];
  let next = Number.POSITIVE_INFINITY;
  for (const timer of timers) {
    if (timer.at <= now) due.push(timer);
    else if (timer.at < next) next = timer.at;
  }
  for (const timer of due) timers.delete(timer);
  if (next < armedAt) arm(next);
  // A late tick finds several due: they fire in the order they fell due, as timers must.
  due.sort((a, b) => a.at - b.at);
  for (const timer of due) timer.fire();
}
