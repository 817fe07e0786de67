/**
 * Command-line parsing and help for `lambda-adapter emulate` and `lambda-adapter invoke`.
 *
 * @module
 */

import { EVENT_SOURCES, type EventSource } from "./event_shapes.ts";

/** The text `lambda-adapter --help` prints. */
export const HELP = `lambda-adapter: run web apps on AWS Lambda (a Lambda Web Adapter drop-in).

In Lambda it runs as the extension /opt/extensions/lambda-adapter, configured by AWS_LWA_*
variables (see the README). On your machine it has two commands:

lambda-adapter emulate [options] -- <command that starts the app>
  Runs your app exactly as Lambda will: starts a Lambda Runtime API emulator, the adapter
  against it, and your app with the environment Lambda gives it (AWS_LAMBDA_RUNTIME_API,
  AWS_LAMBDA_FUNCTION_NAME, _HANDLER, LAMBDA_TASK_ROOT, AWS_REGION ...). Every AWS_LWA_*
  variable you set applies. Plain HTTP requests to the front door become events of the chosen
  shape; results come back as HTTP responses (streamed ones as they arrive). Lambda's limits
  apply: 10 s init, the function timeout, 6 MB buffered and 200 MB streamed responses,
  concurrency 1 unless --concurrency. Ctrl-C stops everything.

  --port <n>            front door port (default 9000)
  --host <address>      front door address (default 127.0.0.1)
  --event-source <s>    ${EVENT_SOURCES.join(", ")}
                        (default function-url)
  --timeout <seconds>   function timeout (default AWS_LAMBDA_FUNCTION_TIMEOUT, else 3)
  --memory <mb>         memory size reported to the app (default 128)
  --concurrency <n>     invocations at once, as on Lambda Managed Instances (default 1)
  --function-name <s>   (default AWS_LAMBDA_FUNCTION_NAME, else the directory's name)
  --region <r>          (default AWS_REGION, else us-east-1)
  --handler <h>         _HANDLER given to the app (default run.sh)

  Also: POST ${"/2015-03-31/functions/function/invocations"} with an event as the body invokes the
  function with it and answers the raw result, as AWS's Runtime Interface Emulator does.

  Examples:
    lambda-adapter emulate -- node index.js
    AWS_LWA_PORT=5000 lambda-adapter emulate --event-source alb -- python3 -m flask run -p 5000
    AWS_LWA_INVOKE_MODE=response_stream lambda-adapter emulate -- deno run -A main.ts

lambda-adapter invoke [--event <file.json>] [--url <front door>]
  Sends a saved event (a file, or standard input without --event) to a running emulator and
  prints the result. --url defaults to http://127.0.0.1:9000.

lambda-adapter --help | --version
`;

/** Parsed `emulate` options. */
export interface EmulateArgs {
  /** How to start the app (everything after `--`). */
  readonly command: string[];
  /** The front door's port (`--port`, default 9000; 0 picks one). */
  readonly port: number;
  /** The front door's address (`--host`, default 127.0.0.1). */
  readonly host: string;
  /** The event shape requests become (`--event-source`). */
  readonly eventSource: EventSource;
  /** The function timeout (`--timeout` seconds). */
  readonly timeoutMs: number;
  /** The memory size reported to the function (`--memory`). */
  readonly memoryMb: number;
  /** Invocations at once (`--concurrency`). */
  readonly concurrency: number;
  /** The function name (`--function-name`, default the folder's name). */
  readonly functionName: string;
  /** The region (`--region`). */
  readonly region: string;
  /** `_HANDLER` (`--handler`, default run.sh). */
  readonly handler: string;
}

/** Parsed `invoke` options. */
export interface InvokeArgs {
  /** The event file (`--event`); standard input when absent. */
  readonly event: string | undefined;
  /** The front door to send it to (`--url`). */
  readonly url: string;
}

/** Splits `--name value` and `--name=value` options up to `--`. */
function options(args: string[], known: readonly string[]) {
  const values = new Map<string, string>();
  let index = 0;
  for (; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === "--") {
      index++;
      break;
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match || !known.includes(match[1]!)) throw new SyntaxError(`unknown option ${arg}`);
    const value = match[2] ?? args[++index];
    if (value === undefined) throw new SyntaxError(`${arg} needs a value`);
    values.set(match[1]!, value);
  }
  return { values, rest: args.slice(index) };
}

function number(value: string | undefined, name: string, fallback: number, min = 1): number {
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min) {
    throw new SyntaxError(`${name} must be a number of at least ${min}`);
  }
  return parsed;
}

/** Reads `emulate`'s arguments; defaults come from the environment as Lambda would set it. */
export function parseEmulateArgs(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): EmulateArgs {
  const { values, rest } = options(args, [
    "port",
    "host",
    "event-source",
    "timeout",
    "memory",
    "concurrency",
    "function-name",
    "region",
    "handler",
  ]);
  if (rest.length === 0) {
    throw new SyntaxError("say how to start the app after --, e.g. emulate -- node index.js");
  }
  const source = values.get("event-source") ?? "function-url";
  if (!(EVENT_SOURCES as readonly string[]).includes(source)) {
    throw new SyntaxError(`--event-source must be one of ${EVENT_SOURCES.join(", ")}`);
  }
  return {
    command: rest,
    port: number(values.get("port"), "--port", 9000, 0),
    host: values.get("host") ?? "127.0.0.1",
    eventSource: source as EventSource,
    timeoutMs: 1000 *
      number(values.get("timeout") ?? env.AWS_LAMBDA_FUNCTION_TIMEOUT, "--timeout", 3),
    memoryMb: number(values.get("memory") ?? env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, "--memory", 128),
    concurrency: number(
      values.get("concurrency") ?? env.AWS_LAMBDA_MAX_CONCURRENCY,
      "--concurrency",
      1,
    ),
    functionName: values.get("function-name") ?? env.AWS_LAMBDA_FUNCTION_NAME ??
      (cwd.split("/").filter(Boolean).pop() || "function"),
    region: values.get("region") ?? env.AWS_REGION ?? "us-east-1",
    handler: values.get("handler") ?? "run.sh",
  };
}

/** Reads `invoke`'s arguments. */
export function parseInvokeArgs(args: string[]): InvokeArgs {
  const { values, rest } = options(args, ["event", "url"]);
  if (rest.length > 0) throw new SyntaxError(`unexpected ${rest.join(" ")}`);
  return { event: values.get("event"), url: values.get("url") ?? "http://127.0.0.1:9000" };
}
