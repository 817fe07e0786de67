/**
 * Application Load Balancer targets, with or without multi-value headers.
 *
 * @module
 */

import type { ALBResult } from "aws-lambda";
import { statusDescription } from "../http/status_text.ts";
import { bodyFields } from "./body.ts";
import {
  bodyField,
  methodField,
  multiHeaders,
  objectField,
  queryPairs,
  singleHeaders,
  stringField,
} from "./fields.ts";
import { groupHeaders, multiValueHeaders, singleValueHeaders } from "../http/headers.ts";
import type { BodyOptions, BufferedResponse, HttpParts, JsonObject } from "./types.ts";

/** The request an ALB event describes. */
export function toRequest(event: JsonObject): HttpParts {
  const multiHeaderMap = objectField(event, "multiValueHeaders");
  const multiQuery = objectField(event, "multiValueQueryStringParameters");
  // ALB passes query keys and values exactly as the client encoded them ("the load balancer
  // does not decode them"), unlike API Gateway; re-encoding would double-encode (LWA#99).
  const query = multiQuery
    ? queryPairs(multiQuery, "multiValueQueryStringParameters", true)
    : queryPairs(objectField(event, "queryStringParameters"), "queryStringParameters", false);
  return {
    method: methodField(event, "httpMethod"),
    path: stringField(event, "path") ?? "/",
    query: query.map(([key, value]) => `${key}=${value}`).join("&"),
    headers: multiHeaderMap
      ? multiHeaders(multiHeaderMap, "multiValueHeaders")
      : singleHeaders(objectField(event, "headers"), "headers"),
    body: bodyField(event, "body", "isBase64Encoded"),
  };
}

/**
 * The ALB result in the event's own mode: a target group with multi-value headers reads only
 * `multiValueHeaders`, one without reads only `headers` (where just one Set-Cookie fits).
 */
export function toResult(
  response: BufferedResponse,
  event: JsonObject,
  options: BodyOptions,
): ALBResult {
  const grouped = groupHeaders(response.headers);
  const description = statusDescription(response.status, response.statusText);
  const body = bodyFields(response.headers, response.body, options);
  if (event["multiValueHeaders"] !== undefined && event["multiValueHeaders"] !== null) {
    return {
      statusCode: response.status,
      statusDescription: description,
      multiValueHeaders: multiValueHeaders(grouped),
      ...body,
    } satisfies ALBResult;
  }
  const cookies = grouped.get("set-cookie");
  if (cookies) grouped.set("set-cookie", cookies.slice(0, 1));
  return {
    statusCode: response.status,
    statusDescription: description,
    headers: singleValueHeaders(grouped),
    ...body,
  } satisfies ALBResult;
}
