/**
 * The local commands of `lambda-adapter`: `emulate` and `invoke`. Loaded only when the binary is
 * started with one of them, so the adapter's cold start in Lambda never pays for them.
 *
 * @module
 */

import { PERMISSIONS, V8_FLAGS } from "./run_flags.ts";
import denoConfig from "../../deno.json" with { type: "json" };
import { aborted } from "../util/async.ts";
import { type EmulateArgs, HELP, parseEmulateArgs, parseInvokeArgs } from "./args.ts";
import { withEnvFiles } from "./dotenv.ts";
import { Environments, settingsFromArgs } from "./environments.ts";
import { type FrontDoor, RIE_PATH, serveFrontDoor } from "./front_door.ts";
import type { Inspector } from "./inspect/mod.ts";
import { invoke } from "./invoke.ts";

/** Where the CLI writes; `main.ts` passes the console. */
export interface CliIo {
  /** Writes a line of normal output (the log of `emulate`, the result of `invoke`). */
  readonly print: (line: string) => void;
  /** Writes a line about a problem. */
  readonly error: (line: string) => void;
  /** What `invoke` reads an event from when no file is given. */
  readonly stdin: ReadableStream<Uint8Array>;
}

/**
 * Runs a CLI command; resolves to the exit code. `signal` is Ctrl-C or SIGTERM.
 *
 * @example
 * ```ts
 * import { runCli } from "./mod.ts";
 *
 * const stop = new AbortController();
 * Deno.addSignalListener("SIGINT", () => stop.abort());
 * const code = await runCli(["emulate", "--", "node", "app.js"], { PORT: "3000" }, stop.signal, {
 *   print: (line) => console.log(line),
 *   error: (line) => console.error(line),
 *   stdin: Deno.stdin.readable,
 * });
 * ```
 */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  signal: AbortSignal,
  io: CliIo,
): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case "emulate":
        return await emulate(rest, env, signal, io);
      case "invoke":
        return await invoke(parseInvokeArgs(rest), io);
      case "--version":
        io.print(`lambda-adapter ${denoConfig.version} (deno ${Deno.version.deno})`);
        return 0;
      default:
        io.print(HELP);
        return command === "--help" || command === "-h" || command === "help" ? 0 : 2;
    }
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    io.error(`lambda-adapter ${command}: ${error.message} (see lambda-adapter --help)`);
    return 2;
  }
}

/** The command that starts the adapter: this binary, or `deno run` of this program. */
function adapterCommand(): string[] {
  const exec = Deno.execPath();
  const name = exec.split("/").pop();
  if (name !== "deno") return [exec];
  return [exec, "run", ...PERMISSIONS, ...V8_FLAGS, Deno.mainModule];
}

/** `emulate`: the app, the adapter and the emulator behind a front door, until `signal`. */
async function emulate(
  args: string[],
  env: Record<string, string>,
  signal: AbortSignal,
  io: CliIo,
): Promise<number> {
  const cwd = Deno.cwd();
  const { envFiles } = parseEmulateArgs(args, env, cwd);
  // The files' variables apply to the defaults (AWS_LAMBDA_FUNCTION_TIMEOUT ...) too.
  const fullEnv = await withEnvFiles(envFiles, env);
  const parsed = parseEmulateArgs(args, fullEnv, cwd);
  let inspector: Inspector | undefined;
  try {
    inspector = parsed.inspect === undefined ? undefined : await inspect(parsed, fullEnv, io);
  } catch (error) {
    io.error(
      `lambda-adapter emulate: cannot serve --inspect on 127.0.0.1:${parsed.inspect}: ${
        (error as Error).message
      }`,
    );
    return 1;
  }
  const print = inspector ? printBoth(io.print, inspector) : io.print;
  const environments = createEnvironments(parsed, fullEnv, cwd, print, inspector);
  let door: FrontDoor;
  try {
    door = await serveFrontDoor(
      { ...parsed, source: parsed.eventSource, environments, print, recorder: inspector?.recorder },
      parsed.host,
      parsed.port,
    );
  } catch (error) {
    io.error(
      `lambda-adapter emulate: cannot listen on ${parsed.host}:${parsed.port}: ${
        (error as Error).message
      }`,
    );
    await inspector?.close();
    return 1;
  }
  environments.start();
  announce(parsed, door, inspector, io);
  await aborted(signal);
  io.print("stopping the app, the adapter and the emulator");
  await Promise.all([environments.stop(), door.close(), inspector?.close()]);
  return 0;
}

/** Each log line goes to the terminal and to the inspector's page. */
function printBoth(print: (line: string) => void, inspector: Inspector) {
  return (line: string) => {
    print(line);
    inspector.line(line);
  };
}

/** The execution environments the front door invokes; the inspector invokes them too. */
function createEnvironments(
  parsed: EmulateArgs,
  env: Record<string, string>,
  taskRoot: string,
  print: (line: string) => void,
  inspector: Inspector | undefined,
): Environments {
  const environments = new Environments({
    ...settingsFromArgs(parsed),
    adapterCommand: adapterCommand(),
    taskRoot,
    env,
    adapterEnv: inspector?.adapterEnv,
    print,
  });
  inspector?.attach((event, options) => environments.invoke(event, options));
  return environments;
}

/** Says where to send requests, with what limits, and what this platform cannot measure. */
function announce(
  parsed: EmulateArgs,
  door: FrontDoor,
  inspector: Inspector | undefined,
  io: CliIo,
): void {
  if (Deno.build.os !== "linux") {
    io.error(
      "memory is measured from Linux's /proc: REPORT lines leave out Max Memory Used here" +
        (parsed.enforceMemory ? ", and --enforce-memory does nothing" : ""),
    );
  }
  io.print(
    `Front door on http://${door.hostname}:${door.port} as a ${parsed.eventSource} ` +
      `(function timeout ${parsed.timeoutMs / 1000} s, memory ${parsed.memoryMb} MB` +
      `${parsed.enforceMemory ? ", enforced" : ""}). ` +
      `Invoke raw events with POST ${RIE_PATH}. Ctrl-C stops.`,
  );
  if (inspector) io.print(`Inspector on ${inspector.url} (the last 200 invocations, live)`);
}

/** Starts `--inspect`'s page and proxy; its code is loaded only then. */
async function inspect(parsed: EmulateArgs, env: Record<string, string>, io: CliIo) {
  const { startInspector } = await import("./inspect/mod.ts");
  return startInspector({
    port: parsed.inspect ?? 0,
    showSecrets: parsed.inspectShowSecrets,
    env,
    source: parsed.eventSource,
    about: {
      function: parsed.functionName,
      "event source": parsed.eventSource,
      memory: `${parsed.memoryMb} MB`,
      timeout: `${parsed.timeoutMs / 1000} s`,
    },
    print: io.print,
  });
}
