/**
 * The platform log lines Lambda writes to CloudWatch around each invocation, so `emulate`
 * output reads like a real function's log stream.
 *
 * @module
 */

/** `START RequestId: <id> Version: <version>`. */
export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

/** `END RequestId: <id>`. */
export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

/** What a REPORT line says about one invocation. */
export interface ReportFields {
  /** The invocation's request id. */
  readonly requestId: string;
  /** Written to two decimals; Billed Duration is it (and Init Duration) rounded up. */
  readonly durationMs: number;
  /** The function's configured memory (Memory Size). */
  readonly memoryMb: number;
  /** Peak memory of the environment during the invocation; the field is left out when unknown. */
  readonly maxMemoryUsedMb?: number;
  /** Only on the first invocation of an environment. */
  readonly initDurationMs?: number;
  /** Absent when the invocation succeeded. */
  readonly status?: "error" | "timeout";
  /** With `status: "error"`, e.g. `Runtime.OutOfMemory`. */
  readonly errorType?: string;
}

/**
 * The tab-separated REPORT line, fields in Lambda's order:
 * `REPORT RequestId: <id>\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\t`
 * `Max Memory Used: 70 MB\tInit Duration: 150.00 ms\t`, then `Status: timeout` or
 * `Status: error\tError Type: Runtime.OutOfMemory` for a failed one (a successful line ends
 * with a tab, as Lambda's does). Lambda bills whole milliseconds rounded up, and since August
 * 2025 it bills the init phase too, so `Billed Duration` adds `Init Duration` when present.
 */
export function reportLine(fields: ReportFields): string {
  const { durationMs, initDurationMs } = fields;
  const billed = Math.max(1, Math.ceil(durationMs + (initDurationMs ?? 0)));
  const parts = [
    `REPORT RequestId: ${fields.requestId}`,
    `Duration: ${durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billed} ms`,
    `Memory Size: ${fields.memoryMb} MB`,
  ];
  if (fields.maxMemoryUsedMb !== undefined) {
    parts.push(`Max Memory Used: ${fields.maxMemoryUsedMb} MB`);
  }
  if (initDurationMs !== undefined) parts.push(`Init Duration: ${initDurationMs.toFixed(2)} ms`);
  if (fields.status === undefined) return `${parts.join("\t")}\t`;
  parts.push(`Status: ${fields.status}`);
  if (fields.errorType !== undefined) parts.push(`Error Type: ${fields.errorType}`);
  return parts.join("\t");
}

/** Lambda's timeout line, e.g. `<id> Task timed out after 3.00 seconds`. */
export function timeoutLine(requestId: string, timeoutMs: number): string {
  return `${requestId} Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;
}
