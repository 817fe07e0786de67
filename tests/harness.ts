/**
 * End-to-end harness: the real adapter process against the project's Lambda emulator, with real
 * apps. The adapter runs as `deno run src/main.ts` with the binary's permissions, or as the
 * compiled binary named by `LAMBDA_ADAPTER_BIN` (so a release can test what it ships).
 *
 * @module
 */

import { PERMISSIONS, V8_FLAGS } from "../scripts/compile.ts";
import { type Emulator, type EmulatorOptions, startEmulator } from "../src/emulator/mod.ts";

const ROOT = new URL("../", import.meta.url);
/** The permissions and V8 flags `deno compile` gives the binary (scripts/compile.ts). */
export const ADAPTER_PERMISSIONS = [...PERMISSIONS, ...V8_FLAGS];

/**
 * The command line that starts the adapter: the compiled binary named by `LAMBDA_ADAPTER_BIN`,
 * or the command in `LAMBDA_ADAPTER_CMD` (split on spaces; the bundle and arm64 runs use it),
 * or `deno run src/main.ts` with the binary's permissions.
 */
export function adapterCommand(): string[] {
  const binary = Deno.env.get("LAMBDA_ADAPTER_BIN");
  if (binary) return [binary];
  const command = Deno.env.get("LAMBDA_ADAPTER_CMD");
  if (command) return command.trim().split(/\s+/);
  return [Deno.execPath(), "run", ...ADAPTER_PERMISSIONS, new URL("src/main.ts", ROOT).pathname];
}

/** A free TCP port on loopback (closed again before it is returned). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** A child process whose output is collected line by line. */
export class Child implements AsyncDisposable {
  readonly name: string;
  readonly lines: string[] = [];
  readonly process: Deno.ChildProcess;
  readonly #exited: Promise<Deno.CommandStatus>;
  readonly #readers: Promise<void>[];
  #waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];

  readonly #stopSignal: Deno.Signal;

  constructor(
    name: string,
    command: string[],
    options: { env?: Record<string, string>; cwd?: string; stopSignal?: Deno.Signal },
  ) {
    this.name = name;
    this.#stopSignal = options.stopSignal ?? "SIGKILL";
    this.process = new Deno.Command(command[0]!, {
      args: command.slice(1),
      env: { NO_COLOR: "1", ...options.env },
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#readers = [this.#collect(this.process.stdout), this.#collect(this.process.stderr)];
    this.#exited = this.process.status;
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
      if (!waiter.pattern.test(line)) return true;
      waiter.resolve(line);
      return false;
    });
  }

