/**
 * Child processes for `emulate`: the app and the adapter, their output passed through line by
 * line with a label, and stopped with everything they started.
 *
 * @module
 */

/** A started child process. */
export interface ManagedProcess {
  /** `app` or `adapter`, as its output lines are labelled. */
  readonly label: string;
  /** Its process id (the leader of its process group). */
  readonly pid: number;
  /** Resolves with the exit status once the process ended and its output was read. */
  readonly exited: Promise<Deno.CommandStatus>;
  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<Deno.CommandStatus>;
  /** Sends `name` to the process group at once. */
  kill(name: Deno.Signal): void;
}

let setsid: boolean | undefined;

/** Whether `setsid` exists (util-linux); then each child gets its own process group. */
function hasSetsid(): boolean {
  if (setsid !== undefined) return setsid;
  try {
    setsid = new Deno.Command("setsid", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    setsid = false;
  }
  return setsid;
}

/** How a process starts and where its output goes. */
export interface ProcessOptions {
  /** Its whole environment: nothing of `emulate`'s own is passed on. */
  readonly env: Record<string, string>;
  /** Its working folder; `emulate`'s own when unset. */
  readonly cwd?: string;
  /** Called with the label and each line it writes to stdout or stderr. */
  readonly onLine: (label: string, line: string) => void;
}

/**
 * Starts `command`. With `setsid` the child leads a new process group, so stopping it also stops
 * what it started (`npm start` starts node, `sh -c` starts the app): nothing is left running.
 */
export function startProcess(
  label: string,
  command: readonly string[],
  options: ProcessOptions,
): ManagedProcess {
  const grouped = hasSetsid();
  const child = spawn(grouped ? ["setsid", ...command] : [...command], options);
  const reading = Promise.all([
    lines(child.stdout, (line) => options.onLine(label, line)),
    lines(child.stderr, (line) => options.onLine(label, line)),
  ]);
  const exited = child.status.then(async (status) => {
    await reading;
    return status;
  });
  const signal = signaller(grouped ? -child.pid : child.pid);
  return {
    label,
    pid: child.pid,
    exited,
    kill: signal,
    // A second is plenty for an app to close its sockets; Ctrl-C must not keep anyone waiting.
    stop: (graceMs = 1000) => stopWithGrace(signal, exited, graceMs),
  };
}

function spawn(argv: readonly string[], options: ProcessOptions): Deno.ChildProcess {
  return new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    env: options.env,
    clearEnv: true,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Sends a signal to `pid`; a negative pid signals the whole process group. */
function signaller(pid: number): (name: Deno.Signal) => void {
  return (name) => {
    try {
      Deno.kill(pid, name);
    } catch {
      // Already gone.
    }
  };
}

/** SIGTERM, SIGKILL after `graceMs`; resolves once the process has exited. */
async function stopWithGrace(
  signal: (name: Deno.Signal) => void,
  exited: Promise<Deno.CommandStatus>,
  graceMs: number,
): Promise<Deno.CommandStatus> {
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
    signal("SIGKILL"); // anything of the group still around
  }
}

async function lines(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void) {
  let rest = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    const parts = (rest + text).split("\n");
    rest = parts.pop()!;
    for (const line of parts) onLine(line.replace(/\r$/, ""));
  }
  if (rest) onLine(rest);
}
