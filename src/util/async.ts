/**
 * The project's one sleep, one abort race and one releasable timeout signal.
 *
 * `AbortSignal.timeout(ms)` is not used for work that can end early: V8 keeps each pending one
 * (about 600 B, its timer and its listeners) until it fires, so with a 15-minute function
 * timeout every invocation would leave one behind for 15 minutes (issue 9, point 5).
 *
 * @module
 */

/** The longest delay `setTimeout` takes; a longer one fires at once (the 32-bit overflow). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A clock the code reads instead of the real one, so tests can drive time. */
export interface Clock {
  /** Milliseconds since the epoch, as `Date.now()`. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now(), sleep };

/**
 * Resolves after `ms` milliseconds (clamped to what a timer can take). With `signal`, rejects
 * with its reason as soon as it aborts, and the timer is cleared.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, clampDelay(ms));
    signal?.addEventListener("abort", onAbort, { once: true });
    function done() {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
  });
}

/**
 * Settles as `promise` does, or rejects with the signal's reason when `signal` aborts first.
 * The listener is removed either way.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** A signal that aborts after a delay or with its parents, and that can be released early. */
export interface TimeoutSignal extends Disposable {
  readonly signal: AbortSignal;
  /** Clears the timer and the listeners on the parents; the signal stays as it is. */
  clear(): void;
}

/**
 * A signal that aborts with a `TimeoutError` `DOMException` after `ms` (clamped to what a timer
 * can take; at once when `ms` is not positive), or with the reason of the first of `parents` to
 * abort. `clear()` (or `using`) releases the timer and the listeners at once.
 */
export function timeoutSignal(ms: number, ...parents: AbortSignal[]): TimeoutSignal {
  const controller = new AbortController();
  const timedOut = () => new DOMException("Signal timed out.", "TimeoutError");
  if (!(ms > 0)) controller.abort(timedOut());
  const timer = setTimeout(() => {
    controller.abort(timedOut());
    clear();
  }, clampDelay(ms));
  const onParentAbort = (event: Event) => {
    controller.abort((event.target as AbortSignal).reason);
    clear();
  };
  for (const parent of parents) {
    if (parent.aborted) controller.abort(parent.reason);
    else parent.addEventListener("abort", onParentAbort, { once: true });
  }
  if (controller.signal.aborted) clear();
  function clear() {
    clearTimeout(timer);
    for (const parent of parents) parent.removeEventListener("abort", onParentAbort);
  }
  return { signal: controller.signal, clear, [Symbol.dispose]: clear };
}

/** A delay a timer can take: not negative, not NaN, at most {@link MAX_TIMER_MS}. */
export function clampDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}
