/**
 * Response helpers in the Runtime API's JSON shapes, and bounded request body reading.
 *
 * @module
 */

import { concatBytes } from "../util/bytes.ts";
const JSON_HEADERS: HeadersInit = [["Content-Type", "application/json"]];

/** A JSON response with `Content-Type: application/json`. */
export function jsonResponse(status: number, body: unknown, headers?: HeadersInit): Response {
  const merged = new Headers(headers);
  merged.set("Content-Type", "application/json");
  return new Response(JSON.stringify(body), { status, headers: merged });
}

/** An error in the APIs' shape: `{"errorMessage": ..., "errorType": ...}`. */
export function errorResponse(status: number, errorType: string, errorMessage: string): Response {
  return new Response(JSON.stringify({ errorMessage, errorType }), {
    status,
    headers: JSON_HEADERS,
  });
}

/** The APIs' `202 {"status":"OK"}` acknowledgement. */
export function acceptedResponse(): Response {
  return new Response('{"status":"OK"}', { status: 202, headers: JSON_HEADERS });
}

/** 405 with the `Allow` header RFC 9110 requires. */
export function methodNotAllowed(allowed: string, method: string): Response {
  const response = errorResponse(
    405,
    "MethodNotAllowed",
    `Method ${method} is not allowed here; use ${allowed}`,
  );
  response.headers.set("Allow", allowed);
  return response;
}

/**
 * How much of an oversized body is read and thrown away before giving up on the connection.
 * Draining lets the client finish sending and read the 413; past this, cancelling is cheaper.
 */
const DRAIN_LIMIT = 64 * 1024 * 1024;

/**
 * Reads the request body, buffering at most `limit` bytes. Returns `undefined` when the body is
 * longer; the rest is then drained without being kept.
 */
export async function readBodyCapped(
  request: Request,
  limit: number,
): Promise<Uint8Array | undefined> {
  const body = request.body;
  if (body === null) return new Uint8Array(0);
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isSafeInteger(declared) && declared <= limit) {
    return new Uint8Array(await request.arrayBuffer());
  }
  const reader = body.getReader();
  if (Number.isSafeInteger(declared)) {
    await drain(reader, 0);
    return undefined;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await drain(reader, total);
      return undefined;
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, seen: number) {
  try {
    while (seen <= DRAIN_LIMIT) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away mid-body; there is nobody left to answer.
  }
}
