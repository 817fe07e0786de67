/**
 * What `emulate` measures of each invocation: the environment's memory, sampled while it runs
 * (for `Max Memory Used` and `--enforce-memory`), progress lines for a long one, and the REPORT
 * line once it ends, with `Init Duration` on an environment's first invocation.
 *
 * @module
 */

import type { Clock } from "../util/clock.ts";
import type { Outcome } from "./environments.ts";
import { type InvocationWatch, watchInvocation } from "./invocation_watch.ts";
import { ProcessMemory, toMb } from "./process_memory.ts";
import { reportLines } from "./report.ts";
import type { Sandbox } from "./sandbox.ts";

/** Memory samples while an invocation runs (each about 0.7 ms of work for an app and the adapter). */
const SAMPLE_EVERY_MS = 50;
/** Progress lines for a long invocation: the first after 2 s, then every 2 s. */
const PROGRESS_EVERY_MS = 2000;
const MB = 1024 * 1024;

/** What metering needs to know. */
export interface MeteringSettings {
  /** The function's memory size: the REPORT line's Memory Size and the sampling's limit. */
  readonly memoryMb: number;
  /** The function's timeout, named in progress lines. */
  readonly timeoutMs: number;
  /** Call `onExceeded` once memory passes `memoryMb` (`--enforce-memory`). */
  readonly enforceMemory: boolean;
  /** Writes the REPORT, warning and progress lines. */
  readonly print: (line: string) => void;
  /** Times invocations and paces the sampling; tests pass one they move. */
  readonly clock: Clock;
}

/** One invocation being measured. */
export interface Meter {
  /**
   * Stops sampling and takes a last sample, which may still call `onExceeded`; resolves with
   * the peak in bytes (`undefined` where memory cannot be read).
   */
  stop(): Promise<number | undefined>;
  /** Prints the REPORT line (and the memory warning) for how the invocation ended. */
  report(outcome: Exclude<Outcome, { kind: "stopped" }>, peakBytes: number | undefined): void;
}

/** Measures invocations; one per `emulate`. */
export class Metering {
  readonly #settings: MeteringSettings;
  /** Environments whose first invocation was reported (with its Init Duration). */
  readonly #reported = new WeakSet<Sandbox>();
  readonly #memory = ProcessMemory.start();

  /** Nothing is sampled before `start()`. */
  constructor(settings: MeteringSettings) {
    this.#settings = settings;
  }

  /** Stops the memory reader. */
  async close(): Promise<void> {
    await this.#memory?.close();
  }

  /**
   * Starts measuring an invocation on `sandbox`, whose init took `initMs`. `onExceeded` is
   * called once with the sample that passed the memory size, with `--enforce-memory` only.
   */
  start(
    sandbox: Sandbox,
    initMs: number,
    invocation: { readonly requestId: string; readonly label?: string | undefined },
    onExceeded: (bytes: number) => void,
  ): Meter {
    const started = this.#settings.clock.now();
    const watch = this.#watch(sandbox, invocation, onExceeded);
    return {
      stop: async () => await watch?.finish(),
      report: (outcome, peak) => {
        const first = !this.#reported.has(sandbox);
        this.#reported.add(sandbox);
        const lines = reportLines(outcome, {
          requestId: invocation.requestId,
          durationMs: this.#durationOf(outcome, started),
          memoryMb: this.#settings.memoryMb,
          maxMemoryUsedMb: peak === undefined ? undefined : toMb(peak),
          initDurationMs: first ? initMs : undefined,
        });
        for (const line of lines) this.#settings.print(line);
      },
    };
  }

  #watch(
    sandbox: Sandbox,
    invocation: { readonly requestId: string; readonly label?: string | undefined },
    onExceeded: (bytes: number) => void,
  ): InvocationWatch | undefined {
    const memory = this.#memory;
    if (!memory) return undefined;
    const roots = [sandbox.pids.app, sandbox.pids.adapter];
    const { memoryMb, timeoutMs, print, clock } = this.#settings;
    const label = invocation.label ? `${invocation.label} ` : "";
    return watchInvocation({
      clock,
      sample: async () => (await memory.read(roots))?.bytes,
      sampleEveryMs: SAMPLE_EVERY_MS,
      limitBytes: memoryMb * MB,
      ...(this.#settings.enforceMemory ? { onExceeded } : {}),
      progressAfterMs: PROGRESS_EVERY_MS,
      progressEveryMs: PROGRESS_EVERY_MS,
      onProgress: (elapsedMs, bytes) =>
        print(
          `... ${label}still running after ${Math.round(elapsedMs / 1000)} s of the ` +
            `${timeoutMs / 1000} s timeout, ${toMb(bytes)} MB in use ` +
            `(RequestId: ${invocation.requestId})`,
        ),
    });
  }

  #durationOf(outcome: Exclude<Outcome, { kind: "stopped" }>, started: number): number {
    if ("timing" in outcome) return outcome.timing.completedAt - outcome.timing.handedOutAt;
    if (outcome.kind === "timeout") return outcome.timeoutMs;
    return this.#settings.clock.now() - started;
  }
}
