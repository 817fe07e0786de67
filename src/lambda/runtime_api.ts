/**
 * Client of the Lambda Runtime API (`/2018-06-01/runtime/...`).
 *
 * Every call but the `/next` long poll is bounded: a Runtime API that accepts a result and never
 * answers must not hold a worker (and with it the adapter's shutdown) for ever (issue 9,
 * point 7). Nothing is ever posted twice: the HTTP client does not send a POST again once any
 * byte of it was written.
 *
 * @module
 */

import type { HeaderList, HttpClient, IncomingResponse, OutgoingRequest } from "../http/types.ts";
import { timeoutSignal } from "../util/async.ts";

const VERSION = "/2018-06-01";
const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** How long a result post may take; the Runtime API answers as soon as it has the body. */
export const CALL_TIMEOUT_MS = 10_000;

/** A `/next` answer before its headers are interpreted. */
export interface NextInvocation {
  /** The `/next` response's headers (request id, deadline, trace id ...). */
  readonly headers: HeaderList;
  /** The event's bytes; handed on (and emptied here) when the invocation is parsed. */
  payload: Uint8Array;
}

/** An error as the Runtime API wants it reported. */
export interface ErrorReport {
  /** `Lambda-Runtime-Function-Error-Type` and the body's `errorType`. */
  readonly errorType: string;
  /** The body's `errorMessage`. */
  readonly errorMessage: string;
}

/** Thrown when the Runtime API answers a call with an unexpected status. */
export class RuntimeApiError extends Error {
  /** The Runtime API's HTTP status. */
  readonly status: number;

  /** Describes `call` answered with `status` and (the start of) `body`. */
  constructor(call: string, status: number, body: string) {
    super(`Runtime API ${call} answered ${status}${body ? `: ${body.slice(0, 500)}` : ""}`);
    this.name = "RuntimeApiError";
    this.status = status;
  }
}

/** Per-call options: a signal that gives up early (shutdown), and the time bound. */
export interface CallOptions {
  /** Cuts the call short. */
  readonly signal?: AbortSignal | undefined;
  /** How long the call may take. @default CALL_TIMEOUT_MS */
  readonly timeoutMs?: number;
}

/** The calls the adapter makes. */
export interface RuntimeApi {
  /** Waits for the next invocation (`GET /runtime/invocation/next`). */
  next(signal?: AbortSignal): Promise<NextInvocation>;
  /** Posts a buffered result. */
  respond(requestId: string, payload: Uint8Array, options?: CallOptions): Promise<void>;
  /**
   * Streams the response (`Lambda-Runtime-Function-Response-Mode: streaming`): `body` is sent
   * chunk by chunk as it is produced, then `trailers()` as chunked trailers. `timeoutMs` bounds
   * the whole call, the body included.
   */
  respondStream(
    requestId: string,
    body: ReadableStream<Uint8Array>,
    options: { contentType: string; trailers: () => HeaderList } & CallOptions,
  ): Promise<void>;
  /** Reports an invocation error. */
  fail(requestId: string, report: ErrorReport, options?: CallOptions): Promise<void>;
  /** Reports that init failed. */
  initError(report: ErrorReport, options?: CallOptions): Promise<void>;
}

/**
 * Creates a client; `basePath` is the prefix some proxies put before `/2018-06-01`.
 *
 * @example
 * ```ts
 * import { createHttpClient } from "../http/client.ts";
 * import { createRuntimeApi } from "./runtime_api.ts";
 *
 * const http = createHttpClient({ hostname: "127.0.0.1", port: 9001 });
 * const runtime = createRuntimeApi(http.request, { basePath: "", userAgent: "example/1.0" });
 * const next = await runtime.next();
 * const requestId = next.headers.find(([name]) => name === "lambda-runtime-aws-request-id")![1];
 * await runtime.respond(requestId, new TextEncoder().encode('{"statusCode":200}'));
 * ```
 */
export function createRuntimeApi(
  client: HttpClient,
  options: { basePath: string; userAgent: string },
): RuntimeApi {
  const prefix = options.basePath + VERSION;
  const common: HeaderList = [["user-agent", options.userAgent]];
  const invocation = (id: string) => `${prefix}/runtime/invocation/${encodeURIComponent(id)}`;

  return {
    async next(signal) {
      const response = await client(
        { method: "GET", target: `${prefix}/runtime/invocation/next`, headers: common },
        signal,
      );
      if (response.status !== 200) await expectSuccess("/next", response);
      return { headers: response.headers, payload: await response.bytes() };
    },
    respond(requestId, payload, options) {
      const target = `${invocation(requestId)}/response`;
      const request = { method: "POST", target, headers: common, body: payload };
      return call(client, "/response", request, options);
    },
    respondStream(requestId, body, options) {
      const headers: HeaderList = [
        ...common,
        ["lambda-runtime-function-response-mode", "streaming"],
        ["content-type", options.contentType],
        ["trailer", "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body"],
      ];
      const target = `${invocation(requestId)}/response`;
      const request = { method: "POST", target, headers, body, trailers: options.trailers };
      return call(client, "/response (streaming)", request, options);
    },
    fail(requestId, report, options) {
      const request = errorPost(`${invocation(requestId)}/error`, common, report);
      return call(client, "/error", request, options);
    },
    initError(report, options) {
      const request = errorPost(`${prefix}/runtime/init/error`, common, report);
      return call(client, "/init/error", request, options);
    },
  };
}

/** One bounded call whose answer only has to be a success. */
async function call(
  client: HttpClient,
  name: string,
  request: OutgoingRequest,
  options: CallOptions = {},
): Promise<void> {
  const parents = options.signal ? [options.signal] : [];
  using bound = timeoutSignal(options.timeoutMs ?? CALL_TIMEOUT_MS, ...parents);
  const response = await client(request, bound.signal);
  await expectSuccess(name, response);
}

function errorPost(target: string, common: HeaderList, report: ErrorReport): OutgoingRequest {
  return {
    method: "POST",
    target,
    headers: [
      ...common,
      ["lambda-runtime-function-error-type", report.errorType],
      ["content-type", "application/json"],
    ],
    body: errorBody(report),
  };
}

function errorBody(report: ErrorReport): Uint8Array {
  return encoder.encode(
    JSON.stringify({ errorType: report.errorType, errorMessage: report.errorMessage }),
  );
}

async function expectSuccess(call: string, response: IncomingResponse): Promise<void> {
  const body = await response.bytes(65536).catch(() => new Uint8Array());
  if (response.status >= 200 && response.status < 300) return;
  throw new RuntimeApiError(call, response.status, decoder.decode(body));
}
