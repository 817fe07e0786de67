/**
 * A TCP connection with a read buffer, shared by the head parser and the body decoders.
 *
 * Large pieces of body are handed out as views, without copying, and an `ArrayBuffer` behind a
 * view that was handed out is never written again: a consumer may transfer it (e.g. by
 * enqueuing it into a byte stream) without corrupting later reads. Small pieces are copied so
 * that one read buffer serves many small responses.
 *
 * @module
 */

import { HttpProtocolError } from "./errors.ts";

/** Size of a fresh read buffer; 16, 64 and 256 KiB measured the same on loopback. */
const READ_SIZE = 64 * 1024;
/** Pieces up to this size are copied out, which is cheaper than a fresh 64 KiB buffer. */
const SMALL_COPY = 16 * 1024;
/** Below this much free space, a read goes to a fresh buffer rather than the tail. */
const MIN_SPACE = 8 * 1024;
const EMPTY = new Uint8Array(0);
const CR = 13;
const LF = 10;

/** A connection's read buffer plus its single in-flight read. */
export class BufferedConn {
  /** The connection read and written. */
  readonly conn: Deno.TcpConn;
  /** Bytes received since the owner last reset it; 0 means the peer has not answered yet. */
  received = 0;
  /** Bytes written since the owner last reset it; 0 means the peer cannot have seen anything. */
  written = 0;
  #data: Uint8Array = EMPTY;
  #start = 0;
  #end = 0;
  /** A read that was started but whose result nobody consumed yet (the idle watch). */
  #pending: Promise<number | null> | null = null;
  #inflight: Promise<number | null> | null = null;
  #closed = false;
  #onClose: (conn: BufferedConn) => void;

