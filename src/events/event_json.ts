/**
 * Parses an invocation's payload into its event, keeping a large `body` out of `JSON.parse`.
 *
 * A 6 MB request body arrives as one JSON string inside the event. Decoding the payload to a
 * string and parsing it makes two more 6 MB strings, and with the adapter's V8 flags (a small
 * young generation) each costs about 20 ms on the project machine, most of it faulting in fresh
 * memory for a large object: 40 ms of a POST that LWA answers in about 110 ms. So from
 * {@link LIFT_FROM_BYTES} up, the body string's bytes are cut out of the payload first, the rest
 * is parsed as usual, and the body is unescaped straight into bytes (lifted_body.ts). The event
 * then carries `body: ""` and the bytes under {@link LIFTED_BODY}, which `bodyField` reads.
 *
 * @module
 */

import { ErrorType, InvocationError } from "../lambda/errors.ts";
import { decodeUtf8 } from "./body.ts";
import { isObject } from "./fields.ts";
import { LIFTED_BODY, type LiftedBody, unescapeBody } from "./lifted_body.ts";

/** Payloads this large or larger have their body lifted out before parsing. */
export const LIFT_FROM_BYTES = 64 * 1024;

/** Bytes outside the body read before giving up on finding it (see findBody). */
const STRUCTURE_BYTES = 64 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const BODY_KEY = [0x62, 0x6f, 0x64, 0x79]; // "body"

/**
 * The event in `payload`: `JSON.parse` of its UTF-8 text, with a large top-level string `body`
 * lifted out (see the module's note). Fails the invocation with `InvalidEvent` when the payload
 * is not UTF-8 or not JSON, as a plain parse would.
 */
export function parseEventPayload(payload: Uint8Array, liftFrom = LIFT_FROM_BYTES): unknown {
  const span = payload.byteLength >= liftFrom ? findBody(payload) : undefined;
  if (!span) return parseJson(payload);
  const [start, end] = span;
  const rest = new Uint8Array(payload.byteLength - (end - start));
  rest.set(payload.subarray(0, start));
  rest.set(payload.subarray(end), start);
  // In the order a plain parse fails: bytes that are not UTF-8 anywhere, then bad JSON.
  const text = decodeUtf8(rest);
  if (text === undefined) throw notUtf8();
  let body: LiftedBody;
  try {
    body = unescapeBody(payload.subarray(start, end));
  } catch (error) {
    throw error instanceof TypeError ? notUtf8() : notJson(error);
  }
  const event = parseText(text);
  if (isObject(event)) {
    Object.defineProperty(event, LIFTED_BODY, { value: body, configurable: true });
  }
  return event;
}

/** Drops an event's body, lifted or not, once the request holds it: the event lives on. */
export function releaseBody(event: Record<string, unknown>): void {
  delete event["body"];
  delete (event as { [LIFTED_BODY]?: LiftedBody })[LIFTED_BODY];
}

function parseJson(bytes: Uint8Array): unknown {
  const text = decodeUtf8(bytes);
  if (text === undefined) throw notUtf8();
  return parseText(text);
}

function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw notJson(error);
  }
}

function notUtf8(): InvocationError {
  return new InvocationError(ErrorType.InvalidEvent, "The event payload is not valid UTF-8");
}

function notJson(error: unknown): InvocationError {
  return new InvocationError(
    ErrorType.InvalidEvent,
    `The event payload is not valid JSON: ${(error as Error).message}`,
  );
}

/**
 * The byte range of the top-level `body` string's contents (between its quotes), or undefined
 * when there is none to lift: not an object, no `body`, a `body` that is not a string, two of
 * them (`JSON.parse` keeps the last), or a key spelt with escapes (which could spell `body`).
 * It reads only the structure and skips strings with `indexOf`; `JSON.parse` judges the rest.
 * It gives up after {@link STRUCTURE_BYTES} bytes outside the body: an HTTP event's other fields
 * take a few KiB, where a large non-HTTP event (5 MB of SQS records) is all structure and would
 * pay about 17 ms to find no body.
 */
function findBody(p: Uint8Array): [number, number] | undefined {
  let i = skipSpace(p, 0);
  if (p[i] !== OPEN_OBJECT) return undefined;
  let depth = 0;
  let expectKey = false;
  let found: [number, number] | undefined;
  let bodyBytes = 0;
  for (; i < p.byteLength; i++) {
    const left = STRUCTURE_BYTES - (i - bodyBytes);
    if (left < 0) return undefined;
    const c = p[i];
    if (c === QUOTE) {
      const end = stringEnd(p, i + 1, i + left);
      if (end < 0) return undefined;
      if (depth !== 1 || !expectKey) {
        i = end;
        continue;
      }
      expectKey = false;
      if (p.subarray(i + 1, end).includes(BACKSLASH)) return undefined;
      const isBody = isBodyKey(p, i + 1, end);
      let value = skipSpace(p, end + 1);
      if (p[value] !== COLON) return undefined;
      value = skipSpace(p, value + 1);
      i = value - 1;
      if (!isBody) continue;
      if (found || p[value] !== QUOTE) return undefined;
      const valueEnd = stringEnd(p, value + 1, p.byteLength);
      if (valueEnd < 0) return undefined;
      found = [value + 1, valueEnd];
      bodyBytes = valueEnd - value - 1;
      i = valueEnd;
    } else if (c === OPEN_OBJECT) {
      depth++;
      expectKey = depth === 1;
    } else if (c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
    else if (c === COMMA && depth === 1) expectKey = true;
  }
  return found;
}

function isBodyKey(p: Uint8Array, start: number, end: number): boolean {
  return end - start === BODY_KEY.length && BODY_KEY.every((byte, k) => p[start + k] === byte);
}

/**
 * The index of the quote that ends the string whose contents start at `from`, or -1 when there is
 * none up to `until`.
 */
function stringEnd(p: Uint8Array, from: number, until: number): number {
  for (let q = p.indexOf(QUOTE, from); q >= 0 && q <= until; q = p.indexOf(QUOTE, q + 1)) {
    let backslashes = 0;
    while (p[q - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return q;
  }
  return -1;
}

function skipSpace(p: Uint8Array, i: number): number {
  while (p[i] === 0x20 || p[i] === 0x0a || p[i] === 0x0d || p[i] === 0x09) i++;
  return i;
}
