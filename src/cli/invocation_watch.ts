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
  const memory = memoryReadings(options);
  const timers = repeatingTimers(clock);

  let sampling = memory.sample();
  timers.every(options.sampleEveryMs, async () => {
    await (sampling = memory.sample());
    return options.sampleEveryMs;
  });
  timers.every(options.progressAfterMs, () => {
    options.onProgress(clock.now() - startedAt, memory.last);
    return options.progressEveryMs;
  });
  return {
    get peakBytes() {
      return memory.peak ?? 0;
    },
    async finish() {
      if (!timers.stopped) {
        timers.stop();
        await sampling;
        await (sampling = memory.sample());
      }
      await sampling;
      return memory.peak;
    },
  };
}

/** The samples taken so far. */
interface MemoryReadings {
  /** The latest sample that could be read (0 before any). */
  readonly last: number;
  /** The highest sample; `undefined` while none could be read. */
  readonly peak: number | undefined;
  /** Takes one sample; calls `onExceeded` the first time one passes the limit. */
  sample(): Promise<void>;
}

function memoryReadings(options: WatchOptions): MemoryReadings {
  let peak: number | undefined;
  let last = 0;
  let exceeded = false;
  return {
    get last() {
      return last;
    },
    get peak() {
      return peak;
    },
    async sample() {
      const bytes = await options.sample();
      if (bytes === undefined) return;
      last = bytes;
      peak = Math.max(peak ?? 0, bytes);
      if (!exceeded && options.onExceeded && bytes > options.limitBytes) {
        exceeded = true;
        options.onExceeded(bytes);
      }
    },
  };
}

/** Timers that each run again after their tick, until `stop()`. */
interface RepeatingTimers {
  /** Whether `stop()` was called. */
  readonly stopped: boolean;
  /** Calls `tick` after `ms`, and again once it resolves with the next delay. */
  every(ms: number, tick: () => number | Promise<number>): void;
  /** Cancels the pending timers; a tick already running does not start another. */
  stop(): void;
}

function repeatingTimers(clock: Clock): RepeatingTimers {
  let stopped = false;
  const cancels = new Set<() => void>();
  const every = (ms: number, tick: () => number | Promise<number>) => {
    const cancel = clock.timer(ms, async () => {
      cancels.delete(cancel);
      if (stopped) return;
      const next = await tick();
      if (!stopped) every(next, tick);
    });
    cancels.add(cancel);
  };
  return {
    get stopped() {
      return stopped;
    },
    every,
    stop() {
      stopped = true;
      for (const cancel of cancels) cancel();
      cancels.clear();
    },
  };
}
