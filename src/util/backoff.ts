/**
 * Bounded exponential backoff for calls to an API that should always answer (the Lambda
 * Runtime and Extensions APIs): a blip is ridden out, an API that stays away for good is given
 * up on, so the caller can exit with a line that says what failed.
 *
 * @module
 */

import { sleep } from "./async.ts";
import { type Clock, systemClock } from "./clock.ts";

/** How failures are retried. */
export interface BackoffOptions {
  /** First delay. @default 10 */
  initialMs?: number;
  /** Longest delay. @default 1000 */
  maxMs?: number;
  /** Give up once failures have gone on this long without a success. @default 10000 */
  giveUpAfterMs?: number;
  /** The clock delays are waited on. @default systemClock */
  clock?: Clock;
}

/**
 * Counts failures since the last success and says how long to wait before the next try. A call
 * that fails only after running longer than the longest delay (a long poll that got through)
 * counts as a success in between.
 */
export class Backoff {
  #initialMs: number;
  #maxMs: number;
  #giveUpAfterMs: number;
  #clock: Clock;
  #delayMs = 0;
  #failingSince: number | undefined;
  #lastFailureAt: number | undefined;

  /** Creates a backoff with `options`. */
  constructor(options: BackoffOptions = {}) {
    this.#initialMs = options.initialMs ?? 10;
    this.#maxMs = options.maxMs ?? 1000;
    this.#giveUpAfterMs = options.giveUpAfterMs ?? 10_000;
    this.#clock = options.clock ?? systemClock;
  }

  /** How long failures have gone on, in milliseconds (0 while none). */
  get failingForMs(): number {
    return this.#failingSince === undefined ? 0 : this.#clock.now() - this.#failingSince;
  }

  /** Records a success: the next failure starts from the first delay again. */
  succeeded(): void {
    this.#delayMs = 0;
    this.#failingSince = undefined;
    this.#lastFailureAt = undefined;
  }

  /**
   * Records a failure.
   *
   * @returns how long to wait before the next try, or undefined once failures have lasted
   * longer than `giveUpAfterMs`
   */
  failed(): number | undefined {
    const now = this.#clock.now();
    // A long poll that fails after hanging a while had got through: the API was up in between,
    // so this failure starts a new episode rather than adding to the last one.
    if (
      this.#lastFailureAt !== undefined && now - this.#lastFailureAt > this.#delayMs + this.#maxMs
    ) {
      this.succeeded();
    }
    this.#lastFailureAt = now;
    this.#failingSince ??= now;
    if (now - this.#failingSince >= this.#giveUpAfterMs) return undefined;
    this.#delayMs = Math.min(Math.max(this.#initialMs, this.#delayMs * 2), this.#maxMs);
    return this.#delayMs;
  }

  /**
   * Waits `ms` on the backoff's clock.
   *
   * @throws the signal's reason when `signal` aborts first
   */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return sleep(ms, signal, this.#clock);
  }
}
