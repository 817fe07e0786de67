/**
 * Reads the adapter's settings from an environment record into a frozen {@link AdapterConfig}.
 *
 * The names, fallbacks, defaults and parsing are LWA's, so a function moving from LWA keeps its
 * settings: a value LWA reads as what it says means the same here (normalised as LWA does, with
 * a warning where it is odd: `AWS_LWA_PASS_THROUGH_PATH=events` is `/events`). LWA silently
 * replaces a value it cannot read (`AWS_LWA_INVOKE_MODE=streaming` quietly means buffered,
 * `AWS_LWA_ASYNC_INIT=TRUE` quietly means false), so a typo shows up as odd behaviour in
 * production; here such a value is a {@link ConfigError} naming the variable, the value and what
 * LWA would have done. docs/differences-from-lwa.md has the table, setting by setting.
 *
 * @module
 */

import { parseRuntimeApi, type RuntimeApiAddress } from "../lambda/runtime_api_address.ts";
import { type LogFormat, type LogLevel, parseLogFormat, parseLogLevel } from "../util/log.ts";
import { parseStatusRanges, type StatusRanges } from "./status_codes.ts";
import { EnvReader } from "./env_reader.ts";
import type { ConvertOptions } from "../events/convert.ts";

export { ConfigError, type ConfigProblem, formatProblem } from "./env_reader.ts";

/** `AWS_LWA_INVOKE_MODE`: whole results, or response streaming. */
export type InvokeMode = "buffered" | "response_stream";
/** `AWS_LWA_READINESS_CHECK_PROTOCOL`: an HTTP GET, or a TCP connection that opens. */
export type ReadinessProtocol = "http" | "tcp";

/** The adapter's resolved settings. Every field is present; nothing downstream reads env. */
export interface AdapterConfig {
  /** Loopback address of the app (`AWS_LWA_HOST`, 0.0.0.0 and :: mean loopback). */
  readonly appHost: string;
  /** `AWS_LWA_PORT`, else `PORT`, else 8080. */
  readonly appPort: number;
  /** The readiness check (`AWS_LWA_READINESS_CHECK_*`). */
  readonly readiness: {
    /** `AWS_LWA_READINESS_CHECK_PORT`, else the app's port. */
    readonly port: number;
    /** `AWS_LWA_READINESS_CHECK_PATH` (default `/`). */
    readonly path: string;
    /** `AWS_LWA_READINESS_CHECK_PROTOCOL`. */
    readonly protocol: ReadinessProtocol;
    /** Statuses that mean ready (`AWS_LWA_READINESS_CHECK_HEALTHY_STATUS`, default 100-499). */
    readonly healthyStatus: StatusRanges;
  };
  /** `AWS_LWA_ASYNC_INIT`: end init after 9.8 s even if the app is not ready yet. */
  readonly asyncInit: boolean;
  /** `AWS_LWA_REMOVE_BASE_PATH`: a prefix taken off every request path. */
  readonly removeBasePath: string | undefined;
  /** `AWS_LWA_ENABLE_COMPRESSION`: gzip or brotli for clients that accept it. */
  readonly enableCompression: boolean;
  /** `AWS_LWA_INVOKE_MODE`. */
  readonly invokeMode: InvokeMode;
  /** Where non-HTTP events are POSTed (`AWS_LWA_PASS_THROUGH_PATH`, default `/events`). */
  readonly passThroughPath: string;
  /** Path prefix of the WebSocket convention (`AWS_LWA_WEBSOCKET_PATH_PREFIX`). */
  readonly webSocketPathPrefix: string;
  /** Media types always sent base64 (`AWS_LWA_BINARY_MEDIA_TYPES`, LWA#451). */
  readonly binaryMediaTypes: readonly string[];
  /** `AWS_LWA_AUTHORIZATION_SOURCE`: a header copied into `Authorization`. */
  readonly authorizationSource: string | undefined;
  /** `AWS_LWA_ERROR_STATUS_CODES`: app statuses that fail the invocation. */
  readonly errorStatusCodes: StatusRanges | undefined;
  /** Where the Runtime API loop polls (the proxy when `AWS_LWA_LAMBDA_RUNTIME_API_PROXY` is set). */
  readonly runtimeApi: RuntimeApiAddress;
  /** Where the extension registers: always Lambda's own API, never the proxy (LWA#588 docs). */
  readonly extensionApi: RuntimeApiAddress;
  /** Invocations handled at once (`AWS_LAMBDA_MAX_CONCURRENCY`, default 1). */
  readonly maxConcurrency: number;
  /**
   * `AWS_LAMBDA_INITIALIZATION_TYPE=snap-start`: connections opened during init are in the
   * snapshot and stale once restored (LWA#671), so init must not leave any for invocations.
   */
  readonly snapStart: boolean;
  /** `AWS_LWA_LOG_LEVEL`, else `AWS_LAMBDA_LOG_LEVEL`, else a bare `RUST_LOG`, else info. */
  readonly logLevel: LogLevel;
  /** `AWS_LAMBDA_LOG_FORMAT` (Lambda's advanced logging controls). */
  readonly logFormat: LogFormat;
  /** What Lambda says about the function (`AWS_LAMBDA_FUNCTION_*`, log group and stream). */
  readonly lambda: {
    readonly functionName: string;
    readonly functionVersion: string;
    readonly memoryMb: number;
    readonly logGroup: string;
    readonly logStream: string;
  };
}

