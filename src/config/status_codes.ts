/**
 * HTTP status lists such as `200-399,404`, used by `AWS_LWA_READINESS_CHECK_HEALTHY_STATUS` and
 * `AWS_LWA_ERROR_STATUS_CODES`.
 *
 * @module
 */

/** Inclusive status ranges, in the order written. */
export type StatusRanges = ReadonlyArray<readonly [start: number, end: number]>;

/** The statuses a response can have; the HTTP client refuses any other. */
const LOWEST = 100;
const HIGHEST = 599;

/**
 * Parses a comma-separated list of codes and inclusive ranges, reading every part LWA reads
 * the same way: parts are trimmed, empty parts skipped, a code is a Rust `u16` (digits, an
 * optional `+`), a range is two codes joined by one `-` with no space around it.
 *
 * A part LWA skips with a log line (`5xx`, `200 - 299`, `200-300-400`) or reads as nothing
 * (`300-200`, `700`) would silently shrink the list, and an empty healthy list makes LWA's
 * readiness check hang forever, so any such part rejects the whole value.
 *
 * @throws {SyntaxError} naming the first part that is not a code or a range covering a status
 */
export function parseStatusRanges(text: string): StatusRanges {
  const ranges: [number, number][] = [];
  for (const raw of text.split(",")) {
    const part = raw.trim();
    if (part === "") continue;
    const pieces = part.split("-");
    const numbers = pieces.map(readCode);
    if (pieces.length > 2 || numbers.includes(undefined)) {
      throw new SyntaxError(
        `Cannot read '${part}' as a status code or a range such as 200-399 ` +
          "(LWA would skip it)",
      );
    }
    const start = numbers[0]!;
    const end = numbers.at(-1)!;
    if (start > end) throw new SyntaxError(`Range '${part}' starts after it ends`);
    if (end < LOWEST || start > HIGHEST) {
      throw new SyntaxError(`'${part}' holds no HTTP status (${LOWEST}-${HIGHEST})`);
    }
    ranges.push([start, end]);
  }
  if (ranges.length === 0) throw new SyntaxError("The list holds no status code");
  return Object.freeze(ranges.map((range) => Object.freeze(range)));
}

function readCode(text: string): number | undefined {
  if (!/^\+?\d+$/.test(text)) return undefined;
  const code = Number(text);
  return code <= 0xffff ? code : undefined;
}

/** Tells whether `status` falls in one of the ranges. */
export function statusMatches(ranges: StatusRanges, status: number): boolean {
  for (const [start, end] of ranges) {
    if (status >= start && status <= end) return true;
  }
  return false;
}

/** Formats ranges back to the list syntax, for logs. */
export function formatStatusRanges(ranges: StatusRanges): string {
  return ranges.map(([start, end]) => start === end ? `${start}` : `${start}-${end}`).join(",");
}
