/**
 * A small seeded generator (mulberry32), so randomised tests are repeatable: a failure message
 * names the seed, and `TEST_SEED=<n>` replays it.
 *
 * @module
 */

/** Deterministic random values from one 32-bit seed. */
export class Random {
  #state: number;
  readonly seed: number;

  constructor(seed: number = Number(Deno.env.get("TEST_SEED") ?? 20261125)) {
    this.seed = seed >>> 0;
    this.#state = this.seed;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, max). */
  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.int(256);
    return out;
  }
}