/** The result of {@link loadConfig}: the settings and the warnings to log once at start-up. */
export interface LoadedConfig {
  /** The settings, frozen. */
  readonly config: AdapterConfig;
  /** Odd but readable values and deprecated names, one line each. */
  readonly warnings: readonly string[];
}

const LOOPBACK_ALIASES: Record<string, string> = {
  "localhost": "127.0.0.1",
  "0.0.0.0": "127.0.0.1",
  "::": "::1",
  "[::]": "::1",
  "[::1]": "::1",
};

/**
 * Resolves the settings from `env`, a plain record: nothing here reads `Deno.env`.
 *
 * @example
 * ```ts
 * import { loadConfig } from "./config.ts";
 *
 * const { config, warnings } = loadConfig({
 *   AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001",
 *   AWS_LWA_PORT: "3000",
 *   AWS_LWA_INVOKE_MODE: "response_stream",
 * });
 * console.log(config.appPort, config.invokeMode, warnings);
 * ```
 *
 * @throws {ConfigError} when any value cannot be read, listing every such value
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): LoadedConfig {
  const r = new EnvReader(env);

  const appPort = r.port("AWS_LWA_PORT", ["PORT", false]) ?? 8080;
  const appHost = readAppHost(r);
  const readiness = readReadiness(r, appPort);
  const asyncInit = r.bool("AWS_LWA_ASYNC_INIT", ["ASYNC_INIT", true]) ?? false;
  const removeBasePath = readBasePath(r);
  const enableCompression = r.bool("AWS_LWA_ENABLE_COMPRESSION") ?? false;
  const invokeMode = r.choice(
    "AWS_LWA_INVOKE_MODE",
    ["buffered", "response_stream"] as const,
    "buffered",
  ) ?? "buffered";
  const passThroughPath = r.urlPath("AWS_LWA_PASS_THROUGH_PATH", { query: false }) ?? "/events";
  const webSocketPathPrefix = (r.path("AWS_LWA_WEBSOCKET_PATH_PREFIX") ?? "/websocket")
    .replace(/\/+$/, "");
  const binaryMediaTypes = r.parsed("AWS_LWA_BINARY_MEDIA_TYPES", parseMediaTypes) ?? [];
  const authorizationSource = r.headerName("AWS_LWA_AUTHORIZATION_SOURCE");
  const errorStatusCodes = r.parsed("AWS_LWA_ERROR_STATUS_CODES", parseStatusRanges);
  const maxConcurrency = r.integer("AWS_LAMBDA_MAX_CONCURRENCY", 1, 10_000) ?? 1;
  const { runtimeApi, extensionApi } = readRuntimeApis(r);
  const logLevel = r.parsed("AWS_LWA_LOG_LEVEL", parseLogLevel) ??
    r.parsed("AWS_LAMBDA_LOG_LEVEL", parseLogLevel) ?? readRustLog(r) ?? "info";
  const logFormat = r.parsed("AWS_LAMBDA_LOG_FORMAT", parseLogFormat) ?? "text";

  r.throwIfProblems();
  const config: AdapterConfig = {
    appHost,
    appPort,
    readiness,
    asyncInit,
    removeBasePath,
    enableCompression,
    invokeMode,
    passThroughPath,
    webSocketPathPrefix,
    binaryMediaTypes,
    authorizationSource,
    errorStatusCodes,
    runtimeApi: runtimeApi!,
    extensionApi: extensionApi!,
    maxConcurrency,
    snapStart: r.raw("AWS_LAMBDA_INITIALIZATION_TYPE") === "snap-start",
    logLevel,
    logFormat,
    lambda: readLambdaFacts(r),
  };
  return { config: deepFreeze(config), warnings: r.warnings };
}

function readAppHost(r: EnvReader): string {
  const explicit = r.raw("AWS_LWA_HOST");
  const value = explicit ?? r.raw("HOST");
  if (value === undefined) return "127.0.0.1";
  const variable = explicit === undefined ? "HOST" : "AWS_LWA_HOST";
  if (explicit === undefined) r.deprecated("HOST", "AWS_LWA_HOST");
  const host = LOOPBACK_ALIASES[value.toLowerCase()] ?? value;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === "::1") return host;
  // The adapter only ever talks to the app over loopback. HOST is often set for the app's own
  // bind address, so an unrelated value there is a warning, not a failure.
  if (variable === "HOST") {
    r.warn(`Ignoring HOST=${JSON.stringify(value)}: the app is reached on 127.0.0.1`);
    return "127.0.0.1";
  }
  r.problem(variable, value, "the app must be on a loopback address (127.0.0.1, ::1, localhost)");
  return "127.0.0.1";
}

function readReadiness(r: EnvReader, appPort: number): AdapterConfig["readiness"] {
  const port = r.port("AWS_LWA_READINESS_CHECK_PORT", ["READINESS_CHECK_PORT", true]) ?? appPort;
  const path = r.urlPath("AWS_LWA_READINESS_CHECK_PATH", { query: true }, [
    "READINESS_CHECK_PATH",
    true,
  ]) ?? "/";
  const protocol = r.choice("AWS_LWA_READINESS_CHECK_PROTOCOL", ["http", "tcp"] as const, "http", [
    "READINESS_CHECK_PROTOCOL",
    true,
  ]) ?? "http";
  return { port, path, protocol, healthyStatus: readHealthyStatus(r) };
}

function readHealthyStatus(r: EnvReader): StatusRanges {
  const list = r.parsed("AWS_LWA_READINESS_CHECK_HEALTHY_STATUS", parseStatusRanges);
  if (list) return list;
  // Removed in LWA 1.0, where it is silently ignored; honouring it keeps old configs working.
  const min = r.integer("AWS_LWA_READINESS_CHECK_MIN_UNHEALTHY_STATUS", 101, 600);
  if (min !== undefined) {
    r.warn(
      "AWS_LWA_READINESS_CHECK_MIN_UNHEALTHY_STATUS is deprecated; use " +
        `AWS_LWA_READINESS_CHECK_HEALTHY_STATUS=100-${min - 1}`,
    );
    return Object.freeze([Object.freeze([100, min - 1] as const)]);
  }
  return Object.freeze([Object.freeze([100, 499] as const)]);
}

function readBasePath(r: EnvReader): string | undefined {
  const base = r.path("AWS_LWA_REMOVE_BASE_PATH", ["REMOVE_BASE_PATH", true]);
  if (base === undefined) return undefined;
  const trimmed = base.replace(/\/+$/, "");
  if (trimmed !== "") return trimmed;
  // LWA strips every leading "/" and then puts one back: nothing is removed.
  const found = r.lookup("AWS_LWA_REMOVE_BASE_PATH", ["REMOVE_BASE_PATH", false])!;
  r.problem(found.variable, found.value, "a base path of / removes nothing; unset it instead");
  return undefined;
}

function readRuntimeApis(r: EnvReader) {
  const lambdaApi = r.parsed("AWS_LAMBDA_RUNTIME_API", parseRuntimeApi);
  const proxy = r.parsed("AWS_LWA_LAMBDA_RUNTIME_API_PROXY", parseRuntimeApi);
  if (lambdaApi === undefined && r.raw("AWS_LAMBDA_RUNTIME_API") === undefined) {
    r.problem(
      "AWS_LAMBDA_RUNTIME_API",
      "",
      "not set: lambda-adapter runs inside AWS Lambda as an extension " +
        "(outside Lambda, start the app directly)",
    );
  }
  return { runtimeApi: proxy ?? lambdaApi, extensionApi: lambdaApi };
}

/** Lambda's own variables, read as they are: Lambda sets them, a user does not. */
function readLambdaFacts(r: EnvReader): AdapterConfig["lambda"] {
  return {
    functionName: r.raw("AWS_LAMBDA_FUNCTION_NAME") ?? "",
    functionVersion: r.raw("AWS_LAMBDA_FUNCTION_VERSION") ?? "",
    memoryMb: Number.parseInt(r.raw("AWS_LAMBDA_FUNCTION_MEMORY_SIZE") ?? "0", 10) || 0,
    logGroup: r.raw("AWS_LAMBDA_LOG_GROUP_NAME") ?? "",
    logStream: r.raw("AWS_LAMBDA_LOG_STREAM_NAME") ?? "",
  };
}

