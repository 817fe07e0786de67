/**
 * A bounded memory of finished request ids, so a late post can be told apart from an unknown id
 * (400 `InvalidStateTransition` or 410 instead of 400 `InvalidRequestID`).
 *
 * @module
 */

/** How a finished invocation ended, as far as later posts are concerned. */
export type FinishedOutcome = "alreadyCompleted" | "timedOut";

/** Remembers roughly the last `capacity` finished ids. */
export interface FinishedIds {
  /** How the invocation with this id finished, if it is remembered. */
  get(requestId: string): FinishedOutcome | undefined;
  /** Remembers how an invocation finished. */
  remember(requestId: string, outcome: FinishedOutcome): void;
  /** Forgets an id (it is being invoked again). */
  forget(requestId: string): void;
}

/**
 * Creates the memory. It keeps two generations of `capacity / 2` ids instead of evicting the
 * oldest key: deleting from the front of a large `Map` leaves holes V8 walks on every
 * `keys().next()`, which showed up in benchmark profiles.
 */
export function createFinishedIds(capacity: number): FinishedIds {
  let current = new Map<string, FinishedOutcome>();
  let previous = new Map<string, FinishedOutcome>();
  return {
    get(requestId) {
      return current.get(requestId) ?? previous.get(requestId);
    },
    remember(requestId, outcome) {
      current.set(requestId, outcome);
      if (current.size >= capacity / 2) {
        previous = current;
        current = new Map();
      }
    },
    forget(requestId) {
      current.delete(requestId);
      previous.delete(requestId);
    },
  };
}
