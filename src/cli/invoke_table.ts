/**
 * The summary table `lambda-adapter invoke` prints for several events.
 *
 * @module
 */

/** One invoked event. */
export interface Row {
  /** The path as given, or relative to the folder given. */
  readonly file: string;
  /** The front end the event comes from (`sourceOf`). */
  readonly source: string;
  /** The result's HTTP status, or the function error's `errorType`. */
  readonly status: string;
  /** From sending the event to the whole result, as `invoke` measured it. */
  readonly durationMs: number;
  /** The result's size in bytes. */
  readonly bytes: number;
  /** A function error, or an HTTP error from the emulator; `invoke` then exits 1. */
  readonly failed: boolean;
}

const HEADINGS = ["FILE", "SOURCE", "STATUS", "DURATION", "SIZE"];

/** The table's lines: headings, one row per event, then a count of what failed. */
export function formatTable(rows: readonly Row[]): string[] {
  const cells = rows.map((row) => [
    row.file,
    row.source,
    row.status,
    `${Math.round(row.durationMs)} ms`,
    formatBytes(row.bytes),
  ]);
  const widths = HEADINGS.map((heading, column) =>
    Math.max(heading.length, ...cells.map((cell) => [...cell[column]!].length))
  );
  const line = (cell: string[]) =>
    cell.map((text, column) => {
      const pad = " ".repeat(widths[column]! - [...text].length);
      // Durations and sizes are numbers: right-aligned.
      return column >= 3 ? pad + text : text + pad;
    }).join("  ").trimEnd();
  const failed = rows.filter((row) => row.failed);
  const summary = failed.length === 0
    ? `${rows.length} events, all answered`
    : `${rows.length} events, ${failed.length} failed: ${
      [...new Set(failed.map((row) => row.status))].join(", ")
    }`;
  return [line(HEADINGS), ...cells.map(line), summary];
}

/** `512 B`, `1.5 KiB`, `3.2 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
