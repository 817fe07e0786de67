/**
 * Command-line parsing for `lambda-adapter emulate` and `lambda-adapter invoke`.
 *
 * @module
 */

import { EVENT_SOURCES, type EventSource } from "./event_shapes.ts";

export { HELP } from "./help.ts";

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
  /** Whether exceeding `--memory` ends the environment (`--enforce-memory`). */
  readonly enforceMemory: boolean;
  /** Files of variables (`--env-file`), in order; later ones win. */
  readonly envFiles: readonly string[];
  /** Invocations at once (`--concurrency`). */
  readonly concurrency: number;
  /** The function name (`--function-name`, default the folder's name). */
  readonly functionName: string;
  /** The region (`--region`). */
  readonly region: string;
  /** `_HANDLER` (`--handler`, default run.sh). */
  readonly handler: string;
  /** The inspector's port (`--inspect`, default 9001); `undefined` when off. */
  readonly inspect: number | undefined;
  /** Whether the inspector shows secrets unmasked (`--inspect-show-secrets`). */
  readonly inspectShowSecrets: boolean;
}

/** The inspector's port when `--inspect` names none. */
export const INSPECT_PORT = 9001;

/** Parsed `invoke` options. */
export interface InvokeArgs {
  /** Event files and folders, in the order given; empty: read one event from standard input. */
  readonly events: readonly string[];
  /** The front door to send them to (`--url`). */
  readonly url: string;
}

/** Options read up to `--`: every value of each, and the flags given. */
interface Parsed {
  readonly values: Map<string, string[]>;
  readonly flags: Set<string>;
  readonly rest: string[];
}

/** Splits `--name value` and `--name=value` options (each may repeat) and `--flag`s up to `--`. */
function options(args: string[], known: readonly string[], flags: readonly string[] = []): Parsed {
  const parsed: Parsed = { values: new Map(), flags: new Set(), rest: [] };
  let index = 0;
  for (; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === "--") {
      index++;
      break;
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const name = match?.[1] ?? "";
    if (flags.includes(name) && match?.[2] === undefined) {
      parsed.flags.add(name);
      continue;
    }
    if (!known.includes(name)) throw new SyntaxError(`unknown option ${arg}`);
    const value = match?.[2] ?? args[++index];
    if (value === undefined) throw new SyntaxError(`${arg} needs a value`);
    parsed.values.set(name, [...parsed.values.get(name) ?? [], value]);
  }
  parsed.rest.push(...args.slice(index));
  return parsed;
}

function number(value: string | undefined, name: string, fallback: number, min = 1): number {
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min) {
    throw new SyntaxError(`${name} must be a number of at least ${min}`);
  }
  return parsed;
}

/** `emulate`'s options that take a value. */
const EMULATE_OPTIONS = [
  "port",
  "host",
  "event-source",
  "timeout",
  "memory",
  "env-file",
  "concurrency",
  "function-name",
  "region",
  "handler",
  "inspect",
] as const;

/** `emulate`'s flags; `--inspect` is both (a flag alone, or with its port). */
const EMULATE_FLAGS = ["enforce-memory", "inspect", "inspect-show-secrets"] as const;

/** Reads `emulate`'s arguments; defaults come from the environment as Lambda would set it. */
export function parseEmulateArgs(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): EmulateArgs {
  const { values, flags, rest } = options(args, EMULATE_OPTIONS, EMULATE_FLAGS);
  const last = (name: string) => values.get(name)?.at(-1);
  if (rest.length === 0) {
    throw new SyntaxError("say how to start the app after --, e.g. emulate -- node index.js");
  }
  const eventSource = eventSourceOf(last("event-source"));
  return {
    command: rest,
    port: number(last("port"), "--port", 9000, 0),
    host: last("host") ?? "127.0.0.1",
    eventSource,
    timeoutMs: 1000 * number(last("timeout") ?? env.AWS_LAMBDA_FUNCTION_TIMEOUT, "--timeout", 3),
    memoryMb: number(last("memory") ?? env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, "--memory", 128),
    enforceMemory: flags.has("enforce-memory"),
    envFiles: values.get("env-file") ?? [],
    concurrency: number(
      last("concurrency") ?? env.AWS_LAMBDA_MAX_CONCURRENCY,
      "--concurrency",
      1,
    ),
    functionName: last("function-name") ?? env.AWS_LAMBDA_FUNCTION_NAME ??
      (cwd.split("/").filter(Boolean).pop() || "function"),
    region: last("region") ?? env.AWS_REGION ?? "us-east-1",
    handler: last("handler") ?? "run.sh",
    inspect: inspectPortOf(values, flags),
    inspectShowSecrets: flags.has("inspect-show-secrets"),
  };
}

/** `--event-source`, function-url when not given. */
function eventSourceOf(given: string | undefined): EventSource {
  const source = given ?? "function-url";
  if (!(EVENT_SOURCES as readonly string[]).includes(source)) {
    throw new SyntaxError(`--event-source must be one of ${EVENT_SOURCES.join(", ")}`);
  }
  return source as EventSource;
}

/** The port of `--inspect=PORT`, the default one for `--inspect` alone; off without either. */
function inspectPortOf(values: Map<string, string[]>, flags: Set<string>): number | undefined {
  if (values.has("inspect")) {
    return number(values.get("inspect")?.at(-1), "--inspect", INSPECT_PORT, 0);
  }
  return flags.has("inspect") ? INSPECT_PORT : undefined;
}

/** Reads `invoke`'s arguments: `--event` files and plain paths alike, in order. */
export function parseInvokeArgs(args: string[]): InvokeArgs {
  const events: string[] = [];
  let url = "http://127.0.0.1:9000";
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const match = /^--(event|url)(?:=(.*))?$/.exec(arg);
    if (!match) {
      if (arg.startsWith("--") && arg !== "--") throw new SyntaxError(`unknown option ${arg}`);
      if (arg !== "--") events.push(arg);
      continue;
    }
    const value = match[2] ?? args[++index];
    if (value === undefined) throw new SyntaxError(`${arg} needs a value`);
    if (match[1] === "url") url = value;
    else events.push(value);
  }
  return { events, url };
}
