/**
 * End-to-end harness: the real adapter process against the project's Lambda emulator, with real
 * apps. The adapter runs as `deno run src/main.ts` with the binary's permissions, or as the
 * compiled binary named by `LAMBDA_ADAPTER_BIN` (so a release can test what it ships).
 *
 * @module
 */

import { bundle, bundleCommand, PERMISSIONS, V8_FLAGS } from "../scripts/runtime_flags.ts";
import { type Emulator, type EmulatorOptions, startEmulator } from "../src/emulator/mod.ts";
import { Child } from "./support/child.ts";
import { childPort, portTaken } from "./support/ports.ts";

export { Child } from "./support/child.ts";
export { freePort } from "./support/ports.ts";

const ROOT = new URL("../", import.meta.url);
/** The permissions and V8 flags `deno compile` gives the binary (scripts/runtime_flags.ts). */
export const ADAPTER_PERMISSIONS = [...PERMISSIONS, ...V8_FLAGS];

/**
 * The command line that starts the adapter: the compiled binary named by `LAMBDA_ADAPTER_BIN`,
 * or the command in `LAMBDA_ADAPTER_CMD` (split on spaces; the bundle and arm64 runs use it;
 * the word `bundle` stands for dist/bundle/main.js run with the binary's flags, built by
 * {@link prepareAdapter}), or `deno run src/main.ts` with the binary's permissions.
 */
export function adapterCommand(): string[] {
  const binary = Deno.env.get("LAMBDA_ADAPTER_BIN");
  if (binary) return [binary];
  const command = Deno.env.get("LAMBDA_ADAPTER_CMD");
  if (command?.trim() === "bundle") return bundleCommand();
  if (command) return command.trim().split(/\s+/);
  return [Deno.execPath(), "run", ...ADAPTER_PERMISSIONS, new URL("src/main.ts", ROOT).pathname];
}

/** The apps the tests put behind the adapter. */
export type AppKind = "deno" | "express" | "httpbin" | "bad";

const APPS = new URL("tests/apps/", ROOT).pathname;

/** The command of the Deno echo app (tests/apps/echo_app.ts); it reads `PORT`. */
export const DENO_APP: readonly string[] = [
  Deno.execPath(),
  "run",
  "--allow-net",
  "--allow-env",
  `${APPS}echo_app.ts`,
];

/** The command of the Express app (tests/apps/express); it reads `PORT`. */
export const EXPRESS_APP: readonly string[] = ["node", `${APPS}express/app.js`];

/** What each app prints once it listens; the last group is the port it got. */
const LISTENING: Record<AppKind, RegExp> = {
  deno: /listening on (\d+)/,
  bad: /listening on (\d+)/,
  express: /listening on (\d+)/,
  httpbin: /Listening at: \S+:(\d+)/,
};

/** An app process and the port it listens on. */
export class AppProcess extends Child {
  /** The port it reported, once it listens. */
  port = 0;
}

/**
 * Starts an app and waits until it listens. With port 0 (the default) the app picks a free port
 * and reports it, so parallel tests never race for one. `script` replaces the Deno echo app.
 */
