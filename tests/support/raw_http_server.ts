/**
 * Helpers for the HTTP server tests: a server on an ephemeral port plus raw client sockets, so
 * that requests and responses can be written and checked byte for byte.
 *
 * @module
 */

import {
  type HttpHandler,
  type HttpServer,
  serveHttp,
  type ServeHttpOptions,
} from "../../src/http/server.ts";
import { RawConn } from "./raw_http.ts";

const decoder = new TextDecoder();

/** A running test server and a way to open raw connections to it. */
export interface TestServer {
  server: HttpServer;
  /** Opens a raw TCP connection to the server (closed by `withServer`). */
  connect(): Promise<RawConn>;
}

/** Runs `fn` against a server for `handler`, then closes every socket and shuts it down. */
export async function withServer(
  handler: HttpHandler,
  fn: (test: TestServer) => Promise<void>,
  options: Partial<ServeHttpOptions> = {},
): Promise<void> {
  const server = serveHttp({ hostname: "127.0.0.1", port: 0, ...options }, handler);
  const conns: RawConn[] = [];
  try {
    await fn({
      server,
      async connect() {
        const tcp = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
        tcp.setNoDelay(true);
        const conn = new RawConn(tcp);
        conns.push(conn);
        return conn;
      },
    });
  } finally {
    for (const conn of conns) conn.close();
    await server.shutdown();
  }
}

/** A response as read from the wire. */
export interface RawResponse {
  /** Head and body exactly as received, with the `date` value replaced by `X`. */
  text: string;
  status: number;
  /** Field lines of the head, names as sent. */
  head: string[];
  body: string;
}

/**
 * Reads one response framed by Content-Length or chunked (or none for 1xx, 204, 304 and
 * HEAD, `bodiless`); null when the connection closed first.
 */
export async function readResponse(conn: RawConn, bodiless = false): Promise<RawResponse | null> {
  const headBytes = await conn.readUntil("\r\n\r\n");
  if (headBytes === null) return null;
  const headText = decoder.decode(headBytes);
  const head = headText.slice(0, -4).split("\r\n");
  const status = Number(head[0]!.split(" ")[1]);
  const field = (name: string) =>
    head.find((line) => line.toLowerCase().startsWith(`${name}:`))?.split(":")[1]?.trim();
  let raw = headText;
  let body = "";
  if (!bodiless && status >= 200 && status !== 204 && status !== 304) {
    if (field("transfer-encoding") === "chunked") {
      for (;;) {
        const sizeLine = await conn.readUntil("\r\n");
        if (sizeLine === null) return null;
        const size = parseInt(decoder.decode(sizeLine), 16);
        const data = await conn.readExactly(size + 2);
        if (data === null) return null;
        raw += decoder.decode(sizeLine) + decoder.decode(data);
        if (size === 0) break;
        body += decoder.decode(data.subarray(0, size));
      }
    } else {
      const data = await conn.readExactly(Number(field("content-length") ?? "0"));
      if (data === null) return null;
      raw += decoder.decode(data);
      body = decoder.decode(data);
    }
  }
  return { text: withoutDate(raw), status, head, body };
}

/** Replaces the `date` field's value, which changes every second. */
export function withoutDate(text: string): string {
  return text.replace(/\r\ndate: [^\r]*\r\n/, "\r\ndate: X\r\n");
}

/** Resolves true when the peer closes the connection without sending anything more. */
export async function closedByPeer(conn: RawConn): Promise<boolean> {
  return (await conn.readExactly(1)) === null;
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
