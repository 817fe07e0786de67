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

/**
 * The tab-separated REPORT line. Lambda bills whole milliseconds rounded up and adds
 * `Init Duration` to the first invocation of an environment only.
 */
export function reportLine(
  requestId: string,
  durationMs: number,
  memoryMb: number,
  initDurationMs?: number,
): string {
  const fields = [
    `REPORT RequestId: ${requestId}`,
    `Duration: ${durationMs.toFixed(2)} ms`,
    `Billed Duration: ${Math.max(1, Math.ceil(durationMs))} ms`,
    `Memory Size: ${memoryMb} MB`,
  ];
  if (initDurationMs !== undefined) fields.push(`Init Duration: ${initDurationMs.toFixed(2)} ms`);
  return fields.join("\t");
}

/** Lambda's timeout line, e.g. `<id> Task timed out after 3.00 seconds`. */
export function timeoutLine(requestId: string, timeoutMs: number): string {
  return `${requestId} Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;
}
