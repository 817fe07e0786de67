/**
 * One emulated execution environment for `emulate`: the Lambda emulator, the adapter as an
 * extension process and the user's app as the runtime process, with the environment Lambda
 * gives them.
 *
 * @module
 */

import { type Emulator, startEmulator } from "../emulator/mod.ts";
import { type ManagedProcess, startProcess } from "./processes.ts";

/** What an environment is made from. */
export interface SandboxSettings {
  readonly appCommand: readonly string[];
  readonly adapterCommand: readonly string[];
  readonly functionName: string;
  readonly memoryMb: number;
  readonly timeoutMs: number;
  readonly region: string;
  readonly maxConcurrency: number;
  readonly taskRoot: string;
  readonly handler: string;
  /** The user's environment (PATH, AWS_LWA_* ...), given to both processes. */
  readonly env: Readonly<Record<string, string>>;
  readonly print: (line: string) => void;
}

/** A running environment. */
export interface Sandbox {
  readonly emulator: Emulator;
  readonly app: ManagedProcess;
  readonly adapter: ManagedProcess;
  /** Resolves with the init duration, or rejects when init fails or exceeds 10 s. */
  readonly init: Promise<number>;
  /** Resolves with a reason when the app or the adapter exits on its own. */
  readonly crashed: Promise<string>;
  stop(): Promise<void>;
}

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

/** Starts the emulator, then the adapter and the app, as Lambda starts extensions and runtime. */
export async function startSandbox(settings: SandboxSettings): Promise<Sandbox> {
  const emulator = await startEmulator({
    functionName: settings.functionName,
    memoryMb: settings.memoryMb,
    region: settings.region,
    handler: settings.handler,
    functionTimeoutMs: settings.timeoutMs,
    initTimeoutMs: 10_000,
    maxConcurrency: settings.maxConcurrency,
  });
  const env = lambdaEnvironment(settings, emulator.runtimeApi);
  const onLine = (label: string, line: string) => settings.print(`[${label}] ${line}`);
  const adapter = startProcess("adapter", settings.adapterCommand, {
    env,
    cwd: settings.taskRoot,
    onLine,
  });
  const app = startProcess("app", settings.appCommand, { env, cwd: settings.taskRoot, onLine });
  let stopping = false;
  const crashed = Promise.race([
    app.exited.then((status) => `the app exited with code ${status.code}`),
    adapter.exited.then((status) => `the adapter exited with code ${status.code}`),
  ]).then((reason) => stopping ? new Promise<string>(() => {}) : reason);
  const init = emulator.waitForInit().then(({ durationMs }) => durationMs);
  init.catch(() => {});
  return {
    emulator,
    app,
    adapter,
    init,
    crashed,
    async stop() {
      stopping = true;
      await Promise.all([app.stop(), adapter.stop()]);
      await emulator.close();
    },
  };
}
