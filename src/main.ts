/**
 * `lambda-adapter`: runs as a Lambda extension beside a web app and serves Lambda invocations
 * through it. The only module that reads the environment, listens for signals and exits; the
 * lifecycle itself is `runAdapter` (src/adapter/run.ts).
 *
 * @module
 */

import denoConfig from "../deno.json" with { type: "json" };
import { runAdapter } from "./adapter/run.ts";
import { Shutdown, SIGNAL_GRACE_MS } from "./adapter/shutdown.ts";
import { ConfigError, formatProblem, loadConfig } from "./config/config.ts";
import { createHttpClient } from "./http/client.ts";
import { describeError, ErrorType } from "./lambda/errors.ts";
import { createRuntimeApi } from "./lambda/runtime_api.ts";
import { parseRuntimeApi, type RuntimeApiAddress } from "./lambda/runtime_api_address.ts";
import { createLogger } from "./util/log.ts";

const USER_AGENT = `lambda-adapter/${denoConfig.version} (deno ${Deno.version.deno})`;

/** Runs the adapter; resolves to the process exit code. */
export async function main(env: Record<string, string>): Promise<number> {
  let loaded;
  try {
    loaded = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return await configFailure(error, env);
  }
  const { config, warnings } = loaded;
  const log = createLogger({ level: config.logLevel, format: config.logFormat });
  for (const warning of warnings) log.warn(warning);

  const shutdown = new Shutdown();
  const onSignal = (name: Deno.Signal) => () => shutdown.begin(name, SIGNAL_GRACE_MS);
  const listeners = (["SIGTERM", "SIGINT"] as const).map((name) => {
    const listener = onSignal(name);
    Deno.addSignalListener(name, listener);
    return [name, listener] as const;
  });
  try {
    return await runAdapter(config, {
      log,
      shutdown,
      userAgent: USER_AGENT,
      extensionName: extensionName(),
    });
  } finally {
    for (const [name, listener] of listeners) Deno.removeSignalListener(name, listener);
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
    await createRuntimeApi(handle.request, { basePath: address.basePath, userAgent: USER_AGENT })
      .initError({ errorType: ErrorType.InvalidConfig, errorMessage: error.message })
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