export async function startApp(
  kind: AppKind,
  port = 0,
  env: Record<string, string> = {},
  script?: string,
): Promise<AppProcess> {
  const commands: Record<AppKind, readonly string[]> = {
    deno: script ? [...DENO_APP.slice(0, -1), script] : DENO_APP,
    bad: [...DENO_APP.slice(0, -1), `${APPS}bad_app.ts`],
    express: EXPRESS_APP,
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
  const app = new AppProcess(kind, commands[kind], {
    env: { PORT: `${port}`, ...env },
    stopSignal,
  });
  try {
    const line = await app.waitForLine(LISTENING[kind], 15_000);
    app.port = Number(LISTENING[kind].exec(line)![1]);
  } catch (error) {
    await app[Symbol.asyncDispose]();
    throw error;
  }
  return app;
}

/** Everything one end-to-end test needs: an emulator, an app and the adapter. */
export interface Stack extends AsyncDisposable {
  /**
   * The emulator; `invoke()` and `waitForInit()` fail with the processes' output when the
   * adapter or the app exits before they settle (unless the test stopped it), or after 60 s.
   */
  readonly emulator: Emulator;
  readonly adapter: Child;
  readonly app: AppProcess | undefined;
  readonly appPort: number;
}

/** Starts the emulator, the app (unless `app` is null) and the adapter; disposes all three. */
export async function startStack(options: {
  app: AppKind | null;
  appEnv?: Record<string, string>;
  env?: Record<string, string>;
  emulator?: EmulatorOptions;
  waitForInit?: boolean;
}): Promise<Stack> {
  // The adapter is the function's one extension: init waits for its registration, as Lambda's.
  const raw = await startEmulator({ extensions: 1, ...options.emulator });
  let app: AppProcess | undefined;
  let adapter: Child | undefined;
  try {
    app = options.app ? await startApp(options.app, 0, options.appEnv) : undefined;
    const appPort = app?.port ?? childPort();
    adapter = new Child("adapter", adapterCommand(), {
      env: {
        AWS_LAMBDA_RUNTIME_API: raw.runtimeApi,
        AWS_LWA_PORT: `${appPort}`,
        AWS_LAMBDA_FUNCTION_NAME: "e2e",
        AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
        ...options.env,
      },
    });
    // Only the adapter: an app that exits is the adapter's to report, and some tests crash it.
    const emulator = guardedEmulator(raw, [adapter]);
    if (options.waitForInit !== false) {
      await emulator.waitForInit().catch((error) => {
        throw new Error(`${error.message}\nadapter output:\n${adapter!.output()}`);
      });
    }
    const stack = { emulator, adapter, app, appPort };
    return {
      ...stack,
      async [Symbol.asyncDispose]() {
        await adapter![Symbol.asyncDispose]();
        if (app) await app[Symbol.asyncDispose]();
        await raw.close();
      },
    };
  } catch (error) {
    if (adapter) await adapter[Symbol.asyncDispose]();
    if (app) await app[Symbol.asyncDispose]();
    await raw.close();
    throw error;
  }
}

/** `emulator` whose waits end early when one of `children` exits on its own. */
function guardedEmulator(emulator: Emulator, children: Child[]): Emulator {
  const guard = <T>(promise: Promise<T>, what: string) =>
    children.reduce((guarded, child) => child.guard(guarded, what), promise);
  return new Proxy(emulator, {
    get(target, key) {
      if (key === "invoke") {
        return (...args: Parameters<Emulator["invoke"]>) =>
          guard(target.invoke(...args), "an invocation's result");
      }
      if (key === "waitForInit") return () => guard(target.waitForInit(), "the end of init");
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Decodes a response result as JSON. */
export function resultJson(result: { kind: string; body?: Uint8Array }): Record<string, unknown> {
  if (result.kind !== "response" || !result.body) {
    throw new Error(`expected a response, got ${JSON.stringify(result)}`);
  }
  return JSON.parse(new TextDecoder().decode(result.body));
}

/** Builds the bundle when `LAMBDA_ADAPTER_CMD=bundle` asks for it (benchmarks call this first). */
export async function prepareAdapter(): Promise<void> {
  if (Deno.env.get("LAMBDA_ADAPTER_CMD")?.trim() === "bundle") await bundle();
}

/** The command line of `lambda-adapter <args>` (the binary, or `deno run src/main.ts`). */
export function cliCommand(args: string[]): string[] {
  const binary = Deno.env.get("LAMBDA_ADAPTER_BIN");
  if (binary) return [binary, ...args];
  const command = Deno.env.get("LAMBDA_ADAPTER_CMD");
  if (command?.trim() === "bundle") return [...bundleCommand(), ...args];
  if (command) return [...command.trim().split(/\s+/), ...args];
  return [
    Deno.execPath(),
    "run",
    ...ADAPTER_PERMISSIONS,
    new URL("src/main.ts", ROOT).pathname,
    ...args,
  ];
}

/** A running `lambda-adapter emulate`. */
export interface Emulate extends AsyncDisposable {
  readonly child: Child;
  /** The front door, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /**
   * `fetch` of `path` on the front door, ending early with emulate's output if emulate exits
   * first, or after `timeoutMs` (default 60 s).
   */
  fetch(path: string, init?: RequestInit & { timeoutMs?: number }): Promise<Response>;
}

/** Lines that end `emulate`'s start-up: init succeeded, or something says it will not. */
const INIT_DONE = /^INIT_REPORT Init Duration/;
const INIT_END = /^INIT_REPORT|^the (app|adapter) (exited|was killed)/;

/**
 * `lambda-adapter emulate` running an app, on a front door port it picks itself. Resolves once
 * the app is ready (`until: "init"`, the default; a failed init rejects with emulate's output)
 * or as soon as the front door listens (`until: "listening"`). An app whose port turned out to
 * be taken is started again on another.
 */
export async function startEmulate(options: {
  app: readonly string[];
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  until?: "init" | "listening";
}): Promise<Emulate> {
  for (let attempt = 1;; attempt++) {
    const emulate = launchEmulate(options);
    try {
      const line = await emulate.waitForLine(/^Front door on http:/, 20_000);
      const url = /http:\/\/[^ ]+/.exec(line)![0];
      if (options.until !== "listening") await initialised(emulate);
      return {
        child: emulate,
        url,
        fetch: (path, init = {}) => {
          const { timeoutMs, ...rest } = init;
          const abort = new AbortController();
          const answer = fetch(`${url}${path}`, { signal: abort.signal, ...rest });
          return emulate.guard(answer, `an answer to ${path}`, timeoutMs).catch((error) => {
            abort.abort();
            throw error;
          });
        },
        [Symbol.asyncDispose]: () => emulate[Symbol.asyncDispose](),
      };
    } catch (error) {
      await emulate[Symbol.asyncDispose]();
      if (attempt < 3 && portTaken(emulate.output())) continue;
      throw error;
    }
  }
}

function launchEmulate(options: {
  app: readonly string[];
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
}): Child {
  const appPort = childPort();
  const args = ["emulate", "--port", "0", ...(options.args ?? []), "--", ...options.app];
  return new Child("emulate", cliCommand(args), {
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: Deno.env.get("HOME") ?? "/tmp",
      PORT: `${appPort}`,
      AWS_LWA_PORT: `${appPort}`,
      ...options.env,
    },
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stopSignal: "SIGINT",
  });
}

/** Waits for init to succeed; rejects with emulate's output when it fails instead. */
async function initialised(emulate: Child): Promise<void> {
  const line = await emulate.waitForLine(INIT_END, 30_000);
  if (!INIT_DONE.test(line)) {
    throw new Error(
      `emulate: the app did not become ready (${line}); its output:\n${emulate.output()}`,
    );
  }
}
