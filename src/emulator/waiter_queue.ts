/**
 * A FIFO of parked long-poll requests (`/runtime/invocation/next`, `/extension/event/next`).
 *
 * @module
 */

/** Parked callers, served first come first served. */
export interface WaiterQueue<T> {
  /** How many callers are parked. */
  readonly size: number;
  /**
   * Parks a caller until `take()` hands it a value. If `signal` aborts first (the HTTP client
   * went away), the caller leaves the queue and resolves with `aborted()`, so no value is ever
   * handed to a caller that is gone.
   */
  wait(signal: AbortSignal | undefined, aborted: () => T): Promise<T>;
  /** Removes the longest-parked caller and returns its resolver, or `undefined` when empty. */
  take(): ((value: T) => void) | undefined;
  /** Resolves every parked caller with `value` and empties the queue. */
  settleAll(value: T): void;
}

interface Entry<T> {
  resolve: (value: T) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** Creates an empty `WaiterQueue`. */
export function createWaiterQueue<T>(): WaiterQueue<T> {
  const entries: Entry<T>[] = [];

  function detach(entry: Entry<T>): void {
    if (entry.onAbort) entry.signal?.removeEventListener("abort", entry.onAbort);
  }

  return {
    get size() {
      return entries.length;
    },
    wait(signal, aborted) {
      return new Promise<T>((resolve) => {
        if (signal?.aborted) {
          resolve(aborted());
          return;
        }
        const entry: Entry<T> = { resolve, signal, onAbort: undefined };
        if (signal) {
          entry.onAbort = () => {
            const index = entries.indexOf(entry);
            if (index >= 0) entries.splice(index, 1);
            resolve(aborted());
          };
          signal.addEventListener("abort", entry.onAbort, { once: true });
        }
        entries.push(entry);
      });
    },
    take() {
      const entry = entries.shift();
      if (!entry) return undefined;
      // Detach before answering: Deno's legacy `request.signal` also aborts once a response
      // has been sent, which must not count as a disconnect.
      detach(entry);
      return entry.resolve;
    },
    settleAll(value) {
      for (const entry of entries.splice(0)) {
        detach(entry);
        entry.resolve(value);
      }
    },
  };
}
