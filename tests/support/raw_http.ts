/**
 * Raw TCP servers for the HTTP client tests: they read and write exact bytes, so framing edge
 * cases can be produced and the client's bytes on the wire checked.
 *
 * @module
 */

import { createHttpClient } from "../../src/http/client.ts";
import type { HttpClientHandle, HttpClientOptions } from "../../src/http/client.ts";
import { readBody } from "../../src/http/read_body.ts";
import { concatBytes } from "../../src/util/bytes.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A request as read by a raw server: the head text and the raw (still framed) body. */
export interface RawRequest {
  head: string;
  /** Request line and field lines, without CRLF. */
  lines: string[];
  /** Body bytes after de-chunking (or the Content-Length bytes). */
  body: Uint8Array;
  /** The exact bytes of the whole request. */
  raw: Uint8Array;
}

/** One accepted connection with a read buffer. */
export class RawConn {
  readonly conn: Deno.Conn;
  #buf = new Uint8Array(0);

  /** Wraps an accepted connection. */
  constructor(conn: Deno.Conn) {
    this.conn = conn;
  }

  /** Reads until `marker` (inclusive); null if the peer closed first. */
  async readUntil(marker: string): Promise<Uint8Array | null> {
    const bytes = encoder.encode(marker);
    for (;;) {
      const at = indexOf(this.#buf, bytes);
      if (at !== -1) return this.#consume(at + bytes.length);
      if (!(await this.#more())) return null;
    }
  }

  /** Reads exactly `n` bytes; null if the peer closed first. */
  async readExactly(n: number): Promise<Uint8Array | null> {
    while (this.#buf.length < n) if (!(await this.#more())) return null;
    return this.#consume(n);
  }

  /** Reads one request (Content-Length or chunked body); null if the peer closed first. */
  async readRequest(): Promise<RawRequest | null> {
    const headBytes = await this.readUntil("\r\n\r\n");
    if (headBytes === null) return null;
    const head = decoder.decode(headBytes);
    const lines = head.slice(0, -4).split("\r\n");
    const field = (name: string) =>
      lines.find((line) => line.toLowerCase().startsWith(`${name}:`))?.split(":")[1]?.trim();
    const parts: Uint8Array[] = [headBytes];
    const body: Uint8Array[] = [];
    if (field("transfer-encoding") === "chunked") {
      for (;;) {
        const sizeLine = await this.readUntil("\r\n");
        if (sizeLine === null) return null;
        parts.push(sizeLine);
        const size = parseInt(decoder.decode(sizeLine), 16);
        if (size === 0) {
          for (;;) {
            const line = await this.readUntil("\r\n");
            if (line === null) return null;
            parts.push(line);
            if (line.length === 2) break;
          }
          break;
        }
        const data = await this.readExactly(size + 2);
        if (data === null) return null;
        parts.push(data);
        body.push(data.subarray(0, size));
      }
    } else {
      const data = await this.readExactly(Number(field("content-length") ?? "0"));
      if (data === null) return null;
      parts.push(data);
      body.push(data);
    }
    return { head, lines, body: concatBytes(body), raw: concatBytes(parts) };
  }

  /** Writes a string (as UTF-8) or bytes; write errors are ignored (the client may be gone). */
  async write(data: string | Uint8Array): Promise<void> {
    let bytes = typeof data === "string" ? encoder.encode(data) : data;
    try {
      while (bytes.length > 0) bytes = bytes.subarray(await this.conn.write(bytes));
    } catch {
      // The client closed first; the test checks what it needs on the client side.
    }
  }

  /** Closes the connection; idempotent. */
  close(): void {
    try {
      this.conn.close();
    } catch {
      // Already closed.
    }
  }

  #consume(n: number): Uint8Array {
    const out = this.#buf.slice(0, n);
    this.#buf = this.#buf.subarray(n);
    return out;
  }

  async #more(): Promise<boolean> {
    const buf = this.#buf;
    const free = buf.buffer.byteLength - buf.byteOffset - buf.length;
    if (free < 16 * 1024) {
      const next = new Uint8Array(Math.max(64 * 1024, buf.length * 2));
      next.set(buf);
      this.#buf = next.subarray(0, buf.length);
    }
    const view = new Uint8Array(
      this.#buf.buffer,
      this.#buf.byteOffset + this.#buf.length,
      this.#buf.buffer.byteLength - this.#buf.byteOffset - this.#buf.length,
    );
    const n = await this.conn.read(view).catch(() => null);
    if (n === null) return false;
    this.#buf = new Uint8Array(this.#buf.buffer, this.#buf.byteOffset, this.#buf.length + n);
    return true;
  }
}

/** A raw server on 127.0.0.1 that runs `handle` for each connection. */
export interface RawServer {
  port: number;
  /** Number of connections accepted so far. */
  readonly accepted: number;
  /** Stops accepting, closes every connection and waits for the handlers. */
  close(): Promise<void>;
}

/** Starts a raw server; `handle` gets each connection and its 0-based index. */
export function rawServer(handle: (conn: RawConn, index: number) => Promise<void>): RawServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<RawConn>();
  const handlers: Promise<void>[] = [];
  let accepted = 0;
  const loop = (async () => {
    for await (const conn of listener) {
      const raw = new RawConn(conn);
      conns.add(raw);
      handlers.push(handle(raw, accepted++).catch(() => {}).finally(() => raw.close()));
    }
  })().catch(() => {});
  return {
    port: listener.addr.port,
    get accepted() {
      return accepted;
    },
    async close() {
      listener.close();
      await loop;
      for (const conn of conns) conn.close();
      await Promise.all(handlers);
    },
  };
}

/** Reads a body stream to the end as UTF-8 text. */
export async function readText(body: ReadableStream<Uint8Array>): Promise<string> {
  return decoder.decode(await readBody(body));
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  let at = haystack.indexOf(needle[0]!);
  while (at !== -1 && at + needle.length <= haystack.length) {
    if (needle.every((byte, i) => haystack[at + i] === byte)) return at;
    at = haystack.indexOf(needle[0]!, at + 1);
  }
  return -1;
}

/** Runs `fn` against a raw server and a client for it, then closes both. */
export async function withRaw(
  handle: (conn: RawConn, index: number) => Promise<void>,
  fn: (client: HttpClientHandle, server: RawServer) => Promise<void>,
  options: Partial<HttpClientOptions> = {},
): Promise<void> {
  const server = rawServer(handle);
  const client = createHttpClient({ hostname: "127.0.0.1", port: server.port, ...options });
  try {
    await fn(client, server);
  } finally {
    await client.close();
    await server.close();
  }
}

/** A raw server handler that answers every request on a connection with `response`. */
export function always(response: string): (conn: RawConn) => Promise<void> {
  return async (conn: RawConn) => {
    while (await conn.readRequest()) await conn.write(response);
  };
}

/** A connected pair of TCP sockets on 127.0.0.1: `[client, server]`. */
export async function socketPair(): Promise<[Deno.TcpConn, Deno.TcpConn]> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept();
  const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const server = await accepted;
  listener.close();
  return [client, server];
}

/** Writes all of `data` to `conn`. */
export async function writeTo(conn: Deno.Conn, data: string | Uint8Array): Promise<void> {
  let bytes = typeof data === "string" ? encoder.encode(data) : data;
  while (bytes.length > 0) bytes = bytes.subarray(await conn.write(bytes));
}
