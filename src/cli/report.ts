/**
 * The REPORT line `emulate` prints after each invocation, as Lambda writes it to CloudWatch,
 * with the environment's measured peak memory, and the loud warning when that peak passes the
 * function's memory size (where Lambda would have killed the function).
 *
 * @module
 */

import { reportLine } from "../emulator/lambda_log.ts";
import type { Outcome } from "./environments.ts";

/** What was measured while the invocation ran. */
export interface Measured {
  /** The invocation's Lambda request id. */
  readonly requestId: string;
  /** From the runtime taking the invocation to its result (or to the failure). */
  readonly durationMs: number;
  /** The function's memory size; the peak is compared with it. */
  readonly memoryMb: number;
  /** Peak memory in whole MB; `undefined` where /proc cannot be read. */
  readonly maxMemoryUsedMb: number | undefined;
  /** On an environment's first invocation. */
  readonly initDurationMs: number | undefined;
}

/** The REPORT line, then a warning when the peak passed the memory size. */
export function reportLines(outcome: Outcome, measured: Measured): string[] {
  const { maxMemoryUsedMb, initDurationMs } = measured;
  const line = reportLine({
    requestId: measured.requestId,
    durationMs: measured.durationMs,
    memoryMb: measured.memoryMb,
    ...(maxMemoryUsedMb === undefined ? {} : { maxMemoryUsedMb }),
    ...(initDurationMs === undefined ? {} : { initDurationMs }),
    ...status(outcome),
  });
  const over = maxMemoryUsedMb !== undefined && maxMemoryUsedMb > measured.memoryMb;
  if (!over || (outcome.kind === "failed" && outcome.outOfMemory)) return [line];
  return [line, memoryWarning(maxMemoryUsedMb, measured.memoryMb)];
}

/** REPORT's `Status` (and `Error Type`) for an invocation the platform failed. */
function status(outcome: Outcome) {
  if (outcome.kind === "timeout") return { status: "timeout" as const };
  if (outcome.kind !== "failed") return {};
  const errorType = outcome.outOfMemory ? "Runtime.OutOfMemory" : outcome.errorType;
  return { status: "error" as const, errorType };
}

/** The warning for a peak over the memory size, with a size that would have held it. */
export function memoryWarning(usedMb: number, memoryMb: number): string {
  const enough = Math.max(128, Math.ceil((usedMb + 1) / 64) * 64);
  return `WARNING: MEMORY EXCEEDED: Max Memory Used ${usedMb} MB is over the function's ` +
    `Memory Size of ${memoryMb} MB. On Lambda this invocation would have been killed ` +
    `(Runtime.ExitError: "Runtime exited with error: signal: killed"). Give the function more ` +
    `memory (--memory ${enough} here, MemorySize in your template), or add --enforce-memory ` +
    "to fail here as Lambda does.";
}
