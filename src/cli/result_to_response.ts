/**
 * Turns an invocation's result back into the HTTP response the imitated front end would send,
 * for `lambda-adapter emulate`'s front door.
 *
 * @module
 */

import type { HeaderList } from "../http/types.ts";
import type { EventSource } from "./event_shapes.ts";

/** A response to write back to the client. */
export interface FrontDoorResponse {
  /** The status code. */
  status: number;
  /** The fields in wire order. */
  headers: HeaderList;
  /** The body. */
  body: Uint8Array;
}

const encoder = new TextEncoder();

/** What each front end answers when the function fails or times out. */
export function failureResponse(source: EventSource): FrontDoorResponse {
  switch (source) {
    case "rest-api":
    case "http-api":
      return {
        status: 502,
        headers: [["content-type", "application/json"], [
          "x-amzn-errortype",
          "InternalServerErrorException",
        ]],
        body: encoder.encode('{"message":"Internal Server Error"}'),
      };
    case "alb":
    case "alb-multi-value":
    case "vpc-lattice-v2":
      return {
        status: 502,
        headers: [["content-type", "text/html"]],
        body: encoder.encode(
          "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
        ),
      };
    case "function-url":
      return {
        status: 502,
        headers: [["content-type", "text/plain"]],
        body: encoder.encode("Internal Server Error"),
      };
  }
}

/**
 * Reads a buffered result. Function URLs and HTTP APIs take a result without `statusCode` as a
 * 200 JSON body; the other front ends call it a failure.
 */
export function resultToResponse(source: EventSource, payload: Uint8Array): FrontDoorResponse {
  let result: unknown;
  try {
    result = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return failureResponse(source);
  }
  const shaped = typeof result === "object" && result !== null && "statusCode" in result;
  if (!shaped) {
    if (source === "function-url" || source === "http-api") {
      return { status: 200, headers: [["content-type", "application/json"]], body: payload };
    }
    return failureResponse(source);
  }
  const shape = result as {
    statusCode: unknown;
    headers?: Record<string, unknown> | null;
    multiValueHeaders?: Record<string, unknown> | null;
    cookies?: unknown;
    body?: unknown;
    isBase64Encoded?: unknown;
  };
  const status = Number(shape.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) return failureResponse(source);
  return {
    status,
    headers: resultHeaders(shape),
    body: resultBody(shape.body, shape.isBase64Encoded),
  };
}

/**
 * `headers` and `multiValueHeaders` merged as API Gateway does: a name in `multiValueHeaders`
 * takes its values from there; `cookies` become Set-Cookie fields.
 */
function resultHeaders(shape: {
  headers?: Record<string, unknown> | null;
  multiValueHeaders?: Record<string, unknown> | null;
  cookies?: unknown;
}): HeaderList {
  const headers: HeaderList = [];
  const multi = shape.multiValueHeaders ?? {};
  const multiNames = new Set(Object.keys(multi).map((name) => name.toLowerCase()));
  for (const [name, value] of Object.entries(shape.headers ?? {})) {
    if (!multiNames.has(name.toLowerCase()) && value !== null && value !== undefined) {
      headers.push([name, String(value)]);
    }
  }
  for (const [name, values] of Object.entries(multi)) {
    if (Array.isArray(values)) { for (const value of values) headers.push([name, String(value)]); }
  }
  if (Array.isArray(shape.cookies)) {
    for (const cookie of shape.cookies) headers.push(["set-cookie", String(cookie)]);
  }
  return headers;
}

function resultBody(body: unknown, base64: unknown): Uint8Array {
  if (typeof body !== "string" || body === "") return new Uint8Array();
  if (base64 === true) {
    try {
      return Uint8Array.fromBase64(body);
    } catch {
      return new Uint8Array();
    }
  }
  return encoder.encode(body);
}
