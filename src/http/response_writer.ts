/**
 * Writes a `Response` to an HTTP/1.1 connection (RFC 9112 6): with `Content-Length` when the
 * whole body is at hand at once (a string, bytes, a blob), chunked when it is a stream still
 * being produced, each chunk flushed as it comes (long polls and streams must not wait), and
 * close-delimited for HTTP/1.0 clients, which cannot read chunked.
 *
 * @module
 */

import type { BufferedConn } from "./buffered_conn.ts";
import { statusText } from "./status_text.ts";

/** What the writer needs to know about the request being answered. */
export interface ResponseTarget {
  method: string;
  /** The request's minor HTTP version. */
  minor: 0 | 1;
  /** The connection closes after this response; it says so with `Connection: close`. */
  close: boolean;
}

/**
 * How many microtask turns a body read may take to count as "already there". Deno's bodies
 * from strings and bytes settle in 2, blobs and form data in 5; a socket or a timer takes a
 * macrotask, so a live stream is never mistaken for a finished one.
 */
const READY_TURNS = 16;
/** Past this much body at hand in several pieces, stop waiting for its end: send chunked. */
const MAX_BUFFERED = 1024 * 1024;
/** Pieces below this size are copied next to their framing so each takes one write. */
const COALESCE_LIMIT = 64 * 1024;
/** Framing fields we set ourselves (RFC 9112 6, 9.6) and hop-by-hop fields (RFC 9110 7.6.1). */
const OWN_FIELDS = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);
const CRLF = new Uint8Array([13, 10]);
const LAST_CHUNK = new Uint8Array([48, 13, 10, 13, 10]);

type Read = ReadableStreamReadResult<Uint8Array>;

/**
 * Writes `response`. Resolves `true` when the connection may carry another request. A failed
 * socket write rejects (after cancelling the body); a body stream that errors midway resolves
 * `false` without the final chunk, so the client sees the response truncated.
 */
export async function writeResponse(
  conn: BufferedConn,
  response: Response,
  target: ResponseTarget,
): Promise<boolean> {
  const status = response.status;
  // RFC 9110 6.4.1: no content in answers to HEAD, in 1xx, 204 and 304.
  const noContent = status < 200 || status === 204 || status === 304;
  const close = target.close || hasClose(response.headers.get("connection"));
  const head = headText(response);
  const body = response.body;
  if (body === null || noContent) {
    await body?.cancel().catch(() => {});
    const length = noContent ? "" : "content-length: 0\r\n";
    await conn.writeAll(latin1Bytes(`${head}${length}${close ? "connection: close\r\n" : ""}\r\n`));
    return !close;
  }
  const reader = body.getReader();
  try {
    const reusable = await writeBody(conn, reader, head, close, target);
    // Harmless once the body has ended; stops a source that sent a chunk we cannot write.
    if (!reusable) reader.cancel().catch(() => {});
    return reusable;
  } catch (error) {
    reader.cancel(error).catch(() => {});
    throw error;
  } finally {
    reader.releaseLock();
  }
}

