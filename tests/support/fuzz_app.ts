/**
 * An app for the fuzz test, on raw sockets so it can misbehave on the wire: each invocation's
 * request is recorded (by the request id in `x-amzn-lambda-context`) and answered with the
 * behaviour the test chose for that id.
 *
 * @module
 */

import { concatBytes } from "../../src/util/bytes.ts";
import { type RawConn, rawServer } from "./raw_http.ts";

/** How the app answers one request. */
export type AppBehaviour =
  | "echo"
  | "chunked"
  | "binary"
  | "close"
  | "headOnlyClose"
  | "garbage"
  | "truncated"
  | "hang"
  | "early413"
  | "hugeHead";

/** What the app saw of one request. */
export interface SeenRequest {
  method: string;
  target: string;
  /** Field lines as UTF-8 text, names lowercased. */
  headers: [string, string][];
  /** Undefined when the app closed or answered before reading the body. */
  body: Uint8Array | undefined;
}

const decoder = new TextDecoder();

/** A small, stable hash of bytes (FNV-1a), echoed so the test can compare bodies. */
export function fnv(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/** The bytes the `binary` behaviour answers for a request body of `n` bytes. */
export function binaryAnswer(n: number): Uint8Array {
  return Uint8Array.from({ length: n % 70_000 }, (_, i) => (i * 7 + n) % 256);
}

/** Starts the app on an ephemeral port. */
export function startFuzzApp() {
  const seen = new Map<string, SeenRequest[]>();
  const behaviours = new Map<string, AppBehaviour>();
  let release!: () => void;
  const closed = new Promise<void>((resolve) => release = resolve);

  const server = rawServer(async (conn) => {
    for (;;) {
      const head = await conn.readUntil("\r\n\r\n");
      if (head === null) return;
      const lines = decoder.decode(head).slice(0, -4).split("\r\n");
      const context = field(lines, "x-amzn-lambda-context");
      const requestId = context ? JSON.parse(context).request_id as string : undefined;
      const behaviour = requestId ? behaviours.get(requestId) ?? "echo" : "echo";
      if (requestId && (behaviour === "headOnlyClose" || behaviour === "early413")) {
        record(seen, requestId, lines, undefined);
      }
      if (behaviour === "headOnlyClose") return conn.close();
      if (behaviour === "early413") {
        await conn.write(
          "HTTP/1.1 413 Payload Too Large\r\nconnection: close\r\ncontent-length: 0\r\n\r\n",
        );
        return conn.close();
      }
      const request = await readBody(conn, head, lines);
      if (request === null) return;
      if (requestId) record(seen, requestId, lines, request.body);
      if (!(await answer(conn, behaviour, request.body, closed))) return;
    }
  });

  return {
    port: server.port,
    seen,
    behaviours,
    async close() {
      release();
      await server.close();
    },
  };
}

async function answer(
  conn: RawConn,
  behaviour: AppBehaviour,
  body: Uint8Array,
  closed: Promise<void>,
): Promise<boolean> {
  const echo = JSON.stringify({ n: body.length, h: fnv(body) });
  switch (behaviour) {
    case "echo":
      await conn.write(
        `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${echo.length}\r\n\r\n${echo}`,
      );
      return true;
    case "chunked": {
      const half = echo.length >> 1;
      await conn.write(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\n" +
          "transfer-encoding: chunked\r\nx-multi: a\r\nx-multi: b\r\nset-cookie: s=1\r\n" +
          `set-cookie: t=2\r\n\r\n${half.toString(16)}\r\n${echo.slice(0, half)}\r\n` +
          `${(echo.length - half).toString(16)}\r\n${echo.slice(half)}\r\n0\r\n\r\n`,
      );
      return true;
    }
    case "binary": {
      const bytes = binaryAnswer(body.length);
      await conn.write(
        `HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: ${bytes.length}\r\n\r\n`,
      );
      await conn.write(bytes);
      return true;
    }
    case "close":
      conn.close();
      return false;
    case "garbage":
      await conn.write("HTTP/1.1 2x0 what is this\r\n\r\n");
      conn.close();
      return false;
    case "truncated":
      await conn.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly this");
      conn.close();
      return false;
    case "hugeHead":
      await conn.write(`HTTP/1.1 200 OK\r\nx-big: ${"h".repeat(2 << 20)}\r\n\r\n`);
      conn.close();
      return false;
    case "hang":
      await closed;
      conn.close();
      return false;
    default:
      return false;
  }
}

async function readBody(conn: RawConn, head: Uint8Array, lines: string[]) {
  if (field(lines, "transfer-encoding") === "chunked") {
    const parts: Uint8Array[] = [];
    for (;;) {
      const sizeLine = await conn.readUntil("\r\n");
      if (sizeLine === null) return null;
      const size = parseInt(decoder.decode(sizeLine), 16);
      if (size === 0) {
        await conn.readUntil("\r\n");
        break;
      }
      const data = await conn.readExactly(size + 2);
      if (data === null) return null;
      parts.push(data.subarray(0, size));
    }
    return { head, body: concatBytes(parts) };
  }
  const data = await conn.readExactly(Number(field(lines, "content-length") ?? "0"));
  return data === null ? null : { head, body: data };
}

function record(
  seen: Map<string, SeenRequest[]>,
  requestId: string,
  lines: string[],
  body: Uint8Array | undefined,
): void {
  const [method, target] = lines[0]!.split(" ");
  const list = seen.get(requestId) ?? [];
  list.push({ method: method!, target: target!, headers: headersOf(lines), body });
  seen.set(requestId, list);
}

function field(lines: string[], name: string): string | undefined {
  const line = lines.find((l) => l.toLowerCase().startsWith(`${name}:`));
  return line?.slice(line.indexOf(":") + 1).trim();
}

function headersOf(lines: string[]): [string, string][] {
  return lines.slice(1).map((line) => {
    const colon = line.indexOf(":");
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
  });
}
