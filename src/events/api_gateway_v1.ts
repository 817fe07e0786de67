/**
 * API Gateway REST APIs (payload format 1.0), including HTTP APIs set to payload format 1.0.
 *
 * @module
 */

import type { APIGatewayProxyResult } from "aws-lambda";
import type { HeaderList } from "../http/types.ts";
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
import { groupHeaders, multiValueHeaders } from "../http/headers.ts";
import type { BodyOptions, BufferedResponse, HttpParts, JsonObject } from "./types.ts";

/** The request a REST API event describes. */
export function toRequest(event: JsonObject): HttpParts {
  objectField(event, "requestContext");
  return {
    method: methodField(event, "httpMethod"),
    path: stringField(event, "path") ?? "/",
    query: restQuery(event),
    headers: restHeaders(event),
    body: bodyField(event, "body", "isBase64Encoded"),
  };
}

/**
 * The query of a REST-shaped event. API Gateway hands over decoded values, so they are encoded
 * exactly once here (LWA#99), in the order given (LWA's order is random).
 */
export function restQuery(event: JsonObject): string {
  const multiQuery = queryPairs(
    objectField(event, "multiValueQueryStringParameters"),
    "multiValueQueryStringParameters",
    true,
  );
  const query = multiQuery.length > 0
    ? multiQuery
    : queryPairs(objectField(event, "queryStringParameters"), "queryStringParameters", false);
  return encodeQueryPairs(query);
}

/** `key=value` pairs joined with `&`, each part percent-encoded once. */
export function encodeQueryPairs(pairs: readonly [string, string][]): string {
  return pairs.map(([key, value]) => `${encodeQueryPart(key)}=${encodeQueryPart(value)}`).join("&");
}

/** The headers of a REST-shaped event, every value of a repeated field kept. */
export function restHeaders(event: JsonObject): HeaderList {
  return mergeHeaders(
    multiHeaders(objectField(event, "multiValueHeaders"), "multiValueHeaders"),
    singleHeaders(objectField(event, "headers"), "headers"),
  );
}

/** The REST API result: every header, Set-Cookie included, in `multiValueHeaders`. */
export function toResult(
  response: BufferedResponse,
  _event: JsonObject,
  options: BodyOptions,
): APIGatewayProxyResult {
  return {
    statusCode: response.status,
    headers: {},
    multiValueHeaders: multiValueHeaders(groupHeaders(response.headers)),
    ...bodyFields(response.headers, response.body, options),
  } satisfies APIGatewayProxyResult;
}

/**
 * API Gateway sends both maps: `headers` holds only the last value of a repeated field and
 * `multiValueHeaders` holds all of them. LWA lets `headers` win and so keeps only the last
 * value; here the complete list wins and `headers` only adds names it lacks.
 */
function mergeHeaders(multi: HeaderList, single: HeaderList): HeaderList {
  if (multi.length === 0) return single;
  const seen = new Set(multi.map(([name]) => name));
  return [...multi, ...single.filter(([name]) => !seen.has(name))];
}

/** Percent-encodes everything but RFC 3986 unreserved characters. */
export function encodeQueryPart(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
