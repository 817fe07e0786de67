/**
 * Writes a request (head and body) to a connection: a byte body after a `Content-Length`
 * head, a stream body with chunked transfer coding and optional trailers (RFC 9112 7.1).
 *
 * @module
 */

import type { BufferedConn } from "./buffered_conn.ts";
import { isStreamBody, type OutgoingRequest } from "./types.ts";
import { validateFields } from "./wire.ts";

/** Bodies below this size are copied next to the head so the request takes one write. */
const COALESCE_LIMIT = 64 * 1024;
const CRLF = new Uint8Array([13, 10]);

const encoder = new TextEncoder();

/** Writes one request; `stop()` ends a streamed body early, e.g. when the exchange failed. */
export class RequestWriter {
  #conn: BufferedConn;
  #request: OutgoingRequest;
  #head: string;
  #reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  #stopped: unknown = null;
  /** Whether the failure came from the caller's body stream or trailers, not the socket. */
  sourceFailed = false;

  /** Prepares to write `request` with the already validated head text `head`. */
  constructor(conn: BufferedConn, request: OutgoingRequest, head: string) {
    this.#conn = conn;
    this.#request = request;
    this.#head = head;
  }

  /** Writes the whole request; see `sourceFailed` for where a failure came from. */
  async write(): Promise<void> {
    const body = this.#request.body;
    if (isStreamBody(body)) return await this.#writeStream(body);
    const length = body?.length ?? 0;
    if (length < COALESCE_LIMIT) {
      await this.#conn.writeAll(encodeWith(this.#head, body ?? undefined));
    } else {
      await this.#conn.writeAll(encoder.encode(this.#head));
      await this.#conn.writeAll(body!);
    }
  }

  /** Stops a streamed body: a pending read of the source ends and nothing more is written. */
  stop(reason: unknown): void {
    this.#stopped ??= reason ?? new Error("Request stopped");
    this.#reader?.cancel(reason).catch(() => {});
  }

  async #writeStream(body: ReadableStream<Uint8Array>): Promise<void> {
    const conn = this.#conn;
    await conn.writeAll(encoder.encode(this.#head));
    const reader = body.getReader();
    this.#reader = reader;
    try {
      if (this.#stopped !== null) throw this.#stopped;
      for (;;) {
        const { done, value } = await this.#source(() => reader.read());
        if (this.#stopped !== null) throw this.#stopped;
        if (done) break;
        if (!(value instanceof Uint8Array)) {
          this.sourceFailed = true;
          throw new TypeError("Request body stream chunks must be Uint8Array");
        }
        if (value.length === 0) continue;
        const size = `${value.length.toString(16)}\r\n`;
        if (value.length < COALESCE_LIMIT) {
          await conn.writeAll(encodeWith(size, value, CRLF));
        } else {
          await conn.writeAll(encoder.encode(size));
          await conn.writeAll(value);
          await conn.writeAll(CRLF);
        }
      }
      const request = this.#request;
      let last = "0\r\n";
      if (request.trailers) {
        const fields = await this.#source(() => request.trailers!());
        this.#source(() => validateFields(fields, "trailer field"));
        for (const [name, value] of fields) last += `${name}: ${value}\r\n`;
      }
      if (this.#stopped !== null) throw this.#stopped;
      await conn.writeAll(encoder.encode(last + "\r\n"));
    } catch (err) {
      reader.cancel(err).catch(() => {});
      throw err;
    } finally {
      reader.releaseLock();
    }
  }

  /** Runs a step that reads the caller's body, noting its failures as source failures. */
  #source<T>(step: () => T): T {
    const fail = (err: unknown): never => {
      this.sourceFailed = true;
      throw err;
    };
    try {
      const result = step();
      return (result instanceof Promise ? result.catch(fail) : result) as T;
    } catch (err) {
      return fail(err);
    }
  }
}

/**
 * Encodes `text` followed by `bytes` and `suffix` into one new buffer. The text's UTF-8 length
 * is what counts: a non-ASCII field value takes up to three bytes per UTF-16 unit.
 */
export function encodeWith(text: string, bytes?: Uint8Array, suffix?: Uint8Array): Uint8Array {
  const extra = (bytes?.length ?? 0) + (suffix?.length ?? 0);
  // Sized for ASCII first (nearly every head). Any other character takes more than one byte,
  // so written and read differ, or the text did not fit: size for the worst case instead.
  let out = new Uint8Array(text.length + extra);
  let { read, written } = encoder.encodeInto(text, out);
  if (read !== text.length || written !== text.length) {
    out = new Uint8Array(text.length * 3 + extra);
    ({ read, written } = encoder.encodeInto(text, out));
  }
  if (bytes) out.set(bytes, written);
  if (suffix) out.set(suffix, written + (bytes?.length ?? 0));
  return out.subarray(0, written + extra);
}
