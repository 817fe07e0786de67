// deno-lint-ignore-file no-console -- prints a benchmark's report
/**
 * The table of bench/peer.ts: per fake Runtime API, a column for ours, one for LWA and their
 * ratio (ours / LWA: under 1 means ours is faster or smaller).
 *
 * @module
 */

import type { Lane } from "./peer_lanes.ts";
import type { RuntimeKind } from "./runtimes.ts";

/** Prints the head of the table. */
export function printHeader(runtimes: RuntimeKind[], withLwa: boolean): void {
  const names = runtimes.flatMap((runtime) => {
    const suffix = runtimes.length > 1 ? ` [${runtime}]` : "";
    return withLwa ? [`ours${suffix}`, `LWA${suffix}`, `ratio${suffix}`] : [`ours${suffix}`];
  });
  console.log(`| case | ${names.join(" | ")} | n |`);
  console.log(`|---|${names.map(() => "---|").join("")}---|`);
}

/** Prints one row; `value(i)` is lane i's figure. */
export function printRow(
  label: string,
  lanes: Lane[],
  runtimes: RuntimeKind[],
  value: (lane: number) => number,
  options: { digits: number; n?: number },
): void {
  const cells = runtimes.flatMap((runtime) => {
    const find = (adapter: string) =>
      lanes.findIndex((lane) => lane.runtime === runtime && lane.adapter === adapter);
    const ours = find("ours");
    const lwa = find("lwa");
    const fmt = (index: number) => (index < 0 ? "-" : value(index).toFixed(options.digits));
    if (lwa < 0) return [fmt(ours)];
    const ratio = ours < 0 ? "-" : (value(ours) / value(lwa)).toFixed(2);
    return [fmt(ours), fmt(lwa), ratio];
  });
  console.log(`| ${label} | ${cells.join(" | ")} | ${options.n ?? ""} |`);
}

/** `git rev-parse --short HEAD`, or "unknown". */
export function gitCommit(): string {
  try {
    const git = new Deno.Command("git", {
      args: ["rev-parse", "--short", "HEAD"],
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    return new TextDecoder().decode(git.stdout).trim() || "unknown";
  } catch {
    return "unknown";
  }
}
