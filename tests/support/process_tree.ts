/**
 * Process-tree checks for the tests that stop `emulate`: which processes it started, and
 * whether any of them still runs.
 *
 * @module
 */

import { pollUntil } from "./wait.ts";

const decoder = new TextDecoder();

/** Every process below `pid` (children, their children ...). */
export async function descendants(pid: number): Promise<number[]> {
  const { stdout } = await new Deno.Command("ps", { args: ["-eo", "pid=,ppid="] }).output();
  const pairs = decoder.decode(stdout).trim().split("\n").map((line) =>
    line.trim().split(/\s+/).map(Number) as [number, number]
  );
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, ppid] of pairs) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** The `ps` lines of the processes among `pids` still running; a zombie has ended. */
export async function running(pids: number[]): Promise<string[]> {
  if (pids.length === 0) return [];
  const { stdout } = await new Deno.Command("ps", {
    args: ["-o", "pid=,stat=,cmd=", "-p", pids.join(",")],
  }).output();
  return decoder.decode(stdout).trim().split("\n").filter((line) =>
    line.trim() !== "" && !/^\s*\d+\s+Z/.test(line)
  );
}

/**
 * Resolves with the processes among `pids` still running once none is, or once `timeoutMs`
 * has passed (an orphan is reaped by init a moment after it exits).
 */
export async function survivors(pids: number[], timeoutMs = 2000): Promise<string[]> {
  const polled = await pollUntil(() => running(pids), (left) => left.length === 0, {
    timeoutMs,
    everyMs: 50,
  });
  return polled.value;
}

/** Polls `descendants(pid)` until there are at least `count`; bounded by `timeoutMs`. */
export async function startedBelow(pid: number, count: number, timeoutMs = 10_000) {
  const { value, met } = await pollUntil(() => descendants(pid), (found) => found.length >= count, {
    timeoutMs,
    everyMs: 50,
  });
  if (!met) throw new Error(`only ${value.length} of ${count} processes started below ${pid}`);
  return value;
}
