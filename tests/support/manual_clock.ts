/**
 * A clock that moves only when the test says so, for tests whose subject is time: timers fire
 * in `advance()`, in order, and nothing waits for real.
 *
 * @module
 */

import type { Clock } from "../../src/util/clock.ts";

interface Timer {
  at: number;
  order: number;
  callback: () => void;
}

/** A `Clock` moved by `advance()`. */
export class ManualClock implements Clock {
  #now = 1000;
  #epochAtZero = Date.UTC(2026, 0, 1);
  #timers: Timer[] = [];
  #order = 0;

  /** The monotonic reading. */
  now(): number {
    return this.#now;
  }

  /** The epoch reading, moving with `now()`. */
  epochMs(): number {
    return this.#epochAtZero + this.#now;
  }

  /** Schedules `callback` at `now() + ms`. */
  timer(ms: number, callback: () => void): () => void {
    const timer = { at: this.#now + Math.max(0, ms), order: this.#order++, callback };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((other) => other !== timer);
    };
  }

  /** Timers not yet fired or cancelled. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time on by `ms`, firing every timer that falls due, earliest first. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((timer) => timer.at <= end)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((timer) => timer !== due);
      this.#now = Math.max(this.#now, due.at);
      due.callback();
    }
    this.#now = end;
  }

  /** Waits (for real, briefly) until at least `count` timers are pending. */
  async untilPending(count = 1): Promise<void> {
    for (let i = 0; i < 10_000 && this.#timers.length < count; i++) {
      await new Promise((resolve) => queueMicrotask(() => resolve(undefined)));
      if (i % 100 === 99) await new Promise((resolve) => AbortSignal.timeout(0).onabort = resolve);
    }
    if (this.#timers.length < count) throw new Error(`${this.#timers.length} timers pending`);
  }

  /** `advance(ms)`, then lets the code the timers woke run to its next wait. */
  async advanceAndSettle(ms: number): Promise<void> {
    this.advance(ms);
    for (let i = 0; i < 20; i++) await Promise.resolve();
  }
}
