/**
 * One emulated execution environment for `emulate`: the Lambda emulator, the adapter as an
 * extension process and the user's app as the runtime process, with the environment Lambda
 * gives them.
 *
 * @module
 */

import { type Emulator, startEmulator } from "../emulator/mod.ts";
import type { Clock } from "../util/clock.ts";
import { type ManagedProcess, startProcess } from "./processes.ts";

/** What an environment is made from. */
export interface SandboxSettings {
  /** How to start the app. */
  readonly appCommand: readonly string[];
  /** How to start the adapter. */
  readonly adapterCommand: readonly string[];
  /** `AWS_LAMBDA_FUNCTION_NAME`. */
  readonly functionName: string;
  /** `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`. */
  readonly memoryMb: number;
  /** The function timeout. */
  readonly timeoutMs: number;
  /** `AWS_REGION`. */
  readonly region: string;
  /** Invocations at once. */
  readonly maxConcurrency: number;
  /** `LAMBDA_TASK_ROOT` and the processes' working folder. */
  readonly taskRoot: string;
  /** `_HANDLER`. */
  readonly handler: string;
  /** The user's environment (PATH, AWS_LWA_* ...), given to both processes. */
  readonly env: Readonly<Record<string, string>>;
  /** Variables for the adapter alone, over the others (`--inspect` points it at its proxy). */
  readonly adapterEnv?: Readonly<Record<string, string>> | undefined;
  /** Writes the processes' labelled output and the log. */
  readonly print: (line: string) => void;
  /** The emulator's clock. @default systemClock */
  readonly clock?: Clock;
}

/** Which process of the environment ended, and how. */
export interface ProcessExit {
  /** Which process ended. */
  readonly process: "app" | "adapter";
  /** How it ended. */
  readonly status: Deno.CommandStatus;
}

/** How an environment's init phase ended. */
export type InitOutcome =
  | { readonly kind: "ready"; readonly durationMs: number }
  /** The app or the adapter exited before init completed. */
  | { readonly kind: "exited"; readonly exit: ProcessExit }
  /** An init error was posted (`errorType` set), or init outlived its limit. */
  | { readonly kind: "failed"; readonly error: Error; readonly errorType?: string };

/** A running environment. */
export interface Sandbox {
  /** The environment's Runtime and Extensions API emulator. */
  readonly emulator: Emulator;
  /** The two processes' ids. */
  readonly pids: { readonly app: number; readonly adapter: number };
  /** The init phase's limit: 10 s at start-up, the function timeout when an invocation retries. */
  readonly initLimitMs: number;
  /** Settles once init ends, however it ends; never rejects. */
  readonly init: Promise<InitOutcome>;
  /** Resolves when the app or the adapter exits on its own (never after `stop()`). */
  readonly ended: Promise<ProcessExit>;
  /** The last lines the app and the adapter printed, labelled. */
  tail(): string[];
  /** Stops both processes (with everything they started) and the emulator. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL to the app and everything it started, as Lambda's out-of-memory kill. */
  kill(): void;
}

/** How many lines of output `tail()` keeps. */
const TAIL_LINES = 10;

/** The variables Lambda sets for a function's processes (AWS docs, "Defined runtime environment variables"). */
export function lambdaEnvironment(
  settings: SandboxSettings,
  runtimeApi: string,
): Record<string, string> {
  const stream = `${new Date().toISOString().slice(0, 10).replaceAll("-", "/")}/[$LATEST]${
    crypto.randomUUID().replaceAll("-", "")
  }`;
  return {
    ...settings.env,
    AWS_LAMBDA_RUNTIME_API: runtimeApi,
    AWS_LAMBDA_FUNCTION_NAME: settings.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: `${settings.memoryMb}`,
    AWS_LAMBDA_FUNCTION_TIMEOUT: `${Math.round(settings.timeoutMs / 1000)}`,
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${settings.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: stream,
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    AWS_REGION: settings.region,
    AWS_DEFAULT_REGION: settings.region,
    AWS_EXECUTION_ENV: "AWS_Lambda_lambda-adapter-emulate",
    LAMBDA_TASK_ROOT: settings.taskRoot,
    LAMBDA_RUNTIME_DIR: settings.taskRoot,
    _HANDLER: settings.handler,
    TZ: settings.env.TZ ?? ":UTC",
    ...(settings.maxConcurrency > 1
      ? { AWS_LAMBDA_MAX_CONCURRENCY: `${settings.maxConcurrency}` }
      : {}),
  };
}

/**
 * Starts the emulator, then the adapter and the app, as Lambda starts extensions and runtime.
 * Rejects (with nothing left running) when a process cannot be started at all.
 */
export async function startSandbox(
  settings: SandboxSettings,
  initLimitMs: number,
): Promise<Sandbox> {
  const emulator = await startEmulator({
    functionName: settings.functionName,
    memoryMb: settings.memoryMb,
    region: settings.region,
    handler: settings.handler,
    functionTimeoutMs: settings.timeoutMs,
    initTimeoutMs: initLimitMs,
    maxConcurrency: settings.maxConcurrency,
    // The adapter is the extension Lambda starts; init waits for its registration.
    extensions: 1,
    ...(settings.clock ? { clock: settings.clock } : {}),
  });
  const env = lambdaEnvironment(settings, emulator.runtimeApi);
  const lines: string[] = [];
  const onLine = (label: string, line: string) => {
    const labelled = `[${label}] ${line}`;
    lines.push(labelled);
    if (lines.length > TAIL_LINES) lines.shift();
    settings.print(labelled);
  };
  const options = { env, cwd: settings.taskRoot, onLine };
  const started: ManagedProcess[] = [];
  try {
    const adapterEnv = { ...env, ...settings.adapterEnv };
    started.push(startProcess("adapter", settings.adapterCommand, { ...options, env: adapterEnv }));
    started.push(startProcess("app", settings.appCommand, options));
  } catch (error) {
    await Promise.all(started.map((process) => process.stop()));
    await emulator.close();
    throw error;
  }
  const [adapter, app] = started as [ManagedProcess, ManagedProcess];
  return running(emulator, initLimitMs, adapter, app, () => [...lines]);
}

function running(
  emulator: Emulator,
  initLimitMs: number,
  adapter: ManagedProcess,
  app: ManagedProcess,
  tail: () => string[],
): Sandbox {
  let stopping: Promise<void> | undefined;
  const exit = Promise.race([
    app.exited.then((status): ProcessExit => ({ process: "app", status })),
    adapter.exited.then((status): ProcessExit => ({ process: "adapter", status })),
  ]);
  const ended = exit.then((exit) => stopping ? new Promise<ProcessExit>(() => {}) : exit);
  const init = Promise.race([
    emulator.waitForInit().then(
      ({ durationMs }): InitOutcome => ({ kind: "ready", durationMs }),
      (error: Error): InitOutcome => {
        const errorType = emulator.initErrors[0]?.errorType;
        return errorType === undefined
          ? { kind: "failed", error }
          : { kind: "failed", error, errorType };
      },
    ),
    ended.then((exit): InitOutcome => ({ kind: "exited", exit })),
  ]);
  return {
    emulator,
    pids: { app: app.pid, adapter: adapter.pid },
    initLimitMs,
    init,
    ended,
    tail,
    kill: () => app.kill("SIGKILL"),
    stop() {
      return stopping ??= (async () => {
        await Promise.all([app.stop(), adapter.stop()]);
        await emulator.close();
      })();
    },
  };
}
