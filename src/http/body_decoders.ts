/**
 * Message body decoders (RFC 9112 6 and 7.1): Content-Length, chunked and read-until-close, for
 * the client's responses. Each yields views of the received bytes without copying them.
 *
 * @module
 */

import type { BufferedConn } from "./buffered_conn.ts";
import { HttpProtocolError } from "./errors.ts";

/** Pulls a body's content from a connection, one piece at a time. */
export interface BodyDecoder {
  /** The next piece of content, or null when the body has ended. */
  next(): Promise<Uint8Array | null>;
  /** Whether the whole body has been received (possibly before `next()` returned null). */
  readonly done: boolean;
}

/** Decodes a body of exactly `length` bytes. */
export class LengthDecoder implements BodyDecoder {
  #conn: BufferedConn;
  #remaining: number;

  /** Reads `length` bytes from `conn`. */
  constructor(conn: BufferedConn, length: number) {
    this.#conn = conn;
    this.#remaining = length;
  }

  get done(): boolean {
    return this.#remaining === 0;
  }

  /** Bytes of the body not read yet. */
  get remaining(): number {
    return this.#remaining;
  }

  /** Reads the rest of the body straight into `out`, which is `remaining` bytes long. */
  async readInto(out: Uint8Array): Promise<void> {
    let offset = 0;
    while (this.#remaining > 0) {
      const n = await this.#conn.readInto(out.subarray(offset, offset + this.#remaining));
      if (n === null) {
        throw new HttpProtocolError(`Body ended ${this.#remaining} bytes short of Content-Length`);
      }
      offset += n;
      this.#remaining -= n;
    }
  }

  async next(): Promise<Uint8Array | null> {
    if (this.#remaining === 0) return null;
    if (this.#conn.buffered === 0 && !(await this.#conn.fill(this.#remaining))) {
      throw new HttpProtocolError(`Body ended ${this.#remaining} bytes short of Content-Length`);
    }
    const chunk = this.#conn.take(this.#remaining);
    this.#remaining -= chunk.length;
    return chunk;
  }
}

/** Decodes a body delimited by the end of the connection. */
export class UntilCloseDecoder implements BodyDecoder {
  #conn: BufferedConn;
  #done = false;

  /** Reads from `conn` until it ends. */
  constructor(conn: BufferedConn) {
    this.#conn = conn;
  }

  get done(): boolean {
    return this.#done;
  }

  async next(): Promise<Uint8Array | null> {
    if (this.#done) return null;
    if (this.#conn.buffered === 0 && !(await this.#conn.fill())) {
      this.#done = true;
      return null;
    }
    return this.#conn.take(Infinity);
  }
}

// Decoder states, in wire order.
const SIZE = 0;
const DATA = 1;
const DATA_END = 2;
const TRAILERS = 3;
const DONE = 4;

/** Longest chunk-size line accepted, extensions included. */
const MAX_LINE = 4096;

/**
 * Decodes `Transfer-Encoding: chunked`; extensions are ignored, trailer field lines kept raw
 * (RFC 9112 7.1.2) for a caller that wants them.
 */
export class ChunkedDecoder implements BodyDecoder {
  #conn: BufferedConn;
  #maxTrailerBytes: number;
  #trailerBytes = 0;
  #trailerLines: Uint8Array[] = [];
  #state = SIZE;
  #remaining = 0;

  /** Reads a chunked body from `conn`; trailers beyond `maxTrailerBytes` are an error. */
  constructor(conn: BufferedConn, maxTrailerBytes: number) {
    this.#conn = conn;
    this.#maxTrailerBytes = maxTrailerBytes;
  }

  get done(): boolean {
    return this.#state === DONE;
  }

  /**
   * The trailer section's field lines as received, without CRLF and unparsed (copies, so they
   * stay valid). Complete once `done` is true; empty when the body had no trailers.
   */
  get trailerLines(): readonly Uint8Array[] {
    return this.#trailerLines;
  }

  async next(): Promise<Uint8Array | null> {
    const conn = this.#conn;
    for (;;) {
      if (this.#state === DATA && conn.buffered > 0) {
        const chunk = conn.take(this.#remaining);
        this.#remaining -= chunk.length;
        if (this.#remaining === 0) {
          this.#state = DATA_END;
          // Finish eagerly when the rest is already here, so the connection is released
          // together with the last piece of content.
          this.#advance();
        }
        return chunk;
      }
      if (this.#state === DONE) return null;
      if (this.#state !== DATA) this.#advance();
      if (this.#state === DONE || (this.#state === DATA && conn.buffered > 0)) {
        continue;
      }
      const hint = this.#state === DATA ? this.#remaining + 7 : undefined;
      if (!(await conn.fill(hint))) throw new HttpProtocolError("Chunked body ended early");
    }
  }

  /** Consumes as much framing as is buffered, without waiting. */
  #advance(): void {
    const conn = this.#conn;
    for (;;) {
      if (this.#state === DATA_END) {
        if (conn.buffered < 2) return;
        const crlf = conn.skip(2);
        if (crlf[0] !== 13 || crlf[1] !== 10) {
          throw new HttpProtocolError("Chunk not followed by CRLF");
        }
        this.#state = SIZE;
      } else if (this.#state === SIZE) {
        const line = conn.takeLine(MAX_LINE);
        if (line === null) return;
        const size = parseChunkSize(line);
        if (size > 0) {
          this.#remaining = size;
          this.#state = DATA;
          return;
        }
        this.#state = TRAILERS;
      } else if (this.#state === TRAILERS) {
        const line = conn.takeLine(this.#maxTrailerBytes);
        if (line === null) return;
        if (line.length === 0) {
          this.#state = DONE;
          return;
        }
        this.#trailerBytes += line.length + 2;
        if (this.#trailerBytes > this.#maxTrailerBytes) {
          throw new HttpProtocolError(`Trailers are larger than ${this.#maxTrailerBytes} bytes`);
        }
        // The line is a view of the read buffer, which the next read may overwrite.
        this.#trailerLines.push(line.slice());
      } else return;
    }
  }
}

/** Parses `chunk-size [ BWS ";" ext ]` (RFC 9112 7.1, 7.1.1). */
function parseChunkSize(line: Uint8Array): number {
  let size = 0;
  let i = 0;
  for (; i < line.length; i++) {
    const digit = hexValue(line[i]!);
    if (digit === -1) break;
    size = size * 16 + digit;
  }
  let j = i;
  while (line[j] === 0x20 || line[j] === 0x09) j++;
  // Above 2^52 a size loses precision; no real body gets near that.
  if (i === 0 || size > 2 ** 52 || (j < line.length && line[j] !== 0x3b)) {
    const text = String.fromCharCode(...line.subarray(0, 40));
    throw new HttpProtocolError(`Invalid chunk size line: ${JSON.stringify(text)}`);
  }
  return size;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
