/**
 * API Gateway REST (payload v1) events for the benchmarks, built on a real fixture
 * (`apigw_multi_value_proxy_request.json`, which lambda_http, the crate LWA uses, tests with):
 * both `headers` and `multiValueHeaders`, a query string, an identity block, as API Gateway
 * sends them. Only method, path, content type and body change.
 *
 * @module
 */

import { loadEvent } from "../tests/fixtures.ts";

const FIXTURE = "aws-lambda-rust-runtime/apigw_multi_value_proxy_request.json";
const encoder = new TextEncoder();

/** Lambda's limit on a synchronous invocation's event payload (6 MiB). */
export const MAX_EVENT_BYTES = 6 * 1024 * 1024;

/** What one benchmark request is. */
export interface RestRequest {
  method: "GET" | "POST";
  path: string;
  /** The request body; text goes into the event as is, anything else as base64. */
  body?: { kind: "text" | "binary"; bytes: Uint8Array };
}

/** The event for `request` as the bytes the fake Runtime API hands out. */
export function restEvent(request: RestRequest): Uint8Array<ArrayBuffer> {
  const event = loadEvent<Record<string, unknown>>(FIXTURE);
  const context = event.requestContext as Record<string, unknown>;
  const headers = { ...event.headers as Record<string, string> };
  const multi = { ...event.multiValueHeaders as Record<string, string[]> };
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === "content-type") delete headers[name];
  }
  for (const name of Object.keys(multi)) {
    if (name.toLowerCase() === "content-type") delete multi[name];
  }
  const body = request.body;
  if (body) {
    const type = body.kind === "text" ? "text/plain" : "application/octet-stream";
    headers["Content-Type"] = type;
    multi["Content-Type"] = [type];
  }
  Object.assign(event, {
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders: multi,
    requestContext: { ...context, httpMethod: request.method },
    body: body ? (body.kind === "text" ? decodeText(body.bytes) : body.bytes.toBase64()) : null,
    isBase64Encoded: body?.kind === "binary",
  });
  return encoder.encode(JSON.stringify(event));
}

function decodeText(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

/** `size` bytes of ASCII text ("xxx…"): JSON carries them one byte each. */
export function textBytes(size: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(size).fill(120);
}

/** `size` bytes that are not valid UTF-8 text, the same pattern bench/bench_app.ts serves. */
export function binaryBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31) % 256;
  return bytes;
}

/** The largest text body whose REST event still fits in `MAX_EVENT_BYTES`, less `margin`. */
export function largestTextBody(margin = 1024): number {
  const overhead = restEvent({
    method: "POST",
    path: "/upload",
    body: { kind: "text", bytes: new Uint8Array(0) },
  }).byteLength;
  return MAX_EVENT_BYTES - overhead - margin;
}
