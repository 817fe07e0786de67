/**
 * A levelled logger writing one line per entry, as text or in Lambda's JSON log shape.
 *
 * `@std/log` was retired upstream and JSR is out of reach, so this small console-backed module
 * replaces it. It is the only module that writes to the console.
 *
 * @module
 */

import { truncateUtf8 } from "./bytes.ts";

/**
 * Longest message and field value written, in UTF-8 bytes. A field can hold what a client or
 * the app sent (a 1 MiB header name), and one log line must not carry all of it.
 */
export const LOG_MESSAGE_LIMIT = 4096;
/** Longest field value written, in UTF-8 bytes (see {@link LOG_MESSAGE_LIMIT}). */
export const LOG_FIELD_LIMIT = 2048;

/** How much is logged: a level and every level above it; `off` logs nothing. */
export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "off";
/** `text`: `LEVEL message key=value ...`; `json`: one object a line, as Lambda's JSON log format. */
export type LogFormat = "text" | "json";
/** Structured fields added to a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

const RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, off: 5 };
const LABEL: Record<Exclude<LogLevel, "off">, string> = {
  trace: "TRACE",
  debug: "DEBUG",
  info: "INFO",
  warn: "WARN",
  error: "ERROR",
};

/** Writes log entries; `with()` returns a logger that adds fields (such as a request id). */
export interface Logger {
  /** Logs at TRACE. */
  trace(message: string, fields?: LogFields): void;
  /** Logs at DEBUG. */
  debug(message: string, fields?: LogFields): void;
  /** Logs at INFO. */
  info(message: string, fields?: LogFields): void;
  /** Logs at WARN. */
  warn(message: string, fields?: LogFields): void;
  /** Logs at ERROR. */
  error(message: string, fields?: LogFields): void;
  /** Whether `level` is written: lets a caller skip building costly fields. */
  enabled(level: LogLevel): boolean;
  /** A logger that adds `fields` to every line (a request id, say). */
  with(fields: LogFields): Logger;
}

/** How {@link createLogger} writes. */
export interface LoggerOptions {
  /** The lowest level written. @default "info" */
  level?: LogLevel;
  /** Text or JSON lines. @default "text" */
  format?: LogFormat;
  /** Receives each finished line. @default console.log (stdout, as LWA) */
  write?: (line: string) => void;
  /** The time stamped on JSON lines. @default () => new Date() */
  now?: () => Date;
}

/**
 * Reads a level as Lambda's advanced logging controls spell it (`TRACE` ... `FATAL`), any case.
 *
 * @throws {SyntaxError} for any other word
 */
export function parseLogLevel(value: string): LogLevel {
  const lower = value.trim().toLowerCase();
  if (lower === "fatal") return "error";
  if (lower === "warning") return "warn";
  if (lower in RANK) return lower as LogLevel;
  throw new SyntaxError("expected one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL, OFF");
}

/**
 * Reads `AWS_LAMBDA_LOG_FORMAT`: `JSON` or `Text`, any case.
 *
 * @throws {SyntaxError} for any other word
 */
export function parseLogFormat(value: string): LogFormat {
  const lower = value.trim().toLowerCase();
  if (lower === "json" || lower === "text") return lower;
  throw new SyntaxError("expected JSON or Text");
}

/**
 * Creates a logger that writes one line per entry at `level` and above.
 *
 * @example
 * ```ts
 * import { createLogger } from "./log.ts";
 *
 * const log = createLogger({ level: "debug", format: "json" });
 * log.with({ requestId: "8476a536" }).info("invocation done", { status: 200 });
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  // deno-lint-ignore no-console
  const { level = "info", format = "text", write = console.log, now = () => new Date() } = options;
  const threshold = RANK[level];
  const render = format === "json" ? renderJson : renderText;

  function build(context: LogFields): Logger {
    function emit(entryLevel: Exclude<LogLevel, "off">, message: string, fields?: LogFields) {
      if (RANK[entryLevel] < threshold) return;
      write(render(now, LABEL[entryLevel], message, fields ? { ...context, ...fields } : context));
    }
    return {
      trace: (message, fields) => emit("trace", message, fields),
      debug: (message, fields) => emit("debug", message, fields),
      info: (message, fields) => emit("info", message, fields),
      warn: (message, fields) => emit("warn", message, fields),
      error: (message, fields) => emit("error", message, fields),
      enabled: (candidate) => RANK[candidate] >= threshold && candidate !== "off",
      with: (fields) => build({ ...context, ...fields }),
    };
  }
  return build({});
}

/** Lambda's JSON log shape: `timestamp`, `level`, `message`, then `requestId` and other fields. */
function renderJson(now: () => Date, level: string, message: string, fields: LogFields): string {
  const entry = { timestamp: now().toISOString(), level, message, ...fields };
  return JSON.stringify(entry, (key, value) => {
    const plain = jsonValue(key, value);
    if (typeof plain !== "string") return plain;
    return truncateUtf8(plain, key === "message" ? LOG_MESSAGE_LIMIT : LOG_FIELD_LIMIT);
  });
}

/** LWA's text shape: `LEVEL message key=value ...`, no timestamp (CloudWatch adds one). */
function renderText(_now: () => Date, level: string, message: string, fields: LogFields): string {
  let line = `${level} ${truncateUtf8(message, LOG_MESSAGE_LIMIT)}`;
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const raw = typeof value === "string" ? value : JSON.stringify(value, jsonValue);
    const text = truncateUtf8(raw, LOG_FIELD_LIMIT);
    line += ` ${key}=${/[\s"=]/.test(text) || text === "" ? JSON.stringify(text) : text}`;
  }
  return line;
}

function jsonValue(_key: string, value: unknown): unknown {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === "bigint") return value.toString();
  return value;
}
