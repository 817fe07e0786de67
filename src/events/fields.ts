/**
 * Reads fields of an untrusted event. A field of the wrong type, a header HTTP forbids or a body
 * that is not base64 becomes an {@link InvocationError} naming the field, so one broken event
 * fails one invocation (LWA aborts the whole process on several of these).
 *
 * @module
 */

import { ErrorType, InvocationError } from "../lambda/errors.ts";
import type { HeaderList } from "../http/types.ts";
import type { JsonObject } from "./types.ts";
import { base64FromBytes, LIFTED_BODY, type LiftedBody } from "./lifted_body.ts";

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 9110 5.5: field values are visible characters, spaces, tabs and obs-text; never CR, LF, NUL.
// deno-lint-ignore no-control-regex -- rejecting control characters is the point
const INVALID_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;
const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

/** Fails the invocation because field `where` is broken. */
export function invalid(where: string, problem: string): never {
  throw new InvocationError(ErrorType.InvalidRequest, `Invalid event field ${where}: ${problem}`);
}

/**
 * Checks that `value` is text UTF-8 can carry. JSON can spell a lone surrogate (`"\ud800"`),
 * which no request can: encoding it would fail (`URI malformed`) or silently change it.
 */
export function wellFormed(value: string, where: string): string {
  if (!value.isWellFormed()) invalid(where, LONE_SURROGATE);
  return value;
}

const LONE_SURROGATE = "holds a lone surrogate (such as \\ud800), which UTF-8 cannot carry";

/** Tells whether `value` is a plain JSON object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An optional object field; `null` counts as absent. */
export function objectField(event: JsonObject, key: string, where = key): JsonObject | undefined {
  const value = event[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) invalid(where, `expected an object, got ${typeName(value)}`);
  return value;
}

/** An optional string field; `null` counts as absent. */
export function stringField(event: JsonObject, key: string, where = key): string | undefined {
  const value = event[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") invalid(where, `expected a string, got ${typeName(value)}`);
  return wellFormed(value, where);
}

/** A string field that must be present. */
export function requiredString(event: JsonObject, key: string, where = key): string {
  const value = stringField(event, key, where);
  if (value === undefined) invalid(where, "missing");
  return value;
}

/** An HTTP method token; an empty method means GET, as in lambda_http. */
export function methodField(event: JsonObject, key: string, where = key): string {
  const method = requiredString(event, key, where);
  if (method === "") return "GET";
  if (!TOKEN.test(method)) invalid(where, `${JSON.stringify(method)} is not an HTTP method`);
  return method.toUpperCase();
}

/** Checks one header field and appends it with a lowercase name. */
export function pushHeader(headers: HeaderList, name: string, value: unknown, where: string): void {
  if (value === null || value === undefined) return;
  if (typeof value !== "string") {
    invalid(`${where}.${name}`, `expected a string, got ${typeName(value)}`);
  }
  if (!TOKEN.test(name)) invalid(where, `${JSON.stringify(name)} is not a valid header name`);
  if (INVALID_VALUE.test(value)) {
    invalid(`${where}.${name}`, "the value holds a control character (CR, LF, NUL ...)");
  }
  wellFormed(value, `${where}.${name}`);
  headers.push([name.toLowerCase(), value.trim()]);
}

/** A `{name: value}` header map. */
export function singleHeaders(map: JsonObject | undefined, where: string): HeaderList {
  const headers: HeaderList = [];
  if (!map) return headers;
  for (const name in map) pushHeader(headers, name, map[name], where);
  return headers;
}

/** A `{name: [values]}` header map; every value is kept, in order. */
export function multiHeaders(map: JsonObject | undefined, where: string): HeaderList {
  const headers: HeaderList = [];
  if (!map) return headers;
  for (const name in map) {
    const values = map[name];
    if (values === null || values === undefined) continue;
    if (!Array.isArray(values)) {
      invalid(`${where}.${name}`, `expected an array of strings, got ${typeName(values)}`);
    }
    for (const value of values) pushHeader(headers, name, value, where);
  }
  return headers;
}

/** A `{key: value}` or `{key: [values]}` query map as `[key, value]` pairs, in order. */
export function queryPairs(
  map: JsonObject | undefined,
  where: string,
  multi: boolean,
): [string, string][] {
  const pairs: [string, string][] = [];
  if (!map) return pairs;
  for (const key in map) {
    const value = map[key];
    if (value === null || value === undefined) continue;
    wellFormed(key, `${where} key ${JSON.stringify(key)}`);
    const values = multi ? value : [value];
    if (!Array.isArray(values)) {
      invalid(`${where}.${key}`, `expected an array of strings, got ${typeName(value)}`);
    }
    for (const item of values) {
      if (typeof item !== "string") {
        invalid(`${where}.${key}`, `expected a string, got ${typeName(item)}`);
      }
      pairs.push([key, wellFormed(item, `${where}.${key}`)]);
    }
  }
  return pairs;
}

/**
 * The request body: text as UTF-8, or base64 decoded when `isBase64Encoded` says so. A large
 * `body` lifted out of the event before parsing (event_json.ts) is read from its bytes.
 */
export function bodyField(event: JsonObject, bodyKey: string, base64Key: string): Uint8Array {
  const lifted = bodyKey === "body" ? liftedBody(event) : undefined;
  if (lifted && !lifted.wellFormed) invalid(bodyKey, LONE_SURROGATE);
  const body = lifted ? undefined : stringField(event, bodyKey);
  const flag = event[base64Key];
  if (flag !== undefined && flag !== null && typeof flag !== "boolean") {
    invalid(base64Key, `expected true or false, got ${typeName(flag)}`);
  }
  if (lifted) return flag === true ? decodeBase64(lifted.bytes, bodyKey) : lifted.bytes;
  if (body === undefined || body === "") return EMPTY;
  if (flag !== true) return encoder.encode(body);
  return decodeBase64(body, bodyKey);
}

function liftedBody(event: JsonObject): LiftedBody | undefined {
  return (event as { [LIFTED_BODY]?: LiftedBody })[LIFTED_BODY];
}

function decodeBase64(body: string | Uint8Array, bodyKey: string): Uint8Array {
  try {
    return typeof body === "string" ? Uint8Array.fromBase64(body) : base64FromBytes(body);
  } catch {
    return invalid(bodyKey, "isBase64Encoded is true but the body is not valid base64");
  }
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
