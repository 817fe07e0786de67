/**
 * An app for comparing adapters: a raw HTTP/1.1 server that records every request exactly as it
 * arrived (request line, field lines in order and as spelled, body bytes, which connection) and
 * answers with the response the test scripted, framed as scripted.
 *
 * @module
 */

import { RawConn, type RawServer, rawServer } from "./raw_http.ts";
import { getHeader } from "../../src/http/types.ts";

const encoder = new TextEncoder();

/** The answer the app gives to the next invocation request. */
export interface AppResponse {
  readonly status: number;
  /** Sent as given, in order; `content-length` is added unless present or `chunks` is set. */
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: string | Uint8Array;
  /** Send the body chunked, in these pieces. */
  readonly chunks?: readonly (string | Uint8Array)[];
  /** Close the connection after this many body bytes: a failure mid-body. */
  readonly cutAfter?: number;
}

/** A request as the app saw it. */
export interface SeenRequest {
  /** 0-based index of the connection it came on. */
  readonly connection: number;
  readonly method: string;
  readonly target: string;
  /** Field lines in arrival order, names as spelled. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Uint8Array;
}

/** The default answer: a small JSON document and two cookies. */
export const DEFAULT_RESPONSE: AppResponse = {
  status: 200,
  headers: [
    ["content-type", "application/json"],
    ["set-cookie", "a=1; Path=/"],
    ["set-cookie", "b=2; HttpOnly"],
    ["x-app", "conformance"],
  ],
  body: '{"ok":true,"n":1}',
};

/** A recording app on an ephemeral port of 127.0.0.1. */
export class RecordingApp implements AsyncDisposable {
  /** Requests of invocations since the last {@link take}. */
  #requests: SeenRequest[] = [];
  /** Readiness probes (requests without `x-amzn-lambda-context`). */
  readonly probes: SeenRequest[] = [];
  /** The answer to invocation requests. */
  response: AppResponse = DEFAULT_RESPONSE;
  readonly #server: RawServer;

  constructor() {
    this.#server = rawServer((conn, index) => this.#serve(conn, index));
  }

  get port(): number {
    return this.#server.port;
  }

  /** Returns the invocation requests seen since the last call, and forgets them. */
  take(): SeenRequest[] {
    const requests = this.#requests;
    this.#requests = [];
    return requests;
  }

  async #serve(conn: RawConn, connection: number): Promise<void> {
    for (;;) {
      const raw = await conn.readRequest();
      if (raw === null) return;
      const [method = "", target = ""] = raw.lines[0]!.split(" ");
      const headers = raw.lines.slice(1).map((line) => {
        const colon = line.indexOf(":");
        return [line.slice(0, colon), line.slice(colon + 1).trim()] as [string, string];
      });
      const request = { connection, method, target, headers, body: raw.body };
      const probe = getHeader(headers, "x-amzn-lambda-context") === undefined;
      if (probe) {
        this.probes.push(request);
        await conn.write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
        continue;
      }
      this.#requests.push(request);
      if (!(await answer(conn, this.response, method))) return;
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#server.close();
  }
}

/** Writes the scripted response; false when the connection was cut on purpose. */
async function answer(conn: RawConn, response: AppResponse, method: string): Promise<boolean> {
  const bytes = (data: string | Uint8Array) =>
    typeof data === "string" ? encoder.encode(data) : data;
  const body = bytes(response.body ?? "");
  const fields = [...(response.headers ?? [])];
  let head = `HTTP/1.1 ${response.status} X\r\n`;
  for (const [name, value] of fields) head += `${name}: ${value}\r\n`;
  const hasLength = getHeader(fields, "content-length") !== undefined;
  if (response.chunks) {
    let text = `${head}transfer-encoding: chunked\r\n\r\n`;
    await conn.write(text);
    for (const chunk of response.chunks.map(bytes)) {
      text = `${chunk.length.toString(16)}\r\n`;
      await conn.write(text);
      await conn.write(chunk);
      await conn.write("\r\n");
    }
    await conn.write("0\r\n\r\n");
    return true;
  }
  if (!hasLength) head += `content-length: ${body.length}\r\n`;
  await conn.write(`${head}\r\n`);
  if (method === "HEAD") return true;
  if (response.cutAfter !== undefined) {
    await conn.write(body.subarray(0, response.cutAfter));
    conn.close();
    return false;
  }
  await conn.write(body);
  return true;
}
