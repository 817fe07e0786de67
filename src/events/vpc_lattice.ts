/**
 * Amazon VPC Lattice, both event structures (LWA#789, open upstream): v1 with snake_case keys
 * (`raw_path`, `query_string_parameters`, `is_base64_encoded`), and v2 (`version: "2.0"`) whose
 * header and query values are arrays.
 *
 * @module
 */

import { statusDescription } from "../http/status_text.ts";
import { encodeQueryPairs } from "./api_gateway_v1.ts";
import { bodyFields } from "./body.ts";
import {
  bodyField,
  invalid,
  isObject,
  methodField,
  objectField,
  pushHeader,
  queryPairs,
  singleHeaders,
  stringField,
  wellFormed,
} from "./fields.ts";
import { groupHeaders, singleValueHeaders } from "../http/headers.ts";
import type {
  BodyOptions,
  BufferedResponse,
  HttpParts,
  JsonObject,
  VpcLatticeResult,
} from "./types.ts";
import type { HeaderList } from "../http/types.ts";

/** The request a Lattice v1 event describes. */
export function toRequestV1(event: JsonObject): HttpParts {
  const rawPath = stringField(event, "raw_path") ?? "/";
  const pairs = queryPairs(
    objectField(event, "query_string_parameters"),
    "query_string_parameters",
    false,
  );
  // Like API Gateway, Lattice hands over decoded query values, so they are encoded once here.
  let query = encodeQueryPairs(pairs);
  let path = rawPath;
  const mark = rawPath.indexOf("?");
  if (mark >= 0) {
    path = rawPath.slice(0, mark);
    if (query === "") query = rawPath.slice(mark + 1);
  }
  return {
    method: methodField(event, "method"),
    path,
    query,
    headers: singleHeaders(objectField(event, "headers"), "headers"),
    body: bodyField(event, "body", "is_base64_encoded"),
  };
}

/** The request a Lattice v2 event describes. */
export function toRequestV2(event: JsonObject): HttpParts {
  const query = objectField(event, "queryStringParameters");
  const pairs: [string, string][] = [];
  for (const key in query) {
    for (const value of stringOrList(query[key], `queryStringParameters.${key}`)) {
      pairs.push([key, value]);
    }
  }
  const headers: HeaderList = [];
  const map = objectField(event, "headers");
  for (const name in map) {
    for (const value of stringOrList(map[name], `headers.${name}`)) {
      pushHeader(headers, name, value, "headers");
    }
  }
  return {
    method: methodField(event, "method"),
    path: stringField(event, "path") ?? "/",
    query: encodeQueryPairs(pairs),
    headers,
    body: bodyField(event, "body", "isBase64Encoded"),
  };
}

/**
 * The Lattice result, the same for both versions: single-value `headers` and a
 * `statusDescription`. The format has no multi-value field, so repeated fields (Set-Cookie
 * included) are joined with ", ".
 */
export function toResult(
  response: BufferedResponse,
  _event: JsonObject,
  options: BodyOptions,
): VpcLatticeResult {
  return {
    statusCode: response.status,
    statusDescription: statusDescription(response.status, response.statusText),
    headers: singleValueHeaders(groupHeaders(response.headers)),
    ...bodyFields(response.headers, response.body, options),
  } satisfies VpcLatticeResult;
}

/** Tells a v2 event (`version` "2.0" and a service ARN) from other sources. */
export function isLatticeV2(event: JsonObject): boolean {
  const context = event["requestContext"];
  return event["version"] === "2.0" && isObject(context) &&
    (Object.hasOwn(context, "serviceArn") || Object.hasOwn(context, "serviceNetworkArn"));
}

function stringOrList(value: unknown, where: string): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === "string") return [wellFormed(value, where)];
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) {
    return value.map((item) => wellFormed(item, where));
  }
  return invalid(where, "expected a string or an array of strings");
}
