/**
 * `lambda-adapter`: runs as a Lambda extension beside a web app and serves Lambda invocations
 * through it. The only module that reads the environment, listens for signals and exits.
 *
 * Lifecycle: read the config; register as an extension (in the background); wait until the app
 * is ready; poll the Runtime API with one loop per allowed concurrent invocation; on SIGTERM or
 * a SHUTDOWN event stop polling, let in-flight invocations finish, exit 0.
 *
 * @module
 */

import denoConfig from "../deno.json" with { type: "json" };
import { createInvocationHandler } from "./adapter/handler.ts";
import { loadZlib } from "./adapter/compression.ts";
import {
  type AdapterConfig,
  ConfigError,
  convertOptions,
  formatProblem,
  loadConfig,
} from "./config/config.ts";
import { describeError, ErrorType } from "./lambda/errors.ts";
import { createHttpClient, type HttpClientHandle } from "./http/client.ts";
import { nextExtensionEvent, registerExtension } from "./lambda/extension_api.ts";
import { createRuntimeApi, type ErrorReport } from "./lambda/runtime_api.ts";
import { parseRuntimeApi, type RuntimeApiAddress } from "./lambda/runtime_api_address.ts";
import { createLogger, type Logger } from "./util/log.ts";
import { readinessUrl } from "./adapter/readiness.ts";
import { startReadiness } from "./adapter/readiness_gate.ts";
import { runWorker } from "./adapter/worker.ts";

const USER_AGENT = `lambda-adapter/${denoConfig.version} (deno ${Deno.version.deno})`;
/** LWA's async-init budget: just under Lambda's 10 s init limit. */
const ASYNC_INIT_BUDGET_MS = 9800;

/** Runs the adapter; resolves to the process exit code. */
export async function main(env: Record<string, string>): Promise<number> {
  let config: AdapterConfig;
  let log: Logger;
  try {
    const loaded = loadConfig(env);
    config = loaded.config;
    log = createLogger({ level: config.logLevel, format: config.logFormat });
    for (const warning of loaded.warnings) log.warn(warning);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return await configFailure(error, env);
  }

  const shutdown = new AbortController();
  const stop = () => shutdown.abort();
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);

  const clients: HttpClientHandle[] = [];
  function client(address: { hostname: string; port: number }, pooling = true) {
    const handle = createHttpClient({ hostname: address.hostname, port: address.port, pooling });
    clients.push(handle);
    return handle.request;
  }
  const appAddress = { hostname: config.appHost, port: config.appPort };
  const app = client(appAddress);
  // SnapStart snapshots the sandbox at the end of init; a connection opened before then is stale
  // once restored (LWA#671), so the readiness probes keep none and invocations pool their own.
  const probe = config.snapStart ? client(appAddress, false) : app;
  const runtimeClient = client(config.runtimeApi);
  const runtime = createRuntimeApi(runtimeClient, {
    basePath: config.runtimeApi.basePath,
    userAgent: USER_AGENT,
  });

  const extension = runExtension(config, client(config.extensionApi), log, shutdown.signal)
    .then(() => stop(), async (error) => {
      log.error("Extension registration failed - terminating process", {
        error: describeError(error),
      });
      await runtime.initError({
        errorType: "Extension.RegistrationFailed",
        errorMessage: describeError(error),
      }).catch(() => {});
      return Deno.exit(1);
    });

  const readinessOptions = {
    protocol: config.readiness.protocol,
    hostname: config.appHost,
    port: config.readiness.port,
    path: config.readiness.path,
    healthyStatus: config.readiness.healthyStatus,
    client: probe,
    log,
  };
  // Loaded while the app starts, so the import stays off the first invocation.
  const zlib = config.enableCompression ? loadZlib() : Promise.resolve(undefined);
  const { gate, init } = startReadiness(readinessOptions, {
    asyncInitBudgetMs: config.asyncInit ? ASYNC_INIT_BUDGET_MS : undefined,
    signal: shutdown.signal,
  });
  try {
    const ready = await init;
    if (ready.ready) {
      log.info("app is ready", { url: readinessUrl(readinessOptions), elapsedMs: ready.elapsedMs });
    } else {
      log.warn("app is not ready yet; the first invocation will wait for it", {
        url: readinessUrl(readinessOptions),
        elapsedMs: ready.elapsedMs,
      });
    }
  } catch {
    log.info("shut down before the app was ready");
  }

  const handle = createInvocationHandler({
    zlib: await zlib,
    config,
    convert: convertOptions(config),
    client: app,
    log,
    readiness: gate,
  });
  const workers = Array.from(
    { length: config.maxConcurrency },
    (_, index) =>
      runWorker({
        runtime,
        handle,
        log: config.maxConcurrency > 1 ? log.with({ worker: index }) : log,
        signal: shutdown.signal,
      }),
  );
  await Promise.all(workers);
  log.info("shutting down");
  Deno.removeSignalListener("SIGTERM", stop);
  Deno.removeSignalListener("SIGINT", stop);
  await extension;
  await Promise.all(clients.map((handle) => handle.close()));
  return 0;
}

