/**
 * Reads a body stream into one buffer.
 *
 * @module
 */

import { concatBytes } from "../util/bytes.ts";

/** Thrown when a body is longer than the caller allows; the stream has been cancelled. */
export class BodyTooLargeError extends RangeError {
  readonly limit: number;
  constructor(limit: number) {
    super(`The body is larger than ${limit} bytes`);
    this.name = "BodyTooLargeError";
    this.limit = limit;
  }
}

/**
 * Reads `stream` to the end. With `limit`, stops reading and cancels the stream as soon as
 * more than `limit` bytes arrive, so an oversized body is never held in memory.
 *
 * @throws {BodyTooLargeError} when the body exceeds `limit`
 */
export async function readBody(
  stream: ReadableStream<Uint8Array>,
  limit = Number.POSITIVE_INFINITY,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw new BodyTooLargeError(limit);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return concatBytes(chunks);
}
