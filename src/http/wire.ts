/**
 * HTTP/1.1 message heads on the wire (RFC 9112): request heads out, response heads in.
 *
 * Heads are text in UTF-8 both ways, so a non-ASCII field value the adapter got from an event
 * reaches the app as the same bytes hyper (the Rust LWA) would send, and a response field comes
 * back as the same string.
 *
 * @module
 */

import { HttpProtocolError } from "./errors.ts";
import type { HeaderList, OutgoingRequest } from "./types.ts";

/** RFC 9110 5.6.2 token. */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 9110 5.5: CR, LF and NUL are dangerous; other C0 controls (except HTAB) and DEL invalid. */
// deno-lint-ignore no-control-regex
export const INVALID_VALUE = /[\0-\x08\x0a-\x1f\x7f]/;
/** RFC 9112 3.2: origin form has no whitespace or controls. */
const INVALID_TARGET = /[\0-\x20\x7f]/;
/** RFC 9110 8.6: no Content-Length when these carry no content (the method does not expect it). */
const NO_EMPTY_LENGTH = new Set(["GET", "HEAD", "DELETE", "OPTIONS", "TRACE"]);
const STATUS_LINE = /^HTTP\/1\.([01]) ([0-9]{3})(?: ([^]*))?$/;

const decoder = new TextDecoder();

/** How a request body is framed on the wire. */
export type RequestFraming = { length: number } | "chunked" | "none";

/** A validated request head, ready to be encoded. */
export interface RequestHead {
  /** The head as written: request line and fields, ending with the empty line. */
  text: string;
  /** The caller asked for `Connection: close`, so the connection must not be reused. */
  close: boolean;
}

/** Throws a `TypeError` naming the first field that cannot be written as an HTTP/1.1 field. */
export function validateFields(fields: HeaderList, what: string): void {
  for (const [name, value] of fields) {
    if (!TOKEN.test(name)) throw new TypeError(`Invalid ${what} name: ${JSON.stringify(name)}`);
    if (INVALID_VALUE.test(value)) {
      throw new TypeError(`Invalid ${what} value for ${name}: ${JSON.stringify(value)}`);
    }
  }
}

/** Chooses the framing for a request body (RFC 9112 6, RFC 9110 8.6). */
export function requestFraming(request: OutgoingRequest): RequestFraming {
  const body = request.body;
  if (body instanceof Uint8Array) {
    if (body.length > 0 || !NO_EMPTY_LENGTH.has(request.method)) return { length: body.length };
    return "none";
  }
  if (body) return "chunked";
  return NO_EMPTY_LENGTH.has(request.method) ? "none" : { length: 0 };
}

/**
 * Builds the request head text. The caller's fields are kept as given (order, case, repeats)
 * except `Content-Length` and `Transfer-Encoding`, which are replaced by `framing`; `Host` is
 * added as `defaultHost` only when absent. Throws a `TypeError` for anything invalid.
 */
export function buildRequestHead(
  request: OutgoingRequest,
  defaultHost: string,
  framing: RequestFraming,
): RequestHead {
  const { method, target } = request;
  if (!TOKEN.test(method)) throw new TypeError(`Invalid method: ${JSON.stringify(method)}`);
  if (target.length === 0 || INVALID_TARGET.test(target)) {
    throw new TypeError(`Invalid request target: ${JSON.stringify(target)}`);
  }
  let text = `${method} ${target} HTTP/1.1\r\n`;
  let hasHost = false;
  let close = false;
  for (const [name, value] of request.headers) {
    if (!TOKEN.test(name)) throw new TypeError(`Invalid header name: ${JSON.stringify(name)}`);
    if (INVALID_VALUE.test(value)) {
      throw new TypeError(`Invalid header value for ${name}: ${JSON.stringify(value)}`);
    }
    // Only names of these lengths need the case-insensitive comparison.
    const n = name.length;
    if (n === 4 || n === 10 || n === 14 || n === 17) {
      const lower = name.toLowerCase();
      if (lower === "content-length" || lower === "transfer-encoding") continue;
      if (lower === "host") hasHost = true;
      else if (lower === "connection") close ||= hasToken(value, "close");
    }
    text += `${name}: ${value}\r\n`;
  }
  if (!hasHost) text += `Host: ${defaultHost}\r\n`;
  if (framing === "chunked") text += "Transfer-Encoding: chunked\r\n";
  else if (framing !== "none") text += `Content-Length: ${framing.length}\r\n`;
  return { text: text + "\r\n", close };
}

