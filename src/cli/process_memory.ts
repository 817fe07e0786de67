/**
 * How much memory an execution environment uses: the resident set of the adapter and of the
 * app's whole process tree (children, their children ...), read from Linux's /proc. Lambda's
 * `Max Memory Used` is the peak of the environment's memory; the sum of resident sets is the
 * closest a process outside the sandbox can read cheaply (pages two processes share, such as
 * two Deno binaries' code, count twice, so it errs on the high side).
 *
 * Deno lets only `--allow-all` read /proc, and the binary runs with fewer permissions, so a
 * small `sh` script reads it: one long-lived process, shell builtins only (no fork per
 * sample). Asked for the roots, it walks each process's threads' `children` files and sums the
 * second field of each `statm`, all in one round trip.
 *
 * @module
 */

/** The walker. stderr is dropped: a process may end between the glob and the read. */
const WALKER = `
exec 2>/dev/null
kb=$(( $(getconf PAGESIZE || echo 4096) / 1024 ))
while read -r roots; do
  pages=0; seen=" "; queue="$roots"
  while set -- $queue && [ $# -gt 0 ]; do
    pid=$1; shift; queue="$*"
    case "$seen" in *" $pid "*) continue ;; esac
    seen="$seen$pid "
    if read -r size resident rest < "/proc/$pid/statm"; then pages=$((pages + resident)); fi
    for file in /proc/$pid/task/*/children; do
      kids=""; read -r kids < "$file"; queue="$queue $kids"
    done
  done
  echo "$((pages * kb)) $seen"
done
`;

/** One reading: the tree's resident bytes and the processes it found. */
export interface TreeReading {
  /** The resident memory of every process walked, summed (shared pages count twice). */
  readonly bytes: number;
  /** The processes walked, roots first, each once. */
  readonly pids: readonly number[];
}

/** Reads process trees' memory through the walker; one per `emulate`. */
export class ProcessMemory {
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #waiting: ((reading: TreeReading | undefined) => void)[] = [];
  #closed = false;

  private constructor(child: Deno.ChildProcess) {
    this.#child = child;
    this.#writer = child.stdin.getWriter();
    this.#readAnswers().finally(() => this.#fail());
  }

  /** Starts the walker; `undefined` where there is no /proc to read (not Linux, no `sh`). */
  static start(): ProcessMemory | undefined {
    if (Deno.build.os !== "linux") return undefined;
    try {
      const child = new Deno.Command("sh", {
        args: ["-c", WALKER],
        stdin: "piped",
        stdout: "piped",
        stderr: "null",
      }).spawn();
      return new ProcessMemory(child);
    } catch {
      return undefined;
    }
  }

  /** The resident bytes of `roots` and everything below them; `undefined` once closed. */
  read(roots: readonly number[]): Promise<TreeReading | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    const { promise, resolve } = Promise.withResolvers<TreeReading | undefined>();
    this.#waiting.push(resolve);
    this.#writer.write(new TextEncoder().encode(`${roots.join(" ")}\n`)).catch(() => this.#fail());
    return promise;
  }

  /** Stops the walker; pending reads resolve `undefined`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#fail();
    await this.#writer.close().catch(() => {});
    await this.#child.status;
  }

  async #readAnswers(): Promise<void> {
    let rest = "";
    for await (const text of this.#child.stdout.pipeThrough(new TextDecoderStream())) {
      const lines = (rest + text).split("\n");
      rest = lines.pop()!;
      for (const line of lines) this.#waiting.shift()?.(parseReading(line));
    }
  }

  #fail(): void {
    this.#closed = true;
    for (const resolve of this.#waiting.splice(0)) resolve(undefined);
  }
}

/** `"<kB> <pid> <pid> ..."` as bytes and pids. */
export function parseReading(line: string): TreeReading {
  const [kb, ...pids] = line.trim().split(/\s+/);
  return { bytes: (Number(kb) || 0) * 1024, pids: pids.map(Number) };
}

/** Bytes as Lambda's whole megabytes, rounded up: a function never looks lighter than it is. */
export function toMb(bytes: number): number {
  return Math.ceil(bytes / (1024 * 1024));
}
