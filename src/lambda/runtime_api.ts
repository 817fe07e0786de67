/**
 * Client of the Lambda Runtime API (`/2018-06-01/runtime/...`).
 *
 * @module
 */

import { readBody } from "../http/read_body.ts";
import type { HeaderList, HttpClient, IncomingResponse } from "../http/types.ts";

const VERSION = "/2018-06-01";
const encoder = new TextEncoder();

/** A `/next` answer before its headers are interpreted. */
export interface NextInvocation {
  readonly headers: HeaderList;
  readonly payload: Uint8Array;
}

/** An error as the Runtime API wants it reported. */
export interface ErrorReport {
  readonly errorType: string;
  readonly errorMessage: string;
}

/** Thrown when the Runtime API answers a call with an unexpected status. */
export class RuntimeApiError extends Error {
  readonly status: number;
  constructor(call: string, status: number, body: string) {
    super(`Runtime API ${call} answered ${status}${body ? `: ${body.slice(0, 500)}` : ""}`);
    this.name = "RuntimeApiError";
    this.status = status;
  }
}

/** The calls the adapter makes. */
export interface RuntimeApi {
  next(signal?: AbortSignal): Promise<NextInvocation>;
  respond(requestId: string, payload: Uint8Array): Promise<void>;
  /**
   * Streams the response (`Lambda-Runtime-Function-Response-Mode: streaming`): `body` is sent
   * chunk by chunk as it is produced, then `trailers()` as chunked trailers.
   */
  respondStream(
    requestId: string,
    body: ReadableStream<Uint8Array>,
    options: { contentType: string; trailers: () => HeaderList },
  ): Promise<void>;
  fail(requestId: string, report: ErrorReport): Promise<void>;
  initError(report: ErrorReport): Promise<void>;
}

/** Creates a client; `basePath` is the prefix some proxies put before `/2018-06-01`. */
export function createRuntimeApi(
  client: HttpClient,
  options: { basePath: string; userAgent: string },
): RuntimeApi {
  const prefix = options.basePath + VERSION;
  const common: HeaderList = [["user-agent", options.userAgent]];

  async function post(call: string, target: string, body: Uint8Array, extra: HeaderList = []) {
    const response = await client({
      method: "POST",
      target,
      headers: [...common, ...extra],
      body,
    });
    await expectSuccess(call, response);
  }

  return {
    async next(signal) {
      const response = await client(
        { method: "GET", target: `${prefix}/runtime/invocation/next`, headers: common },
        signal,
      );
      if (response.status !== 200) await expectSuccess("/next", response);
      return { headers: response.headers, payload: await readBody(response.body) };
    },
    respond(requestId, payload) {
      return post(
        "/response",
        `${prefix}/runtime/invocation/${encodeURIComponent(requestId)}/response`,
        payload,
      );
    },
    async respondStream(requestId, body, { contentType, trailers }) {
      const response = await client({
        method: "POST",
        target: `${prefix}/runtime/invocation/${encodeURIComponent(requestId)}/response`,
        headers: [
          ...common,
          ["lambda-runtime-function-response-mode", "streaming"],
          ["content-type", contentType],
          ["trailer", "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body"],
        ],
        body,
        trailers,
      });
      await expectSuccess("/response (streaming)", response);
    },
    fail(requestId, report) {
      return post(
        "/error",
        `${prefix}/runtime/invocation/${encodeURIComponent(requestId)}/error`,
        errorBody(report),
        [["lambda-runtime-function-error-type", report.errorType], [
          "content-type",
          "application/json",
        ]],
      );
    },
    initError(report) {
      return post("/init/error", `${prefix}/runtime/init/error`, errorBody(report), [
        ["lambda-runtime-function-error-type", report.errorType],
        ["content-type", "application/json"],
      ]);
    },
  };
}

function errorBody(report: ErrorReport): Uint8Array {
  return encoder.encode(
    JSON.stringify({ errorType: report.errorType, errorMessage: report.errorMessage }),
  );
}

async function expectSuccess(call: string, response: IncomingResponse): Promise<void> {
  const body = await readBody(response.body, 65536).catch(() => new Uint8Array());
  if (response.status >= 200 && response.status < 300) return;
  throw new RuntimeApiError(call, response.status, new TextDecoder().decode(body));
}
