/**
 * An `IncomingResponse` made from a status, headers and a body, for tests that stand in for
 * the HTTP client.
 *
 * @module
 */

import { readBody } from "../../src/http/read_body.ts";
import type { HeaderList, IncomingResponse } from "../../src/http/types.ts";

const encoder = new TextEncoder();

/** A response whose body is `body` (text, bytes or a stream). */
export function fakeResponse(
  status: number,
  headers: HeaderList,
  body: string | Uint8Array | ReadableStream<Uint8Array>,
  statusText = "",
): IncomingResponse {
  const stream = body instanceof ReadableStream
    ? body
    : ReadableStream.from([typeof body === "string" ? encoder.encode(body) : body]);
  return {
    status,
    statusText,
    headers,
    body: stream,
    bytes: (limit?: number) => readBody(stream, limit),
    discard: () => void stream.cancel().catch(() => {}),
  };
}
