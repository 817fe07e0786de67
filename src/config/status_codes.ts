/**
 * HTTP status lists such as `200-399,404`, used by `AWS_LWA_READINESS_CHECK_HEALTHY_STATUS` and
 * `AWS_LWA_ERROR_STATUS_CODES`.
 *
 * @module
 */

/** Inclusive status ranges, in the order written. */
export type StatusRanges = ReadonlyArray<readonly [start: number, end: number]>;

/**
 * Parses a comma-separated list of codes and inclusive ranges.
 *
 * Unlike LWA, which logs and skips a part it cannot read (so `200 - 299` or a typo silently
 * shrinks the list, and an all-invalid list makes the readiness check hang forever), any bad
 * part rejects the whole value.
 *
 * @throws {SyntaxError} naming the part that is not a code or a range of codes 100-599
 */
export function parseStatusRanges(text: string): StatusRanges {
  const ranges: [number, number][] = [];
  for (const raw of text.split(",")) {
    const part = raw.trim();
    if (part === "") continue;
    const match = /^(\d{3})\s*(?:-\s*(\d{3}))?$/.exec(part);
    if (!match) {
      throw new SyntaxError(`Cannot read '${part}' as a status code or a range such as 200-399`);
    }
    const start = Number(match[1]);
    const end = match[2] === undefined ? start : Number(match[2]);
    if (start < 100 || end > 599) {
      throw new SyntaxError(`Status '${part}' is outside 100-599`);
    }
    if (start > end) {
      throw new SyntaxError(`Range '${part}' starts after it ends`);
    }
    ranges.push([start, end]);
  }
  if (ranges.length === 0) throw new SyntaxError("The list holds no status code");
  return Object.freeze(ranges.map((range) => Object.freeze(range)));
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
