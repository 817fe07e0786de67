/**
 * Edge cases of the HTTP exchange: what reaches the app (paths, queries, repeated and hop-by-hop
 * headers, forged adapter headers) and what the app's answer becomes.
 *
 * @module
 */

import { ALB, type Case, httpApi, respond, REST, text } from "./conformance_events.ts";

/** An HTTP API POST of `/path` with `extra` top-level fields. */
function post(path: string, extra: Record<string, unknown>) {
  const event = httpApi(path, extra);
  return {
    ...event,
    requestContext: {
      ...event.requestContext,
      http: { ...event.requestContext.http, method: "POST" },
    },
  };
}

const LARGE_JSON = JSON.stringify({
  items: Array.from({ length: 3000 }, (_, i) => ({
    i,
    name: `José "${i}" 😀 𝄞`,
    note: "line\nbreak\ttab \\ back \u0001",
  })),
});

const LARGE_BASE64 = Uint8Array.from({ length: 150_000 }, (_, i) => (i * 131 + 7) & 0xff)
  .toBase64();

/** The event's JSON with every `/` escaped as `\/`, as PHP's json_encode writes it. */
function escapedSlashes(event: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(event).replaceAll("/", "\\/"));
}

/** Run with default settings. */
export const HTTP_CASES: Case[] = [
  {
    name: "text body: a leading UTF-8 BOM is dropped",
    event: httpApi("/bom"),
    response: text("\ufeffhello"),
  },
  {
    name: "REST: a repeated request header",
    event: {
      ...REST,
      multiValueHeaders: { "X-Repeat": ["one", "two"] },
      headers: { ...REST.headers as object, "X-Repeat": "two" },
    },
    shows: ["repeated-request-headers"],
  },
  {
    name: "REST: query values encoded once, in order",
    event: {
      ...REST,
      queryStringParameters: { q: "c&d", z: "é+" },
      multiValueQueryStringParameters: { z: ["é+"], q: ["a b", "c&d"] },
    },
    shows: ["query-encoding"],
  },
  {
    name: "HTTP API: repeated response headers",
    event: httpApi("/multi"),
    response: respond([
      ["content-type", "text/plain"],
      ["x-multi", "1"],
      ["x-multi", "2"],
    ], "multi"),
    shows: ["repeated-response-headers"],
  },
  {
    name: "ALB single-value: repeated response headers and cookies",
    event: ALB,
    response: respond([
      ["content-type", "text/plain"],
      ["x-multi", "1"],
      ["x-multi", "2"],
      ["set-cookie", "a=1"],
      ["set-cookie", "b=2"],
    ], "multi"),
    shows: ["repeated-response-headers"],
  },
  {
    name: "ALB: statusDescription of a code without a phrase",
    event: ALB,
    response: respond([["content-type", "text/plain"]], "x", 299),
    shows: ["status-description"],
  },
  {
    name: "ALB: statusDescription of 418",
    event: ALB,
    response: respond([["content-type", "text/plain"]], "teapot", 418),
  },
  {
    name: "path: dot segments",
    event: httpApi("/a/b/../c/./d"),
    shows: ["dot-segments"],
  },
  {
    name: "path: encoded dot segments",
    event: httpApi("/a/%2e%2e/b/%2E/c"),
    shows: ["dot-segments"],
  },
  {
    name: "path: non-ASCII, spaces and reserved characters are percent-encoded",
    event: httpApi('/Año 1234/"q"/{x}|^`'),
  },
  {
    name: "client copies of adapter headers",
    event: httpApi("/spoof", {
      headers: {
        host: "abc.execute-api.us-east-1.amazonaws.com",
        "x-amzn-lambda-context": "{}",
        "x-amzn-request-context": "{}",
        "x-amzn-trace-id": "Root=forged",
        "x-amz-tenant-id": "forged",
        "x_amzn_lambda_context": "{}",
      },
    }),
    shows: ["client-copies-of-adapter-headers"],
  },
  {
    name: "hop-by-hop request headers",
    event: httpApi("/hop", {
      headers: {
        host: "abc.execute-api.us-east-1.amazonaws.com",
        connection: "keep-alive, x-private",
        "keep-alive": "timeout=5",
        "x-private": "1",
        te: "trailers",
        upgrade: "h2c",
      },
    }),
    shows: ["hop-by-hop-request-headers"],
  },
  {
    name: "hop-by-hop response headers",
    event: httpApi("/hop"),
    response: respond([
      ["content-type", "text/plain"],
      ["connection", "keep-alive"],
      ["keep-alive", "timeout=5"],
    ], "hop"),
    shows: ["hop-by-hop-response-headers"],
  },
  {
    name: "request context with non-ASCII values",
    event: httpApi("/context", {
      requestContext: {
        ...httpApi("/context").requestContext,
        authorizer: { lambda: { name: "Zoë 😀" } },
      },
    }),
    shows: ["context-header-ascii"],
  },
  {
    name: "a text body that is not UTF-8",
    event: httpApi("/latin1"),
    response: respond(
      [["content-type", "text/plain; charset=iso-8859-1"]],
      new Uint8Array([0x63, 0x61, 0x66, 0xe9]),
    ),
    shows: ["text-not-utf8"],
  },
  {
    name: "bytes without a content type",
    event: httpApi("/bytes"),
    response: respond([], new Uint8Array([0xff, 0x00, 0x80, 0x41])),
    shows: ["text-not-utf8"],
  },
  {
    name: "an upper-case media type",
    event: httpApi("/upper"),
    response: text("hello", "TEXT/PLAIN"),
    shows: ["media-type-case"],
  },
  {
    name: "binary response",
    event: httpApi("/png"),
    response: respond([["content-type", "image/png"]], new Uint8Array([0x89, 0x50, 0x4e, 0x47])),
  },
  {
    name: "204 without a body",
    event: httpApi("/empty"),
    response: respond([], "", 204),
  },
  {
    name: "a redirect is not followed",
    event: httpApi("/old"),
    response: respond([["location", "/new"]], "", 302),
  },
  {
    name: "request body, base64 and text",
    event: httpApi("/upload", {
      requestContext: {
        ...httpApi("/upload").requestContext,
        http: { ...httpApi("/upload").requestContext.http, method: "POST" },
      },
      body: new Uint8Array([0, 1, 2, 0xff, 0xfe]).toBase64(),
      isBase64Encoded: true,
    }),
  },
  {
    // From 64 KiB up the body is lifted out of the event before parsing (src/events/event_json.ts).
    name: "a large JSON body with escapes, astral characters and non-ASCII text",
    event: post("/upload", { body: LARGE_JSON, isBase64Encoded: false }),
  },
  {
    name: "a large base64 body, written with escaped slashes",
    event: escapedSlashes(post("/upload", { body: LARGE_BASE64, isBase64Encoded: true })),
  },
  {
    name: "a client's x-amz-tenant-id on a function without tenants",
    event: httpApi("/tenant", {
      headers: { host: "abc.execute-api.us-east-1.amazonaws.com", "x-amz-tenant-id": "forged" },
    }),
    shows: ["client-copies-of-adapter-headers"],
  },
];
