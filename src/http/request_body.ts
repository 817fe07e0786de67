/**
 * A request body as the server hands it to a handler: a `ReadableStream` fed from the socket as
 * the handler reads, the chunked trailers once the body has ended (RFC 9112 7.1.2), and draining
 * of whatever the handler left unread, so that the next request on the connection can be found
 * (RFC 9112 9.3).
 *
 * @module
 */

import type { BodyDecoder } from "./body_decoders.ts";
import { ChunkedDecoder, LengthDecoder } from "./body_decoders.ts";
import type { BufferedConn } from "./buffered_conn.ts";
import { type BodyFraming, latin1, parseFieldLines } from "./request_head.ts";

/** Callbacks into the connection that owns the body. */
export interface RequestBodyHooks {
  /** Runs once, before the first read from the socket (to send `100 Continue`). */
  beforeFirstRead(): Promise<void>;
  /** Runs after every read attempt (to restart the disconnect watch). */
  afterRead(): void;
}

/**
 * Up to this size, a body that is already in the read buffer with its head is handed over as
 * bytes rather than a stream: `Request` then reads it without any stream machinery, which
 * saves a good part of a small request's cost (the Runtime API's posts are mostly small).
 */
const AT_HAND_LIMIT = 64 * 1024;

/** One request's body. */
export class RequestBody {
  /** What the handler reads, when it is a stream; see `bytes`. */
  readonly stream: ReadableStream<Uint8Array> | null;
  /** The whole body, when it came with its head (small Content-Length bodies); see `stream`. */
  readonly bytes: Uint8Array<ArrayBuffer> | null = null;
  /**
   * The trailer fields, once the body has been fully read; an empty `Headers` for a body that
   * was not chunked or had no trailers. Rejects when the body cannot be completed.
   */
  readonly trailers: Promise<Headers>;
  #decoder: BodyDecoder | null;
  #hooks: RequestBodyHooks;
  #settle: { resolve(headers: Headers): void; reject(reason: unknown): void };
  #inflight: Promise<Uint8Array | null> | null = null;
  #started = false;
  #detached = false;
  #failure: { error: unknown } | null = null;

  /** Prepares the body of the given framing; nothing is read until someone asks. */
  constructor(
    conn: BufferedConn,
    framing: BodyFraming,
    options: { maxTrailerBytes: number; expose: boolean; hooks: RequestBodyHooks },
  ) {
    this.#hooks = options.hooks;
    const { promise, resolve, reject } = Promise.withResolvers<Headers>();
    this.trailers = promise;
    // A handler that never asks for trailers must not see an unhandled rejection.
    promise.catch(() => {});
    this.#settle = { resolve, reject };
    if (framing === "chunked") {
      this.#decoder = new ChunkedDecoder(conn, options.maxTrailerBytes);
    } else if (
      framing.length > 0 && framing.length <= AT_HAND_LIMIT && conn.buffered >= framing.length
    ) {
      this.#decoder = null;
      this.#started = true;
      // The read buffers are plain ArrayBuffers (never shared), as `BodyInit` requires.
      const bytes = conn.take(framing.length) as Uint8Array<ArrayBuffer>;
      if (options.expose) this.bytes = bytes;
      resolve(new Headers());
    } else if (framing.length > 0) {
      this.#decoder = new LengthDecoder(conn, framing.length);
    } else {
      this.#decoder = null;
      resolve(new Headers());
    }
    this.stream = this.#decoder !== null && options.expose ? this.#createStream() : null;
  }

  /** Whether the whole body has been received. */
  get done(): boolean {
    return this.#decoder === null || this.#decoder.done;
  }

  /** Whether anything was read from the socket for this body yet. */
  get started(): boolean {
    return this.#started;
  }

  /**
   * Takes the body away from the handler and reads the rest of it, discarding it. Rejects when
   * the body cannot be completed (the connection must then be closed).
   */
  async drain(): Promise<void> {
    this.#detached = true;
    if (this.#inflight) await this.#inflight.catch(() => {});
    if (this.#failure) throw this.#failure.error;
    while (!this.done) await this.#step();
  }

  /** The connection is going away: a body that has not ended fails with `reason`. */
  abandon(reason: unknown): void {
    this.#detached = true;
    if (!this.done) this.#fail(reason);
  }

  #createStream(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        if (this.#detached) {
          const reason = this.#failure?.error ??
            new Deno.errors.Interrupted("The request body is no longer available");
          return controller.error(reason);
        }
        try {
          for (;;) {
            const chunk = await this.#step();
            if (chunk !== null) controller.enqueue(chunk);
            if (this.done) return controller.close();
            if (chunk !== null) return;
          }
        } catch (error) {
          controller.error(error);
        }
      },
      // Nothing to do: the connection drains what is left once the response is out.
    }, { highWaterMark: 0 });
  }

  /** One decoder read at a time, whoever asks (the handler's stream or the drain). */
  #step(): Promise<Uint8Array | null> {
    const read = this.#read();
    this.#inflight = read;
    const clear = () => {
      if (this.#inflight === read) this.#inflight = null;
    };
    read.then(clear, clear);
    return read;
  }

  async #read(): Promise<Uint8Array | null> {
    if (this.#failure) throw this.#failure.error;
    const decoder = this.#decoder!;
    try {
      if (!this.#started) {
        this.#started = true;
        await this.#hooks.beforeFirstRead();
      }
      const chunk = await decoder.next();
      if (decoder.done) this.#finish(decoder);
      return chunk;
    } catch (error) {
      this.#fail(error);
      throw error;
    } finally {
      this.#hooks.afterRead();
    }
  }

  #finish(decoder: BodyDecoder): void {
    const lines = decoder instanceof ChunkedDecoder ? decoder.trailerLines : [];
    // Trailer lines have the field line syntax of a head (RFC 9112 7.1.2); a bad one throws.
    this.#settle.resolve(new Headers(parseFieldLines(lines.map(latin1))));
  }

  #fail(error: unknown): void {
    this.#failure ??= { error };
    this.#settle.reject(error);
  }
}