/** Registers for SHUTDOWN only: an INVOKE subscription would add a round trip per invocation. */
async function runExtension(
  config: AdapterConfig,
  client: ReturnType<typeof createHttpClient>["request"],
  log: Logger,
  signal: AbortSignal,
): Promise<void> {
  const basePath = config.extensionApi.basePath;
  const id = await registerExtension(client, {
    basePath,
    name: extensionName(),
    events: ["SHUTDOWN"],
  });
  log.debug("registered as an extension", { id });
  while (!signal.aborted) {
    let event;
    try {
      event = await nextExtensionEvent(client, { basePath, id }, signal);
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    if (event.eventType === "SHUTDOWN") {
      log.info("received SHUTDOWN", {
        reason: (event as { shutdownReason?: string }).shutdownReason,
      });
      return;
    }
  }
}

/** Lambda requires the registered name to equal the file name in /opt/extensions. */
function extensionName(): string {
  try {
    const name = Deno.execPath().split("/").pop() ?? "";
    return name === "" || name === "deno" ? "lambda-adapter" : name;
  } catch {
    return "lambda-adapter";
  }
}

/** One line per bad setting, a report to /runtime/init/error when possible, then exit 1. */
async function configFailure(error: ConfigError, env: Record<string, string>): Promise<number> {
  const log = createLogger();
  for (const problem of error.problems) log.error(formatProblem(problem));
  let address: RuntimeApiAddress | undefined;
  try {
    address = env.AWS_LAMBDA_RUNTIME_API ? parseRuntimeApi(env.AWS_LAMBDA_RUNTIME_API) : undefined;
  } catch {
    address = undefined;
  }
  if (address) {
    const handle = createHttpClient({ hostname: address.hostname, port: address.port });
    const report: ErrorReport = { errorType: ErrorType.InvalidConfig, errorMessage: error.message };
    await createRuntimeApi(handle.request, { basePath: address.basePath, userAgent: USER_AGENT })
      .initError(report)
      .catch((reportError) =>
        log.error("reporting the init error failed", { error: describeError(reportError) })
      );
    await handle.close();
  }
  return 1;
}

/** Arguments that select a local command; in Lambda the extension starts with none. */
const CLI_COMMANDS = new Set(["emulate", "invoke", "help", "--help", "-h", "--version"]);

async function cli(args: string[]): Promise<number> {
  const { runCli } = await import("./cli/mod.ts");
  const stop = new AbortController();
  const abort = () => stop.abort();
  Deno.addSignalListener("SIGINT", abort);
  Deno.addSignalListener("SIGTERM", abort);
  // deno-lint-ignore no-console
  const io = { print: console.log, error: console.error, stdin: Deno.stdin.readable };
  const code = await runCli(args, Deno.env.toObject(), stop.signal, io);
  Deno.removeSignalListener("SIGINT", abort);
  Deno.removeSignalListener("SIGTERM", abort);
  return code;
}

if (import.meta.main) {
  const args = Deno.args;
  Deno.exit(
    args.length > 0 && CLI_COMMANDS.has(args[0]!)
      ? await cli(args)
      : await main(Deno.env.toObject()),
  );
}