/** A parsed response head. */
export interface ResponseHead {
  /** The minor HTTP version: 0 or 1. */
  minor: number;
  /** The status code. */
  status: number;
  /** The reason phrase as sent (may be empty). */
  statusText: string;
  /** The fields in wire order. */
  headers: HeaderList;
}

/** Parses a response head (the bytes before the empty line) per RFC 9112 4 and 5. */
export function parseResponseHead(bytes: Uint8Array): ResponseHead {
  const lines = decoder.decode(bytes).split("\r\n");
  const match = STATUS_LINE.exec(lines[0]!);
  if (match === null || INVALID_VALUE.test(match[3] ?? "")) {
    throw new HttpProtocolError(`Invalid status line: ${JSON.stringify(lines[0]!.slice(0, 100))}`);
  }
  const headers: HeaderList = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    const name = line.slice(0, colon);
    if (colon <= 0 || !TOKEN.test(name)) {
      const folded = line.startsWith(" ") || line.startsWith("\t");
      const what = folded ? "Obsolete line folding" : "Invalid header line";
      throw new HttpProtocolError(`${what}: ${JSON.stringify(line.slice(0, 100))}`);
    }
    const value = trimOws(line, colon + 1);
    if (INVALID_VALUE.test(value)) {
      throw new HttpProtocolError(`Invalid header value for ${name}: ${JSON.stringify(value)}`);
    }
    headers.push([name, value]);
  }
  return {
    minor: match[1] === "1" ? 1 : 0,
    status: Number(match[2]),
    statusText: match[3] ?? "",
    headers,
  };
}

/** How a response body is delimited (RFC 9112 6.3). */
export type ResponseFraming = { length: number } | "chunked" | "close" | "none";

/** The response body framing and whether the connection may carry another request. */
export interface ResponseDisposition {
  /** How the body's end is found. */
  framing: ResponseFraming;
  /** Whether the connection can take another request afterwards. */
  keepAlive: boolean;
}

/** Applies RFC 9112 6.3 and 9.3 to a parsed response head of a request with `method`. */
export function responseDisposition(head: ResponseHead, method: string): ResponseDisposition {
  let te: string | undefined;
  let cl: string | undefined;
  let connection = "";
  for (const [name, value] of head.headers) {
    const n = name.length;
    if (n !== 10 && n !== 14 && n !== 17) continue;
    const lower = name.toLowerCase();
    if (lower === "transfer-encoding") te = te === undefined ? value : `${te},${value}`;
    else if (lower === "content-length") cl = cl === undefined ? value : `${cl},${value}`;
    else if (lower === "connection") connection += `,${value}`;
  }
  const close = hasToken(connection, "close");
  let framing: ResponseFraming;
  const status = head.status;
  if (method === "HEAD" || status < 200 || status === 204 || status === 304) framing = "none";
  else if (te !== undefined) {
    // A TE in HTTP/1.0 means faulty framing (RFC 9112 6.1); TE with CL smells of smuggling (6.3).
    if (head.minor === 0) return { framing: "close", keepAlive: false };
    if (cl !== undefined) {
      throw new HttpProtocolError("Response has both Transfer-Encoding and Content-Length");
    }
    const codings = te.split(",");
    if (codings[codings.length - 1]!.trim().toLowerCase() !== "chunked") {
      return { framing: "close", keepAlive: false };
    }
    framing = "chunked";
  } else if (cl !== undefined) framing = { length: parseContentLength(cl) };
  else return { framing: "close", keepAlive: false };
  const keepAlive = head.minor === 1 ? !close : hasToken(connection, "keep-alive") && !close;
  return { framing, keepAlive };
}

/** RFC 9110 8.6: a list of identical decimal values is accepted as that value. */
function parseContentLength(list: string): number {
  let result = -1;
  for (const part of list.split(",")) {
    const value = part.trim();
    const n = /^[0-9]{1,15}$/.test(value) ? Number(value) : NaN;
    if (Number.isNaN(n) || (result !== -1 && n !== result)) {
      throw new HttpProtocolError(`Invalid Content-Length: ${JSON.stringify(list)}`);
    }
    result = n;
  }
  return result;
}

/** Whether a comma-separated header value contains `token` (case-insensitive). */
export function hasToken(list: string, token: string): boolean {
  if (list.length < token.length) return false;
  return list.split(",").some((item) => item.trim().toLowerCase() === token);
}

/** Trims optional whitespace (SP and HTAB only, RFC 9110 5.6.3) around `line.slice(from)`. */
export function trimOws(line: string, from: number): string {
  let start = from;
  let end = line.length;
  while (start < end && isOws(line.charCodeAt(start))) start++;
  while (end > start && isOws(line.charCodeAt(end - 1))) end--;
  return line.slice(start, end);
}

function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}