  /** Wraps `conn`; `onClose` runs once when the connection is closed. */
  constructor(conn: Deno.TcpConn, onClose: (conn: BufferedConn) => void) {
    this.conn = conn;
    this.#onClose = onClose;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Number of received bytes not consumed yet. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** Closes the socket; an in-flight read or write then rejects. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      // An idle connection's read is unref'd; ref it so awaiting its end keeps the loop alive.
      this.conn.ref();
      this.conn.close();
    } catch {
      // Already closed by the platform; nothing left to release.
    }
    this.#onClose(this);
  }

  /** Resolves once no read is in flight, so a closed connection leaves no pending op behind. */
  async settled(): Promise<void> {
    while (this.#inflight) await this.#inflight.then(noop, noop);
  }

  /**
   * Starts a read while the connection is idle and returns it, so that a peer close or stray
   * bytes are seen at once. If the connection is used again, this read becomes its first read.
   */
  watch(): Promise<number | null> {
    this.#pending ??= this.#startRead(READ_SIZE);
    return this.#pending;
  }

  /** Reads more bytes into the buffer; resolves `false` at end of stream. */
  async fill(sizeHint = READ_SIZE): Promise<boolean> {
    const read = this.#pending ?? this.#startRead(sizeHint);
    this.#pending = null;
    const n = await read;
    if (n === null) return false;
    this.#end += n;
    this.received += n;
    return true;
  }

  /**
   * Reads up to the empty line that ends a message head and returns the head without it (a
   * view valid until the next read). Empty lines before the head are skipped (RFC 9112 2.2).
   */
  async readHead(maxBytes: number): Promise<Uint8Array> {
    let scanned = 0;
    for (;;) {
      const data = this.#data.subarray(0, this.#end);
      while (this.buffered >= 2 && data[this.#start] === CR && data[this.#start + 1] === LF) {
        this.#start += 2;
      }
      let i = this.#start + scanned;
      while ((i = data.indexOf(CR, i)) !== -1 && i + 3 < this.#end) {
        if (data[i + 1] === LF && data[i + 2] === CR && data[i + 3] === LF) break;
        i++;
      }
      if (i !== -1 && i + 3 < this.#end && i - this.#start <= maxBytes) {
        const head = data.subarray(this.#start, i);
        this.#start = i + 4;
        return head;
      }
      if (this.buffered > maxBytes) {
        throw new HttpProtocolError(`Response head is larger than ${maxBytes} bytes`);
      }
      scanned = Math.max(0, this.buffered - 3);
      if (!(await this.fill())) {
        const where = this.buffered === 0 ? "before" : "in the middle of";
        throw new Deno.errors.UnexpectedEof(`Connection closed ${where} the response head`);
      }
    }
  }

  /**
   * Returns the next line (without CRLF) if it is fully buffered, else null. The view is only
   * valid until the next read and must not be handed to consumers.
   */
  takeLine(maxBytes: number): Uint8Array | null {
    const data = this.#data;
    const i = data.subarray(this.#start, this.#end).indexOf(LF);
    if (i === -1) {
      if (this.buffered > maxBytes) throw new HttpProtocolError("Line too long in chunked body");
      return null;
    }
    const end = this.#start + i;
    if (i === 0 || data[end - 1] !== CR) throw new HttpProtocolError("Bare LF in chunked body");
    const line = data.subarray(this.#start, end - 1);
    this.#start = end + 1;
    return line;
  }

  /** Consumes `n` buffered bytes that are not handed out (framing such as a chunk's CRLF). */
  skip(n: number): Uint8Array {
    const view = this.#data.subarray(this.#start, this.#start + n);
    this.#start += n;
    return view;
  }

  /**
   * Hands out up to `max` buffered bytes (call only when `buffered > 0`). Small pieces are
   * copied so the read buffer can be reused; otherwise whichever of the handed-out part and the
   * rest is smaller gets copied, so that the handed-out view's buffer is never touched again.
   * While a read is in flight (a server reads ahead to notice a disconnect) the buffer it reads
   * into must stay in place, so the piece is copied.
   */
  take(max: number): Uint8Array {
    const start = this.#start;
    const count = Math.min(max, this.#end - start);
    const chunk = this.#data.subarray(start, start + count);
    const rest = this.#end - start - count;
    if (count <= SMALL_COPY || count <= rest || this.#inflight !== null) {
      this.#start += count;
      return chunk.slice();
    }
    if (rest === 0) {
      this.#data = EMPTY;
      this.#start = this.#end = 0;
      return chunk;
    }
    const next = new Uint8Array(Math.max(READ_SIZE, rest));
    next.set(this.#data.subarray(start + count, this.#end));
    this.#data = next;
    this.#start = 0;
    this.#end = rest;
    return chunk;
  }

  /** Writes all of `bytes`, looping over partial writes. */
  async writeAll(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      const n = await this.conn.write(offset === 0 ? bytes : bytes.subarray(offset));
      offset += n;
      this.written += n;
    }
  }

  /**
   * Fills `out` from the buffer first, then reads the socket straight into it, so a body of
   * known length is held once, in the caller's buffer. Resolves the count, or null at the end.
   */
  async readInto(out: Uint8Array): Promise<number | null> {
    if (this.buffered > 0) {
      const n = Math.min(out.length, this.buffered);
      out.set(this.#data.subarray(this.#start, this.#start + n));
      this.#start += n;
      return n;
    }
    if (this.#pending !== null) {
      // The idle watch read into our own buffer; use what it got.
      if (!(await this.fill())) return null;
      return this.readInto(out);
    }
    const read = this.conn.read(out);
    this.#inflight = read;
    const n = await read.finally(() => {
      if (this.#inflight === read) this.#inflight = null;
    });
    if (n !== null) this.received += n;
    return n;
  }

  #startRead(sizeHint: number): Promise<number | null> {
    // Nothing of the current buffer was handed out (see take), so an empty one can be reused.
    if (this.#start === this.#end) this.#start = this.#end = 0;
    const kept = this.#end - this.#start;
    const want = Math.min(Math.max(sizeHint, 1024), READ_SIZE);
    if (this.#data.length - this.#end < Math.min(want, MIN_SPACE)) {
      const next = new Uint8Array(kept + want);
      next.set(this.#data.subarray(this.#start, this.#end));
      this.#data = next;
      this.#start = 0;
      this.#end = kept;
    }
    const read = this.conn.read(this.#data.subarray(this.#end));
    this.#inflight = read;
    const clear = () => {
      if (this.#inflight === read) this.#inflight = null;
    };
    read.then(clear, clear);
    return read;
  }
}

function noop(): void {}
