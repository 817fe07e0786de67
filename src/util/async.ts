/**
 * The project's one sleep, one abort race, one wait for an abort and one releasable timeout
 * signal.
 *
 * `AbortSignal.timeout(ms)` is not used for work that can end early: V8 keeps each pending one
 * (about 600 B, its timer and its listeners) until it fires, so with a 15-minute function
 * timeout every invocation would leave one behind for 15 minutes (issue 9, point 5). Timers come
 * from the shared scheduler in timers.ts, which also keeps the global `setTimeout` (12 ms to
 * load) off the cold start.
 *
 * @module
 */

import { type Clock, systemClock } from "./clock.ts";

export { clampDelay, MAX_TIMER_MS } from "./timers.ts";

/**
 * Resolves after `ms` milliseconds on `clock`. With `signal`, rejects with its reason as soon as
 * it aborts, and the timer is cancelled.
 *
 * @example
 * ```ts
 * import { sleep } from "./async.ts";
 *
 * const stop = new AbortController();
 * await sleep(10, stop.signal);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal, clock: Clock = systemClock): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const cancel = clock.timer(ms, done);
    signal?.addEventListener("abort", onAbort, { once: true });
    function done() {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      cancel();
      reject(signal!.reason);
    }
  });
}

/**
 * Settles as `promise` does, or rejects with the signal's reason when `signal` aborts first.
 * The listener is removed either way.
 *
 * @example
 * ```ts
 * import { raceAbort } from "./async.ts";
 *
 * const stop = new AbortController();
 * const answer = await raceAbort(fetch("http://127.0.0.1:8080/"), stop.signal);
 * ```
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Resolves (never rejects) once `signal` aborts; at once if it already has. */
export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true })
  );
}

/** A signal that aborts after a delay or with its parents, and that can be released early. */
export interface TimeoutSignal extends Disposable {
  /** Aborts when the time is up or a parent aborts. */
  readonly signal: AbortSignal;
  /** Cancels the timer and the link to the parents; the signal stays as it is. */
  clear(): void;
}

/**
 * Children waiting on each parent signal. A parent gets one listener, however many children
 * come and go: an invocation's deadline links to the adapter's shutdown signal without adding
 * and removing a listener every time.
 */
const children = new WeakMap<AbortSignal, Set<AbortController>>();

/**
 * A signal that aborts with a `TimeoutError` `DOMException` after `ms` (at once when `ms` is not
 * positive), or with the reason of the first of `parents` to abort. `clear()` (or `using`)
 * releases the timer and the links to the parents at once.
 *
 * @example
 * ```ts
 * import { timeoutSignal } from "./async.ts";
 *
 * const shutdown = new AbortController();
 * using deadline = timeoutSignal(500, shutdown.signal);
 * await fetch("http://127.0.0.1:8080/", { signal: deadline.signal });
 * ```
 */
export function timeoutSignal(ms: number, ...parents: AbortSignal[]): TimeoutSignal {
  return timeoutSignalOn(systemClock, ms, ...parents);
}

/** {@link timeoutSignal} with its timer on `clock`, for code whose subject is time. */
export function timeoutSignalOn(
  clock: Clock,
  ms: number,
  ...parents: AbortSignal[]
): TimeoutSignal {
  const controller = new AbortController();
  const timedOut = () => new DOMException("Signal timed out.", "TimeoutError");
  let cancel = () => {};
  if (!(ms > 0)) controller.abort(timedOut());
  for (const parent of parents) {
    if (parent.aborted) controller.abort(parent.reason);
  }
  if (!controller.signal.aborted) {
    cancel = clock.timer(ms, () => {
      controller.abort(timedOut());
      clear();
    });
    for (const parent of parents) link(parent, controller);
  }
  function clear() {
    cancel();
    for (const parent of parents) children.get(parent)?.delete(controller);
  }
  return { signal: controller.signal, clear, [Symbol.dispose]: clear };
}

function link(parent: AbortSignal, child: AbortController): void {
  let set = children.get(parent);
  if (set === undefined) {
    const linked = new Set<AbortController>();
    children.set(parent, linked);
    parent.addEventListener("abort", () => {
      for (const controller of linked) controller.abort(parent.reason);
      linked.clear();
    }, { once: true });
    set = linked;
  }
  set.add(child);
}
