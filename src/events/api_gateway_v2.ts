/**
 * API Gateway HTTP APIs (payload format 2.0) and Lambda Function URLs, which share the shape.
 *
 * @module
 */

import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { bodyFields } from "./body.ts";
import {
  bodyField,
  invalid,
  methodField,
  objectField,
  singleHeaders,
  stringField,
  wellFormed,
} from "./fields.ts";
import { groupHeaders, singleValueHeaders } from "../http/headers.ts";
import type { BodyOptions, BufferedResponse, HttpParts, JsonObject } from "./types.ts";

/** The request an HTTP API or Function URL event describes. */
export function toRequest(event: JsonObject): HttpParts {
  const context = objectField(event, "requestContext")!;
  const http = objectField(context, "http", "requestContext.http");
  if (!http) invalid("requestContext.http", "missing");
  const headers = singleHeaders(objectField(event, "headers"), "headers");
  const cookies = cookieList(event);
  return {
    method: methodField(http, "method", "requestContext.http.method"),
    path: stringField(event, "rawPath") ?? stringField(http, "path", "requestContext.http.path") ??
      "/",
    // Sent as the client wrote it: API Gateway does not decode rawQueryString.
    query: stringField(event, "rawQueryString") ?? "",
    // Function URLs send the Cookie header and the cookies array; the array is the complete
    // one, and exactly one Cookie field must reach the app (LWA#121), joined as RFC 6265 5.4.
    headers: cookies.length === 0
      ? headers
      : [...headers.filter(([name]) => name !== "cookie"), ["cookie", cookies.join("; ")]],
    body: bodyField(event, "body", "isBase64Encoded"),
  };
}

/** The HTTP API result: Set-Cookie values move to `cookies`, other repeats are comma-joined. */
export function toResult(
  response: BufferedResponse,
  _event: JsonObject,
  options: BodyOptions,
): APIGatewayProxyStructuredResultV2 {
  const grouped = groupHeaders(response.headers);
  const cookies = grouped.get("set-cookie") ?? [];
  grouped.delete("set-cookie");
  return {
    statusCode: response.status,
    headers: singleValueHeaders(grouped),
    ...bodyFields(response.headers, response.body, options),
    cookies,
  } satisfies APIGatewayProxyStructuredResultV2;
}

function cookieList(event: JsonObject): string[] {
  const cookies = event["cookies"];
  if (cookies === undefined || cookies === null) return [];
  if (!Array.isArray(cookies) || cookies.some((cookie) => typeof cookie !== "string")) {
    invalid("cookies", "expected an array of strings");
  }
  // deno-lint-ignore no-control-regex -- rejecting control characters is the point
  if (cookies.some((cookie) => /[\x00-\x1f\x7f]/.test(cookie))) {
    invalid("cookies", "a cookie holds a control character");
  }
  for (const cookie of cookies) wellFormed(cookie, "cookies");
  return cookies;
}
