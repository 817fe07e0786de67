/**
 * A clock tests drive by hand: `sleep` resolves only when `advance` moves time past it.
 *
 * @module
 */

import type { Clock } from "../../src/util/async.ts";

/** A manual clock; `advance(ms)` fires every sleep that falls due. */
export class FakeClock implements Clock {
  #now: number;
  #sleepers: { at: number; resolve: () => void }[] = [];

  /** Starts at `start` ms since the epoch. */
  constructor(start = 1_700_000_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const sleeper = { at: this.#now + ms, resolve };
      this.#sleepers.push(sleeper);
      signal?.addEventListener("abort", () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        reject(signal.reason);
      }, { once: true });
    });
  }

  /** How many sleeps are waiting. */
  get sleeping(): number {
    return this.#sleepers.length;
  }

  /** Moves time on by `ms` and wakes the sleeps that fall due, in order. */
  async advance(ms: number): Promise<void> {
    this.#now += ms;
    const due = this.#sleepers.filter((s) => s.at <= this.#now).sort((a, b) => a.at - b.at);
    this.#sleepers = this.#sleepers.filter((s) => s.at > this.#now);
    for (const sleeper of due) sleeper.resolve();
    // Let the woken code run up to its next await.
    for (let i = 0; i < 10; i++) await Promise.resolve();
  }

  /** Waits (in microtasks) until some code is sleeping. */
  async untilSleeping(count = 1): Promise<void> {
    for (let i = 0; i < 10_000 && this.#sleepers.length < count; i++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (this.#sleepers.length < count) throw new Error("nothing went to sleep");
  }
}