async function writeBody(
  conn: BufferedConn,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  head: string,
  close: boolean,
  target: ResponseTarget,
): Promise<boolean> {
  const isHead = target.method === "HEAD";
  const parts: Uint8Array[] = [];
  let size = 0;
  let pending: Promise<Read> | null = null;
  for (;;) {
    const read = reader.read();
    if (!(await settlesSoon(read))) {
      pending = read;
      break;
    }
    const result = await readOrNull(read);
    if (result === null) return await abandon(conn);
    if (result.done) {
      const closing = close ? "connection: close\r\n" : "";
      const text = `${head}content-length: ${size}\r\n${closing}\r\n`;
      await writeWith(conn, latin1Bytes(text), isHead ? [] : parts);
      return !close;
    }
    if (!(result.value instanceof Uint8Array)) return await abandon(conn);
    parts.push(result.value);
    size += result.value.length;
    // One big piece (a body made of one array) may still turn out to be all there is.
    if (size > MAX_BUFFERED && parts.length > 1) break;
  }
  if (isHead) {
    // The length is unknown and nothing will be sent: no framing field at all.
    reader.cancel().catch(() => {});
    await conn.writeAll(latin1Bytes(`${head}${close ? "connection: close\r\n" : ""}\r\n`));
    return !close;
  }
  // HTTP/1.0 cannot read chunked (RFC 9112 7.1): the end of the connection ends the body.
  const chunked = target.minor === 1;
  const framing = chunked ? "transfer-encoding: chunked\r\n" : "";
  const closing = close || !chunked ? "connection: close\r\n" : "";
  const first = latin1Bytes(`${head}${framing}${closing}\r\n`);
  await writeWith(conn, first, chunked && size > 0 ? chunk(parts, size) : parts);
  for (;;) {
    const result = await readOrNull(pending ?? reader.read());
    pending = null;
    if (result === null || (!result.done && !(result.value instanceof Uint8Array))) return false;
    if (result.done) break;
    if (result.value.length === 0) continue;
    await writeWith(
      conn,
      null,
      chunked ? chunk([result.value], result.value.length) : [result.value],
    );
  }
  if (chunked) await conn.writeAll(LAST_CHUNK);
  return chunked && !close;
}

/** The body failed before the head was sent: answer 500 instead, and close. */
async function abandon(conn: BufferedConn): Promise<boolean> {
  const text =
    "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
  await conn.writeAll(latin1Bytes(text));
  return false;
}

/** Status line and the response's own fields, plus `Date` (RFC 9110 6.6.1) when absent. */
function headText(response: Response): string {
  const reason = response.statusText || statusText(response.status);
  let text = `HTTP/1.1 ${response.status} ${reason}\r\n`;
  let hasDate = false;
  for (const [name, value] of response.headers) {
    if (OWN_FIELDS.has(name)) continue;
    if (name === "date") hasDate = true;
    text += `${name}: ${value}\r\n`;
  }
  if (!hasDate) text += `date: ${httpDate()}\r\n`;
  return text;
}

let dateSecond = -1;
let dateText = "";

/** The current time as an HTTP date (RFC 9110 5.6.7), formatted once per second. */
export function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

function hasClose(connection: string | null): boolean {
  return connection !== null && connection.split(",").some((token) => {
    return token.trim().toLowerCase() === "close";
  });
}

/** Resolves whether `read` settled within `READY_TURNS` microtask turns. */
async function settlesSoon(read: Promise<Read>): Promise<boolean> {
  let settled = false;
  read.then(() => (settled = true), () => (settled = true));
  for (let turn = 0; turn < READY_TURNS && !settled; turn++) await undefined;
  return settled;
}

/** The read's result, or null when the body stream errored. */
function readOrNull(read: Promise<Read>): Promise<Read | null> {
  return read.catch(() => null);
}

/** Frames `parts` (of `size` bytes in total) as one chunk (RFC 9112 7.1). */
function chunk(parts: Uint8Array[], size: number): Uint8Array[] {
  return [latin1Bytes(`${size.toString(16)}\r\n`), ...parts, CRLF];
}

/** Writes `first` and `parts`, joining small pieces so that a small message takes one write. */
async function writeWith(conn: BufferedConn, first: Uint8Array | null, parts: Uint8Array[]) {
  const all = first ? [first, ...parts] : parts;
  const total = all.reduce((sum, part) => sum + part.length, 0);
  if (total <= COALESCE_LIMIT || all.length === 1) {
    if (all.length === 1) return await conn.writeAll(all[0]!);
    const joined = new Uint8Array(total);
    let offset = 0;
    for (const part of all) {
      joined.set(part, offset);
      offset += part.length;
    }
    return await conn.writeAll(joined);
  }
  for (const part of all) await conn.writeAll(part);
}

/** Encodes a head: `Headers` values are byte strings, one octet per character. */
export function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
