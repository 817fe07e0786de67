/**
 * The local commands of `lambda-adapter`: `emulate` and `invoke`. Loaded only when the binary is
 * started with one of them, so the adapter's cold start in Lambda never pays for them.
 *
 * @module
 */

import denoConfig from "../../deno.json" with { type: "json" };
import { HELP, parseEmulateArgs, parseInvokeArgs } from "./args.ts";
import { frontDoor, RIE_PATH } from "./front_door.ts";
import { type Sandbox, type SandboxSettings, startSandbox } from "./sandbox.ts";

/** Where the CLI writes; `main.ts` passes the console. */
export interface CliIo {
  readonly print: (line: string) => void;
  readonly error: (line: string) => void;
  readonly stdin: ReadableStream<Uint8Array>;
}

/** Runs a CLI command; resolves to the exit code. `signal` is Ctrl-C or SIGTERM. */
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
) {
  const cwd = Deno.cwd();
  const parsed = parseEmulateArgs(args, env, cwd);
  const settings: SandboxSettings = {
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
  };

  let current: Promise<Sandbox> | undefined;
  let dead = true;
  function watch(sandbox: Sandbox) {
    sandbox.init.then(
      (ms) => io.print(`INIT_REPORT Init Duration: ${ms.toFixed(2)} ms (the app is ready)`),
      (error) =>
        io.print(
          `INIT_REPORT Status: error: ${error.message}. On Lambda this fails the init phase ` +
            "(10 s limit); AWS_LWA_ASYNC_INIT=true lets a slow app finish on the first invocation",
        ),
    );
    sandbox.crashed.then((reason) => {
      io.print(
        `${reason}; Lambda reports Runtime.ExitError and starts a new execution ` +
          "environment on the next invocation",
      );
      dead = true;
    });
  }
  /** The environment to invoke; a dead one is replaced first, as Lambda does on the next invoke. */
  async function sandbox(): Promise<Sandbox> {
    if (dead) {
      dead = false;
      const old = current;
      current = (async () => {
        if (old) await (await old).stop();
        const fresh = await startSandbox(settings);
        watch(fresh);
        return fresh;
      })();
    }
    const ready = await current!;
    await ready.init.catch(() => {});
    return ready;
  }

  await sandbox().catch(() => {});
  const server = Deno.serve(
    {
      hostname: parsed.host,
      port: parsed.port,
      signal,
      onListen: ({ hostname, port }) =>
        io.print(
          `Front door on http://${hostname}:${port} as a ${parsed.eventSource} ` +
            `(function timeout ${parsed.timeoutMs / 1000} s, memory ${parsed.memoryMb} MB). ` +
            `Invoke raw events with POST ${RIE_PATH}. Ctrl-C stops.`,
        ),
    },
    frontDoor({
      source: parsed.eventSource,
      region: parsed.region,
      functionName: parsed.functionName,
      sandbox,
      onTimeout: () => dead = true,
      print: io.print,
    }),
  );
  await server.finished;
  io.print("stopping the app, the adapter and the emulator");
  if (current) await (await current).stop();
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
