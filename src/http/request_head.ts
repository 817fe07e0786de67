/**
 * Request heads as a server reads them (RFC 9112 3 and 5) and how their bodies are framed
 * (RFC 9112 6.1 and 6.3).
 *
 * Heads are decoded byte for byte (ISO-8859-1), not as UTF-8: `Headers` only holds byte strings,
 * and RFC 9110 5.5 treats octets above 0x7F in a field value as opaque data, which is how
 * `Deno.serve` hands them over too.
 *
 * @module
 */

import { HttpProtocolError } from "./errors.ts";
import type { HeaderList } from "./types.ts";
import { hasToken, INVALID_VALUE, TOKEN, trimOws } from "./wire.ts";

/** A request the server must refuse, with the status that says why. */
export class BadRequestError extends HttpProtocolError {
  override name = "BadRequestError";
  /** 400, 501 or 505. */
  readonly status: number;

  /** Creates the error for a refusal with `status`. */
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** A parsed request head. */
export interface RequestHead {
  method: string;
  /** The request target as sent: origin form (`/path?query`) or absolute form. */
  target: string;
  /** The minor HTTP version: 0 or 1. */
  minor: 0 | 1;
  /** Field lines in wire order; a repeated field appears once per line. */
  fields: HeaderList;
}

/** RFC 9112 3: `method SP request-target SP HTTP-version`; the target is visible ASCII. */
const REQUEST_LINE = /^([^ ]+) ([\x21-\x7e]+) HTTP\/(\d)\.(\d)$/;
const FIELD_NAMES = /^(?:host|content-length|transfer-encoding|connection|expect)$/;

const ascii = new TextDecoder();

/** Decodes bytes as ISO-8859-1: one character per octet. */
export function latin1(bytes: Uint8Array): string {
  // Heads are nearly always ASCII, which the native decoder reads 20 times faster. (WHATWG's
  // "latin1" label means windows-1252, which remaps 0x80-0x9F, so it cannot serve here.)
  let i = 0;
  while (i < bytes.length && bytes[i]! < 0x80) i++;
  if (i === bytes.length) return ascii.decode(bytes);
  let text = "";
  for (let at = 0; at < bytes.length; at += 8192) {
    text += String.fromCharCode(...bytes.subarray(at, at + 8192));
  }
  return text;
}

/** Parses a request head (the bytes before the empty line). */
export function parseRequestHead(bytes: Uint8Array): RequestHead {
  const lines = latin1(bytes).split("\r\n");
  const requestLine = lines[0]!;
  const match = REQUEST_LINE.exec(requestLine);
  if (match === null || !TOKEN.test(match[1]!)) {
    throw new BadRequestError(
      400,
      `Invalid request line: ${JSON.stringify(requestLine.slice(0, 100))}`,
    );
  }
  if (match[3] !== "1") {
    // RFC 9110 15.6.6: the major version is not supported (an HTTP/2 preface lands here too).
    throw new BadRequestError(505, `HTTP/${match[3]}.${match[4]} is not supported`);
  }
  return {
    method: match[1]!,
    target: match[2]!,
    minor: match[4] === "0" ? 0 : 1,
    fields: parseFieldLines(lines, 1),
  };
}

/**
 * Parses `name: value` lines from `lines[from]` on (RFC 9112 5). Whitespace before the colon and
 * obsolete line folding are refused, as RFC 9112 5.1 and 5.2 require of a server.
 */
export function parseFieldLines(lines: string[], from = 0): HeaderList {
  const fields: HeaderList = [];
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    const name = line.slice(0, colon);
    if (colon <= 0 || !TOKEN.test(name)) {
      const folded = line.startsWith(" ") || line.startsWith("\t");
      const what = folded ? "Obsolete line folding" : "Invalid field line";
      throw new BadRequestError(400, `${what}: ${JSON.stringify(line.slice(0, 100))}`);
    }
    const value = trimOws(line, colon + 1);
    if (INVALID_VALUE.test(value)) {
      throw new BadRequestError(400, `Invalid value for ${name}: ${JSON.stringify(value)}`);
    }
    fields.push([name, value]);
  }
  return fields;
}

/** How a request body is delimited. */
export type BodyFraming = { length: number } | "chunked";

/** What the server needs from the framing fields of a request head. */
export interface RequestControls {
  framing: BodyFraming;
  /** The `Host` value, or `undefined` when absent (allowed in HTTP/1.0 only). */
  host: string | undefined;
  /** The client asked to close (`Connection: close`, or HTTP/1.0 without `keep-alive`). */
  close: boolean;
  /** `Expect: 100-continue` (RFC 9110 10.1.1). */
  expectContinue: boolean;
}