function readRustLog(r: EnvReader): LogLevel | undefined {
  const value = r.raw("RUST_LOG");
  if (value === undefined) return undefined;
  try {
    return parseLogLevel(value);
  } catch {
    // RUST_LOG may hold target directives meant for other Rust programs; only a bare level counts.
    r.warn(`Ignoring RUST_LOG=${JSON.stringify(value)}: only a bare level such as debug is read`);
    return undefined;
  }
}

/** A comma-separated list of `type/subtype`, `type/*` or `*\/*`. */
function parseMediaTypes(value: string): string[] {
  const types = value.split(",").map((part) => part.trim().toLowerCase()).filter(Boolean);
  const bad = types.find((type) =>
    !/^([a-z0-9!#$&^_.+-]+|\*)\/([a-z0-9!#$&^_.+-]+|\*)$/.test(type)
  );
  if (bad !== undefined) {
    throw new SyntaxError(`'${bad}' is not a media type such as image/png or image/*`);
  }
  if (types.length === 0) throw new SyntaxError("the list holds no media type");
  return types;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** The conversion settings of a config. */
export function convertOptions(config: AdapterConfig): ConvertOptions {
  return {
    removeBasePath: config.removeBasePath,
    passThroughPath: config.passThroughPath,
    webSocketPathPrefix: config.webSocketPathPrefix,
    body: { binaryMediaTypes: config.binaryMediaTypes },
  };
}