  /**
   * Resolves with the first output line matching `pattern` (already seen or to come); rejects
   * after `timeoutMs` (`Infinity`: never, for a line that is raced against something else).
   */
  waitForLine(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const seen = this.lines.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(() => {
          reject(new Error(`${this.name}: no line matching ${pattern} in:\n${this.output()}`));
        }, timeoutMs)
        : undefined;
      this.#waiters.push({
        pattern,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });
  }

  /** Everything the process printed so far. */
  output(): string {
    return this.lines.join("\n");
  }

  /** Waits for the exit status (and for all output to be read). */
  async status(): Promise<Deno.CommandStatus> {
    const status = await this.#exited;
    await Promise.all(this.#readers);
    return status;
  }

  kill(signal: Deno.Signal = "SIGTERM"): void {
    try {
      this.process.kill(signal);
    } catch {
      // Already gone.
    }
  }

  /** Stops the process (its stop signal, then SIGKILL after 3 s) and waits for it. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.kill(this.#stopSignal);
    const timer = setTimeout(() => this.kill("SIGKILL"), 3000);
    try {
      await this.status();
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The apps the tests put behind the adapter. */
export type AppKind = "deno" | "express" | "httpbin" | "bad";

/** Starts an app on `port` and waits until it listens; `script` replaces the Deno echo app. */
export async function startApp(
  kind: AppKind,
  port: number,
  env: Record<string, string> = {},
  script?: string,
) {
  const apps = new URL("tests/apps/", ROOT).pathname;
  const commands: Record<AppKind, string[]> = {
    deno: [Deno.execPath(), "run", "--allow-net", "--allow-env", script ?? `${apps}echo_app.ts`],
    bad: [Deno.execPath(), "run", "--allow-net", "--allow-env", `${apps}bad_app.ts`],
    express: ["node", `${apps}express/app.js`],
    httpbin: [
      "/usr/bin/python3",
      "-m",
      "gunicorn",
      "--bind",
      `127.0.0.1:${port}`,
      "--workers",
      "2",
      "httpbin:app",
    ],
  };
  // gunicorn's workers hold our pipes; SIGINT makes the master stop them at once.
  const stopSignal = kind === "httpbin" ? "SIGINT" : "SIGKILL";
  const child = new Child(kind, commands[kind], { env: { PORT: `${port}`, ...env }, stopSignal });
  await waitForPort(port, child);
  return child;
}

async function waitForPort(port: number, child: Child, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new Error(`${child.name} did not listen on ${port}:\n${child.output()}`);
}

/** Everything one end-to-end test needs: an emulator, an app and the adapter. */
export interface Stack extends AsyncDisposable {
  readonly emulator: Emulator;
  readonly adapter: Child;
  readonly app: Child | undefined;
  readonly appPort: number;
}

/** Starts the emulator, the app (unless `app` is null) and the adapter; disposes all three. */
export async function startStack(options: {
  app: AppKind | null;
  appPort?: number;
  appEnv?: Record<string, string>;
  env?: Record<string, string>;
  emulator?: EmulatorOptions;
  waitForInit?: boolean;
}): Promise<Stack> {
  const emulator = await startEmulator(options.emulator);
  const appPort = options.appPort ?? freePort();
  let app: Child | undefined;
  let adapter: Child | undefined;
  try {
    app = options.app ? await startApp(options.app, appPort, options.appEnv) : undefined;
    adapter = new Child("adapter", adapterCommand(), {
      env: {
        AWS_LAMBDA_RUNTIME_API: emulator.runtimeApi,
        AWS_LWA_PORT: `${appPort}`,
        AWS_LAMBDA_FUNCTION_NAME: "e2e",
        AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
        ...options.env,
      },
    });
    if (options.waitForInit !== false) {
      await emulator.waitForInit().catch((error) => {
        throw new Error(`${error.message}\nadapter output:\n${adapter!.output()}`);
      });
    }
  } catch (error) {
    if (adapter) await adapter[Symbol.asyncDispose]();
    if (app) await app[Symbol.asyncDispose]();
    await emulator.close();
    throw error;
  }
  const started = { emulator, adapter, app, appPort };
  return {
    ...started,
    async [Symbol.asyncDispose]() {
      await adapter[Symbol.asyncDispose]();
      if (app) await app[Symbol.asyncDispose]();
      await emulator.close();
    },
  };
}

/** Decodes a response result as JSON. */
export function resultJson(result: { kind: string; body?: Uint8Array }): Record<string, unknown> {
  if (result.kind !== "response" || !result.body) {
    throw new Error(`expected a response, got ${JSON.stringify(result)}`);
  }
  return JSON.parse(new TextDecoder().decode(result.body));
}

/** The command line of `lambda-adapter <args>` (the binary, or `deno run src/main.ts`). */
export function cliCommand(args: string[]): string[] {
  const binary = Deno.env.get("LAMBDA_ADAPTER_BIN");
  if (binary) return [binary, ...args];
  const command = Deno.env.get("LAMBDA_ADAPTER_CMD");
  if (command) return [...command.trim().split(/\s+/), ...args];
  return [
    Deno.execPath(),
    "run",
    ...ADAPTER_PERMISSIONS,
    new URL("src/main.ts", ROOT).pathname,
    ...args,
  ];
}

/** `lambda-adapter emulate` running an app; resolves once its front door listens. */
export async function startEmulate(options: {
  app: string[];
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
}): Promise<{ child: Child; url: string } & AsyncDisposable> {
  const port = freePort();
  const appPort = freePort();
  const child = new Child(
    "emulate",
    cliCommand(["emulate", "--port", `${port}`, ...(options.args ?? []), "--", ...options.app]),
    {
      env: {
        PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
        HOME: Deno.env.get("HOME") ?? "/tmp",
        PORT: `${appPort}`,
        AWS_LWA_PORT: `${appPort}`,
        ...options.env,
      },
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stopSignal: "SIGINT",
    },
  );
  try {
    await child.waitForLine(/^Front door on http:/, 20_000);
  } catch (error) {
    await child[Symbol.asyncDispose]();
    throw error;
  }
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    [Symbol.asyncDispose]: () => child[Symbol.asyncDispose](),
  };
}
