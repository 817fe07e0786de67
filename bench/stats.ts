/**
 * Small measurement helpers for the benchmark scripts.
 *
 * @module
 */

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Resident set size of a process in KiB, from /proc (Linux). */
export async function rssKiB(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? "0");
}

/** Samples a process's RSS every `everyMs`; `stop()` returns the peak in KiB. */
export function sampleRss(pid: number, everyMs = 20): { stop(): number } {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const status = Deno.readTextFileSync(`/proc/${pid}/status`);
      peak = Math.max(peak, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? "0"));
    } catch {
      // The process ended.
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** A process's memory from /proc/<pid>/status, in KiB: resident now and its high-water mark. */
export interface MemoryKiB {
  /** VmRSS: resident set size now. */
  rss: number;
  /** VmHWM: the kernel's high-water mark of VmRSS since the process started. */
  peak: number;
  /** RssAnon: the part of VmRSS that is the process's own memory (heap, stacks). */
  anon: number;
  /** RssFile: the part of VmRSS that is mapped files, chiefly the executable's pages. */
  file: number;
}

/** Reads VmRSS, VmHWM, RssAnon and RssFile of `pid` (Linux). */
export function memoryKiB(pid: number): MemoryKiB {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? "0");
  return {
    rss: field("VmRSS"),
    peak: field("VmHWM"),
    anon: field("RssAnon"),
    file: field("RssFile"),
  };
}

/** How many file descriptors `pid` has open (entries of /proc/<pid>/fd). */
export function openFds(pid: number): number {
  let count = 0;
  for (const _ of Deno.readDirSync(`/proc/${pid}/fd`)) count++;
  return count;
}

/** KiB as MiB with one decimal ("42.5"); the goals' "MB" are read as MiB, as Lambda's are. */
export function mib(kib: number): string {
  return (kib / 1024).toFixed(1);
}

/** The 1-minute load average (/proc/loadavg): how busy the shared machine was. */
export function loadAverage(): number {
  try {
    return Number(Deno.readTextFileSync("/proc/loadavg").split(" ")[0]);
  } catch {
    return Number.NaN;
  }
}
