/**
 * A child process for end-to-end tests whose output is collected line by line. Every wait on
 * it is bounded, and ends early, with the child's output, when the child exits before the test
 * asked it to: a missing dependency or a crash is a quick, readable failure, never a hang.
 *
 * @module
 */

/** How many of the last output lines an error message quotes. */
const QUOTED_LINES = 60;

/** A child process whose output is collected line by line. */
export class Child implements AsyncDisposable {
  readonly name: string;
  readonly lines: string[] = [];
  readonly process: Deno.ChildProcess;
  readonly #stopSignal: Deno.Signal;
  readonly #exited: Promise<Deno.CommandStatus>;
  #status: Deno.CommandStatus | undefined;
  /** Set once the test signalled the child: from then on its exit is expected. */
  #stopping = false;
  #waiters: { matches: (line: string) => boolean; resolve: (line: string) => void }[] = [];

  /** Starts `command`; `stopSignal` is what disposal sends first (default SIGKILL). */
  constructor(
    name: string,
    command: readonly string[],
    options: {
      env?: Record<string, string>;
      cwd?: string;
      stopSignal?: Deno.Signal;
      /** Default "null"; "piped" to write to `process.stdin`. */
      stdin?: "null" | "piped";
    },
  ) {
    this.name = name;
    this.#stopSignal = options.stopSignal ?? "SIGKILL";
    this.process = new Deno.Command(command[0]!, {
      args: command.slice(1),
      env: { NO_COLOR: "1", ...options.env },
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdin: options.stdin ?? "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const readers = [this.#collect(this.process.stdout), this.#collect(this.process.stderr)];
    this.#exited = this.process.status.then(async (status) => {
      await Promise.all(readers);
      this.#status = status;
      return status;
    });
  }

  async #collect(stream: ReadableStream<Uint8Array>): Promise<void> {
    let rest = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop()!;
      for (const line of parts) this.#line(line);
    }
    if (rest) this.#line(rest);
  }

  #line(line: string): void {
    this.lines.push(line);
    // deno-lint-ignore no-console
    if (Deno.env.get("E2E_VERBOSE")) console.error(`[${this.name}] ${line}`);
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.matches(line)) return true;
      waiter.resolve(line);
      return false;
    });
  }

  /** Whether the process has exited (and its output was read). */
  get exited(): boolean {
    return this.#status !== undefined;
  }

  /**
   * Resolves with the first output line matching `pattern` (already seen or to come). Rejects,
   * quoting the output, when the child exits first or after `timeoutMs`.
   */
  waitForLine(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    return this.waitForNth(pattern, 1, timeoutMs);
  }

  /** Like `waitForLine`, for the `n`th line matching `pattern`. */
  waitForNth(pattern: RegExp, n: number, timeoutMs = 10_000): Promise<string> {
    const seen = this.lines.filter((line) => pattern.test(line));
    if (seen.length >= n) return Promise.resolve(seen[n - 1]!);
    let count = seen.length;
    const { promise, resolve } = Promise.withResolvers<string>();
    const waiter = { matches: (line: string) => pattern.test(line) && ++count === n, resolve };
    this.#waiters.push(waiter);
    const what = n === 1 ? `a line matching ${pattern}` : `${n} lines matching ${pattern}`;
    const exit = this.#exited.then((status) => {
      throw this.#failure(`exited (${describe(status)}) before printing ${what}`);
    });
    return this.#bounded(Promise.race([promise, exit]), timeoutMs, `did not print ${what}`)
      .finally(() => this.#waiters = this.#waiters.filter((other) => other !== waiter));
  }

  /**
   * `promise`, unless the child exits before it settles without having been told to stop, or
   * `timeoutMs` passes: then a rejection naming `what` and quoting the child's output.
   */
  guard<T>(promise: Promise<T>, what: string, timeoutMs = 60_000): Promise<T> {
    const early = this.#exited.then((status) => {
      if (this.#stopping) return new Promise<never>(() => {});
      throw this.#failure(`exited (${describe(status)}) while waiting for ${what}`);
    });
    return this.#bounded(Promise.race([promise, early]), timeoutMs, `did not give ${what}`);
  }

  /** Everything the process printed so far. */
  output(): string {
    return this.lines.join("\n");
  }

  /** Waits for the exit status (and all output); rejects with the output after `timeoutMs`. */
  status(timeoutMs = 30_000): Promise<Deno.CommandStatus> {
    return this.#bounded(this.#exited, timeoutMs, "did not exit");
  }

  /** Sends `signal`; the exit that follows is expected, so no wait treats it as a failure. */
  kill(signal: Deno.Signal = "SIGTERM"): void {
    this.#stopping = true;
    try {
      this.process.kill(signal);
    } catch {
      // Already gone.
    }
  }

  /** Stops the process (its stop signal, then SIGKILL after 3 s) and waits for it. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.exited) return;
    this.kill(this.#stopSignal);
    const timer = setTimeout(() => this.kill("SIGKILL"), 3000);
    try {
      await this.#exited;
    } finally {
      clearTimeout(timer);
    }
  }

  async #bounded<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
    // `Infinity`: a wait raced against something else, bounded by the child's exit alone.
    if (!Number.isFinite(timeoutMs)) return await promise;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.#failure(`${what} within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #failure(what: string): Error {
    const shown = this.lines.slice(-QUOTED_LINES);
    const skipped = this.lines.length - shown.length;
    const output = shown.length === 0 ? "(no output)" : shown.join("\n");
    const header = skipped > 0 ? `last ${shown.length} of ${this.lines.length} lines:\n` : "";
    return new Error(`${this.name} ${what}; its output:\n${header}${output}`);
  }
}

function describe(status: Deno.CommandStatus): string {
  return status.signal ? `signal ${status.signal}` : `code ${status.code}`;
}
