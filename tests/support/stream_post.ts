/**
 * A runtime's streaming response written by hand on a raw socket, one HTTP chunk per `send()`,
 * with trailers at the end, exactly as the Runtime API's streaming mode frames it. Tests use it
 * to control chunk boundaries and timing to the byte and the millisecond.
 *
 * @module
 */

import { RawConn } from "./raw_http.ts";
import { HTTP_INTEGRATION_CONTENT_TYPE } from "../../src/emulator/types.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** An answer read off the raw socket. */
export interface RawAnswer {
  status: number;
  /** The body parsed as JSON, or `undefined`. */
  json: unknown;
}

/** A streaming POST in progress. */
export interface StreamPost {
  /** Sends `data` as one HTTP chunk; resolves with `performance.now()` after the write. */
  send(data: string | Uint8Array): Promise<number>;
  /** Sends the last chunk and `trailers`, then reads the answer. */
  finish(trailers?: [string, string][]): Promise<RawAnswer>;
  /** Reads the answer without finishing (the emulator may answer early, e.g. 410). */
  answer(): Promise<RawAnswer>;
  /** Writes raw bytes on the connection (e.g. another request after the answer). */
  write(data: string): Promise<void>;
  /** Closes the socket, as a runtime that dies mid-stream does. */
  close(): void;
}

/** Options for `openStreamPost`. */
export interface StreamPostOptions {
  /** Default the HTTP integration type; `null` sends no Content-Type. */
  contentType?: string | null;
}

/** Opens `POST /runtime/invocation/{id}/response` in streaming mode and sends its head. */
export async function openStreamPost(
  baseUrl: string,
  requestId: string,
  options: StreamPostOptions = {},
): Promise<StreamPost> {
  const url = new URL(baseUrl);
  const tcp = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  // Each send must leave at once, not wait for an acknowledgement (Nagle's algorithm).
  tcp.setNoDelay(true);
  const conn = new RawConn(tcp);
  const contentType = options.contentType === undefined
    ? HTTP_INTEGRATION_CONTENT_TYPE
    : options.contentType;
  await conn.write(
    `POST /2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/response HTTP/1.1\r\n` +
      `Host: ${url.host}\r\n` +
      "Lambda-Runtime-Function-Response-Mode: streaming\r\n" +
      "Transfer-Encoding: chunked\r\n" +
      (contentType === null ? "" : `Content-Type: ${contentType}\r\n`) +
      "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n\r\n",
  );
  async function answer(): Promise<RawAnswer> {
    const head = decoder.decode(await conn.readUntil("\r\n\r\n") ?? undefined);
    const status = Number(head.split(" ")[1]);
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? "0");
    const text = decoder.decode(await conn.readExactly(length) ?? undefined);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status, json };
  }
  return {
    async send(data) {
      const bytes = typeof data === "string" ? encoder.encode(data) : data;
      const size = encoder.encode(`${bytes.length.toString(16)}\r\n`);
      const framed = new Uint8Array(size.length + bytes.length + 2);
      framed.set(size);
      framed.set(bytes, size.length);
      framed.set([13, 10], size.length + bytes.length);
      await conn.write(framed);
      return performance.now();
    },
    async finish(trailers = []) {
      await conn.write(
        `0\r\n${trailers.map(([name, value]) => `${name}: ${value}\r\n`).join("")}\r\n`,
      );
      return await answer();
    },
    answer,
    write: (data) => conn.write(data),
    close: () => conn.close(),
  };
}

/** Base64 of UTF-8 `text`, as runtimes encode `Lambda-Runtime-Function-Error-Body`. */
export function base64(text: string): string {
  return btoa(String.fromCharCode(...encoder.encode(text)));
}
