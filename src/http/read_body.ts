/**
 * Reads a body stream into one buffer.
 *
 * @module
 */

import { concatBytes } from "../util/bytes.ts";
import { BodyTooLargeError } from "./errors.ts";

export { BodyTooLargeError };

/**
 * Reads `stream` to the end. With `limit`, stops reading and cancels the stream as soon as
 * more than `limit` bytes arrive, so an oversized body is never held whole in memory.
 *
 * @throws {BodyTooLargeError} when the body exceeds `limit`
 */
export async function readBody(
  stream: ReadableStream<Uint8Array>,
  limit = Number.POSITIVE_INFINITY,
): Promise<Uint8Array> {
  const { bytes, more } = await readPrefix(stream, limit);
  if (more) throw new BodyTooLargeError(limit);
  return bytes;
}

/**
 * Reads at most about `maxBytes` of `stream`, then cancels the rest.
 *
 * @returns the bytes read and whether the stream had more
 */
export async function readPrefix(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<{ bytes: Uint8Array; more: boolean }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes: concatBytes(chunks), more: false };
      chunks.push(value);
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return { bytes: concatBytes(chunks).subarray(0, maxBytes), more: true };
      }
    }
  } finally {
    reader.releaseLock();
  }
}
