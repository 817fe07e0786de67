/**
 * The adapter's lifecycle, LWA's `main` as a short run of named steps: register as an extension
 * (in the background), wait until the app is ready, poll the Runtime API with one loop per
 * allowed concurrent invocation, and stop in two steps (see shutdown.ts) on SIGTERM, a SHUTDOWN
 * event, or an API that is gone for good.
 *
 * @module
 */

import type { AdapterConfig } from "../config/config.ts";
import { convertOptions } from "../config/config.ts";
import { createHttpClient, type HttpClientHandle } from "../http/client.ts";
import type { HttpClient } from "../http/types.ts";
import { describeError } from "../lambda/errors.ts";
import { createRuntimeApi, type RuntimeApi } from "../lambda/runtime_api.ts";
import type { Logger } from "../util/log.ts";
import { loadZlib, type Zlib } from "./compression.ts";
import { type ExtensionEnd, runExtension } from "./extension.ts";
import { createInvocationHandler } from "./handler.ts";
import { readinessUrl } from "./readiness.ts";
import { type ReadinessGate, startReadiness } from "./readiness_gate.ts";
import { graceUntil, type Shutdown, SIGNAL_GRACE_MS } from "./shutdown.ts";
import { runWorker } from "./worker.ts";

/** LWA's async-init budget: just under Lambda's 10 s init limit. */
const ASYNC_INIT_BUDGET_MS = 9800;

/** What the lifecycle needs besides the config. */
export interface RunOptions {
  /** The adapter's logger. */
  readonly log: Logger;
  /** Signals and the SHUTDOWN event end the loops through it. */
  readonly shutdown: Shutdown;
  /** `User-Agent` of the Runtime API calls. */
  readonly userAgent: string;
  /** The executable's file name, which Lambda requires as the extension's name. */
  readonly extensionName: string;
}

/**
 * Runs the adapter until it stops: registers the extension, waits for the app, then polls the
 * Runtime API with one worker per allowed concurrent invocation until SHUTDOWN or a signal.
 * Resolves to the process exit code; `src/main.ts` is the caller.
 */
export async function runAdapter(config: AdapterConfig, options: RunOptions): Promise<number> {
  const { log, shutdown } = options;
  const clients: HttpClientHandle[] = [];
  const client = (address: { hostname: string; port: number }, pooling = true): HttpClient => {
    const handle = createHttpClient({ hostname: address.hostname, port: address.port, pooling });
    clients.push(handle);
    return handle.request;
  };
  const appAddress = { hostname: config.appHost, port: config.appPort };
  const app = client(appAddress);
  // SnapStart snapshots the sandbox at the end of init; a connection opened before then is stale
  // once restored (LWA#671), so the readiness probes keep none and invocations pool their own.
  const probe = config.snapStart ? client(appAddress, false) : app;
  const runtime = createRuntimeApi(client(config.runtimeApi), {
    basePath: config.runtimeApi.basePath,
    userAgent: options.userAgent,
  });
  let initDone = false;
  const extension = runExtension({
    client: client(config.extensionApi),
    basePath: config.extensionApi.basePath,
    name: options.extensionName,
    log,
    signal: shutdown.stopping,
    onRegistered: (id) => log.debug("registered as an extension", { id }),
  }).then((end) => extensionEnded(end, { log, shutdown, runtime, initDone: () => initDone }));

  // Loaded while the app starts, so the import stays off the first invocation.
  const zlib = config.enableCompression ? loadZlib() : Promise.resolve(undefined);
  const gate = await awaitReadiness(config, probe, log, shutdown);
  if (!shutdown.stopping.aborted) {
    initDone = true;
    await serve(config, { app, runtime, gate, log, shutdown, zlib: await zlib });
  }
  log.info("shutting down", { reason: shutdown.reason });
  await extension;
  shutdown.dispose();
  await Promise.all(clients.map((handle) => handle.close()));
  return shutdown.exitCode;
}

/** Starts the readiness check and waits for it (or for the async-init budget). */
async function awaitReadiness(
  config: AdapterConfig,
  app: HttpClient,
  log: Logger,
  shutdown: Shutdown,
): Promise<ReadinessGate> {
  const readiness = {
    protocol: config.readiness.protocol,
    hostname: config.appHost,
    port: config.readiness.port,
    path: config.readiness.path,
    healthyStatus: config.readiness.healthyStatus,
    client: app,
    log,
  };
  const { gate, init } = startReadiness(readiness, {
    asyncInitBudgetMs: config.asyncInit ? ASYNC_INIT_BUDGET_MS : undefined,
    signal: shutdown.stopping,
  });
  const url = readinessUrl(readiness);
  try {
    const { ready, elapsedMs } = await init;
    if (ready) log.info("app is ready", { url, elapsedMs });
    else {log.warn("app is not ready yet; the first invocation will wait for it", {
        url,
        elapsedMs,
      });}
  } catch {
    log.info("shut down before the app was ready");
  }
  return gate;
}

/** Polls with one worker per allowed concurrent invocation until the shutdown. */
async function serve(
  config: AdapterConfig,
  parts: { app: HttpClient; runtime: RuntimeApi; gate: ReadinessGate } & {
    log: Logger;
    shutdown: Shutdown;
    zlib: Zlib | undefined;
  },
): Promise<void> {
  const { runtime, log, shutdown } = parts;
  const handle = createInvocationHandler({
    zlib: parts.zlib,
    config,
    convert: convertOptions(config),
    client: parts.app,
    log,
    readiness: parts.gate,
  });
  const workers = Array.from({ length: config.maxConcurrency }, async (_, index) => {
    const end = await runWorker({
      runtime,
      handle,
      log: config.maxConcurrency > 1 ? log.with({ worker: index }) : log,
      signal: shutdown.stopping,
      abort: shutdown.abort,
    });
    if (end.kind === "gone") {
      log.error("the Runtime API is gone; stopping after the invocations in flight", {
        error: describeError(end.error),
      });
      shutdown.begin("the Runtime API is gone", SIGNAL_GRACE_MS, 1);
    }
  });
  await Promise.all(workers);
}

/** Acts on the end of the extension loop: shut down on SHUTDOWN, fail when the API is gone. */
async function extensionEnded(
  end: ExtensionEnd,
  context: { log: Logger; shutdown: Shutdown; runtime: RuntimeApi; initDone: () => boolean },
): Promise<void> {
  const { log, shutdown } = context;
  if (end.kind === "shutdown") {
    log.info("received SHUTDOWN", { reason: end.reason });
    shutdown.begin("SHUTDOWN", graceUntil(end.deadlineMs));
  } else if (end.kind === "gone") {
    const error = describeError(end.error);
    log.error("Extension registration failed or the Extensions API is gone - terminating", {
      error,
    });
    // Lambda takes an init error only during init; after it, the invocations in flight finish.
    if (!context.initDone()) {
      await context.runtime.initError({
        errorType: "Extension.RegistrationFailed",
        errorMessage: error,
      })
        .catch(() => {});
    }
    shutdown.begin("the Extensions API is gone", SIGNAL_GRACE_MS, 1);
  }
}
