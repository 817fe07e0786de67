/**
 * What `emulate` watches while one invocation runs: the environment's memory, sampled so the
 * REPORT line can give its peak (and `--enforce-memory` can end an environment that passes the
 * function's memory size, as Lambda's out-of-memory kill does), and a progress line for an
 * invocation that runs long. Time comes from a `Clock`, so tests move it.
 *
 * @module
 */

import type { Clock } from "../util/clock.ts";

/** How a watch samples and reports. */
export interface WatchOptions {
  /** Paces the samples and progress lines; tests pass one they move. */
  readonly clock: Clock;
  /** The environment's memory now, in bytes (`undefined`: it cannot be read now). */
  readonly sample: () => Promise<number | undefined>;
  /** Milliseconds between samples. */
  readonly sampleEveryMs: number;
  /** The function's memory size in bytes; `onExceeded` is called once a sample passes it. */
  readonly limitBytes: number;
  /** Called once, with the sample that passed the limit; not at all when unset. */
  readonly onExceeded?: (bytes: number) => void;
  /** The first progress line comes after this long, the next ones `progressEveryMs` apart. */
  readonly progressAfterMs: number;
  /** Milliseconds between progress lines after the first. */
  readonly progressEveryMs: number;
  /** Called with the time the invocation has run and the memory it uses now. */
  readonly onProgress: (elapsedMs: number, bytes: number) => void;
}

/** A running watch. */
export interface InvocationWatch {
  /** The highest sample so far, in bytes. */
  readonly peakBytes: number;
  /**
   * Stops the timers and takes a last sample (which may still call `onExceeded`); resolves
   * with the peak, or `undefined` when no sample could be read.
   */
  finish(): Promise<number | undefined>;
}

/** Starts watching: samples at once, then every `sampleEveryMs` until `finish()`. */
export function watchInvocation(options: WatchOptions): InvocationWatch {
  const { clock } = options;
  const startedAt = clock.now();
  let peak: number | undefined;
  let last = 0;
  let exceeded = false;
  let finished = false;
  const cancels = new Set<() => void>();

  const sample = async () => {
    const bytes = await options.sample();
    if (bytes === undefined) return;
    last = bytes;
    peak = Math.max(peak ?? 0, bytes);
    if (!exceeded && options.onExceeded && bytes > options.limitBytes) {
      exceeded = true;
      options.onExceeded(bytes);
    }
  };
  /** Calls `tick` after `ms`, and again once it resolves with the next delay. */
  const every = (ms: number, tick: () => number | Promise<number>) => {
    const cancel = clock.timer(ms, async () => {
      cancels.delete(cancel);
      if (finished) return;
      const next = await tick();
      if (!finished) every(next, tick);
    });
    cancels.add(cancel);
  };

  let sampling = sample();
  every(options.sampleEveryMs, async () => {
    await (sampling = sample());
    return options.sampleEveryMs;
  });
  every(options.progressAfterMs, () => {
    options.onProgress(clock.now() - startedAt, last);
    return options.progressEveryMs;
  });
  return {
    get peakBytes() {
      return peak ?? 0;
    },
    async finish() {
      if (!finished) {
        finished = true;
        for (const cancel of cancels) cancel();
        cancels.clear();
        await sampling;
        await (sampling = sample());
      }
      await sampling;
      return peak;
    },
  };
}
