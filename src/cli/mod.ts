/**
 * The local commands of `lambda-adapter`: `emulate` and `invoke`. Loaded only when the binary is
 * started with one of them, so the adapter's cold start in Lambda never pays for them.
 *
 * @module
 */

import denoConfig from "../../deno.json" with { type: "json" };
import { aborted } from "../util/async.ts";
import { HELP, parseEmulateArgs, parseInvokeArgs } from "./args.ts";
import { Environments } from "./environments.ts";
import { type FrontDoor, RIE_PATH, serveFrontDoor } from "./front_door.ts";

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
        return await invoke(rest, io);
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
  return [
    exec,
    "run",
    "--allow-net",
    "--allow-env",
    "--allow-read",
    "--allow-run",
    Deno.mainModule,
  ];
}

async function emulate(
  args: string[],
  env: Record<string, string>,
  signal: AbortSignal,
  io: CliIo,
): Promise<number> {
  const cwd = Deno.cwd();
  const parsed = parseEmulateArgs(args, env, cwd);
  const environments = new Environments({
    appCommand: parsed.command,
    adapterCommand: adapterCommand(),
    functionName: parsed.functionName,
    memoryMb: parsed.memoryMb,
    timeoutMs: parsed.timeoutMs,
    region: parsed.region,
    maxConcurrency: parsed.concurrency,
    taskRoot: cwd,
    handler: parsed.handler,
    env,
    print: io.print,
  });
  let door: FrontDoor;
  try {
    door = await serveFrontDoor(
      { ...parsed, source: parsed.eventSource, environments, print: io.print },
      parsed.host,
      parsed.port,
    );
  } catch (error) {
    io.error(
      `lambda-adapter emulate: cannot listen on ${parsed.host}:${parsed.port}: ${
        (error as Error).message
      }`,
    );
    return 1;
  }
  environments.start();
  io.print(
    `Front door on http://${door.hostname}:${door.port} as a ${parsed.eventSource} ` +
      `(function timeout ${parsed.timeoutMs / 1000} s, memory ${parsed.memoryMb} MB). ` +
      `Invoke raw events with POST ${RIE_PATH}. Ctrl-C stops.`,
  );
  await aborted(signal);
  io.print("stopping the app, the adapter and the emulator");
  await Promise.all([environments.stop(), door.close()]);
  return 0;
}

async function invoke(args: string[], io: CliIo): Promise<number> {
  const parsed = parseInvokeArgs(args);
  const event = parsed.event
    ? await Deno.readFile(parsed.event)
    : new Uint8Array(await new Response(io.stdin).arrayBuffer());
  let response: Response;
  try {
    response = await fetch(new URL(RIE_PATH, parsed.url), { method: "POST", body: event });
  } catch (error) {
    io.error(`cannot reach the emulator at ${parsed.url}: ${(error as Error).message}`);
    return 1;
  }
  io.print(await response.text());
  return response.ok && !response.headers.has("x-amz-function-error") ? 0 : 1;
}