/**
 * Applies RFC 9112 6.1, 6.3 and 9.3 and RFC 9112 3.2 (Host) to a request head. Throws a
 * `BadRequestError` for anything a server must refuse; the connection must then be closed.
 */
export function requestControls(head: RequestHead): RequestControls {
  let te: string | undefined;
  let cl: string | undefined;
  let connection = "";
  let expect = "";
  let host: string | undefined;
  let hosts = 0;
  for (const [name, value] of head.fields) {
    const lower = name.toLowerCase();
    if (!FIELD_NAMES.test(lower)) continue;
    if (lower === "transfer-encoding") te = te === undefined ? value : `${te},${value}`;
    else if (lower === "content-length") cl = cl === undefined ? value : `${cl},${value}`;
    else if (lower === "connection") connection += `,${value}`;
    else if (lower === "expect") expect += `,${value}`;
    else if (lower === "host") {
      host = value;
      hosts++;
    }
  }
  // RFC 9112 3.2: an HTTP/1.1 request without Host, or with several, gets 400.
  if (hosts > 1 || (hosts === 0 && head.minor === 1)) {
    throw new BadRequestError(400, hosts > 1 ? "Several Host fields" : "Missing Host field");
  }
  const close = head.minor === 1
    ? hasToken(connection, "close")
    : !hasToken(connection, "keep-alive") || hasToken(connection, "close");
  return {
    framing: bodyFraming(head, te, cl),
    host,
    close,
    expectContinue: head.minor === 1 && hasToken(expect, "100-continue"),
  };
}

function bodyFraming(
  head: RequestHead,
  te: string | undefined,
  cl: string | undefined,
): BodyFraming {
  if (te !== undefined) {
    // RFC 9112 6.1: Transfer-Encoding in HTTP/1.0 means faulty framing; with Content-Length it
    // is a request smuggling vector, which a server may refuse outright.
    if (head.minor === 0) {
      throw new BadRequestError(400, "Transfer-Encoding in an HTTP/1.0 request");
    }
    if (cl !== undefined) {
      throw new BadRequestError(400, "Request has both Transfer-Encoding and Content-Length");
    }
    const codings = te.split(",").map((coding) => coding.trim().toLowerCase());
    // RFC 9112 6.3 item 4: chunked must be last, or the length cannot be determined.
    if (codings[codings.length - 1] !== "chunked") {
      throw new BadRequestError(400, `Transfer-Encoding does not end in chunked: ${te}`);
    }
    // RFC 9112 6.1: an unknown transfer coding gets 501; we decode chunked and nothing else.
    if (codings.length > 1) throw new BadRequestError(501, `Unsupported Transfer-Encoding: ${te}`);
    return "chunked";
  }
  if (cl === undefined) return { length: 0 };
  // RFC 9110 8.6: a list of identical values is accepted as that value.
  let length = -1;
  for (const part of cl.split(",")) {
    const value = part.trim();
    const n = /^[0-9]{1,15}$/.test(value) ? Number(value) : NaN;
    if (Number.isNaN(n) || (length !== -1 && n !== length)) {
      throw new BadRequestError(400, `Invalid Content-Length: ${JSON.stringify(cl)}`);
    }
    length = n;
  }
  return { length };
}

/** RFC 3986 3.2.2 host (IP literal, IPv4 or reg-name) with an optional port. */
const AUTHORITY = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]*)(?::[0-9]*)?$/;

/**
 * The absolute URL of a request. Origin form is joined with `Host` (or `fallback`, the listening
 * address, when `Host` is absent or empty); absolute form is taken as is (RFC 9112 3.2.2).
 * Asterisk and authority forms are refused: they serve OPTIONS * and CONNECT, which we lack.
 */
export function requestUrl(target: string, host: string | undefined, fallback: string): string {
  if (target.startsWith("/")) {
    const authority = host || fallback;
    if (!AUTHORITY.test(authority)) {
      throw new BadRequestError(400, `Invalid Host: ${JSON.stringify(authority.slice(0, 100))}`);
    }
    return `http://${authority}${target}`;
  }
  if (/^https?:\/\//i.test(target)) return target;
  throw new BadRequestError(
    400,
    `Unsupported request target: ${JSON.stringify(target.slice(0, 100))}`,
  );
}
