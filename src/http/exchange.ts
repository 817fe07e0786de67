/**
 * One request and its response on one connection, as an explicit state machine.
 *
 * Two sides run at once: the request is written while the response head is awaited (an app may
 * answer before it has read the whole body). Each side ends once:
 *
 *     write:  writing ──> written | failed
 *     read:   head ──> body ──> done | failed        (head ──> failed, too)
 *
 * The connection is handed back when both sides have ended: to the idle pool when both
 * succeeded and the response allows keep-alive, closed otherwise. Aborting the signal fails
 * whatever has not ended and closes the connection.
 *
 * @module
 */

import { ChunkedDecoder, LengthDecoder, UntilCloseDecoder } from "./body_decoders.ts";
import type { BodyDecoder } from "./body_decoders.ts";
import type { BufferedConn } from "./buffered_conn.ts";
import { BodyTooLargeError, HttpProtocolError } from "./errors.ts";
import { RequestWriter } from "./request_writer.ts";
import type { IncomingResponse, OutgoingRequest } from "./types.ts";
import { parseResponseHead, responseDisposition, type ResponseHead } from "./wire.ts";
import { concatBytes } from "../util/bytes.ts";

type WriteState = "writing" | "written" | "failed";
type ReadState = "head" | "body" | "done" | "failed";

/** Receives the connection once the exchange has ended, with whether it may be reused. */
export type Release = (conn: BufferedConn, reusable: boolean) => void;

/** Runs one exchange; create, then `await start()`. */
export class Exchange {
  /** The connection this exchange runs on. */
  readonly conn: BufferedConn;
  #request: OutgoingRequest;
  #writer: RequestWriter;
  #signal: AbortSignal | undefined;
  #release: Release;
  #keepAlive: boolean;
  #write: WriteState = "writing";
  #read: ReadState = "head";
  #writeError: unknown = undefined;
  #decoder: BodyDecoder | null = null;
  #controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  #onAbort = () => this.#abort(this.#signal!.reason);

  /** Prepares `request` (with its encoded `head`) on `conn`; `keepAlive` false closes it after. */
  constructor(
    conn: BufferedConn,
    request: OutgoingRequest,
    head: string,
    options: { signal: AbortSignal | undefined; keepAlive: boolean; release: Release },
  ) {
    this.conn = conn;
    this.#request = request;
    this.#writer = new RequestWriter(conn, request, head);
    this.#signal = options.signal;
    this.#keepAlive = options.keepAlive;
    this.#release = options.release;
  }

  /** Whether the peer sent anything at all: if not, it may never have seen the request. */
  get answered(): boolean {
    return this.conn.received > 0;
  }

  /** Sends the request and resolves with the response once its head has arrived. */
  async start(maxHeadBytes: number): Promise<IncomingResponse> {
    const signal = this.#signal;
    this.conn.received = 0;
    this.conn.written = 0;
    if (signal?.aborted) {
      this.conn.close();
      throw signal.reason;
    }
    signal?.addEventListener("abort", this.#onAbort, { once: true });
    this.#writer.write().then(() => this.#written(), (error) => this.#writeFailed(error));
    let head: ResponseHead;
    try {
      head = await this.#readFinalHead(maxHeadBytes);
      const { framing, keepAlive } = responseDisposition(head, this.#request.method);
      this.#keepAlive &&= keepAlive;
      this.#decoder = framing === "none"
        ? null
        : framing === "chunked"
        ? new ChunkedDecoder(this.conn, maxHeadBytes)
        : framing === "close"
        ? new UntilCloseDecoder(this.conn)
        : new LengthDecoder(this.conn, framing.length);
    } catch (error) {
      const reason = signal?.aborted ? signal.reason : (this.#writeError ?? error);
      this.#fail(reason);
      throw reason;
    }
    this.#read = "body";
    if (this.#decoder === null || this.#decoder.done) this.#bodyDone();
    return new Response(this, head);
  }

  /** The next piece of the body, or null at its end; failures end the exchange. */
  async nextChunk(): Promise<Uint8Array | null> {
    if (this.#read === "done") return null;
    try {
      const chunk = await this.#decoder!.next();
      if (this.#decoder!.done) this.#bodyDone();
      return chunk;
    } catch (error) {
      const reason = this.#signal?.aborted ? this.#signal.reason : error;
      this.#fail(reason);
      throw reason;
    }
  }

  /** Reads the rest of the body into one buffer, sized by Content-Length when it is known. */
  async readAll(limit: number): Promise<Uint8Array> {
    const decoder = this.#decoder;
    if (decoder instanceof LengthDecoder && this.#read === "body") {
      if (decoder.remaining > limit) return this.#tooLarge(limit);
      const out = new Uint8Array(decoder.remaining);
      try {
        await decoder.readInto(out);
      } catch (error) {
        const reason = this.#signal?.aborted ? this.#signal.reason : error;
        this.#fail(reason);
        throw reason;
      }
      this.#bodyDone();
      return out;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const chunk = await this.nextChunk();
      if (chunk === null) break;
      size += chunk.byteLength;
      if (size > limit) return this.#tooLarge(limit);
      chunks.push(chunk);
    }
    return concatBytes(chunks);
  }

  /** Stops reading the body: the connection is closed, since its rest is unread. */
  cancel(reason: unknown): void {
    if (this.#read === "done" || this.#read === "failed") return;
    this.#fail(reason);
  }

  /** The body as a stream, pulling one piece per read with nothing read ahead. */
  stream(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
        if (this.#read === "done") controller.close();
      },
      pull: async (controller) => {
        const chunk = await this.nextChunk();
        if (chunk !== null && chunk.byteLength > 0) controller.enqueue(chunk);
        if (this.#read === "done") controller.close();
      },
      cancel: (reason) => this.cancel(reason),
    }, { highWaterMark: 0 });
  }

  async #readFinalHead(maxHeadBytes: number): Promise<ResponseHead> {
    for (;;) {
      const head = parseResponseHead(await this.conn.readHead(maxHeadBytes));
      if (head.status >= 200 && head.status <= 599) return head;
      // We never ask to upgrade; 1xx other than 101 are interim (RFC 9110 15.2).
      if (head.status === 101 || head.status < 100 || head.status > 599) {
        throw new HttpProtocolError(`Unexpected status ${head.status}`);
      }
    }
  }

  #written(): void {
    this.#write = "written";
    this.#settle();
  }

  #writeFailed(error: unknown): void {
    this.#write = "failed";
    this.#writeError ??= error;
    // A socket error still lets an early answer be read; a failed body source cannot finish
    // the request, so the exchange fails (the app must not take a cut body as complete).
    if (this.#writer.sourceFailed || this.#read === "head") this.#fail(error);
    else this.#settle();
  }

  #bodyDone(): void {
    this.#read = "done";
    this.#settle();
  }

  #tooLarge(limit: number): never {
    const error = new BodyTooLargeError(limit);
    this.#fail(error);
    throw error;
  }

  #abort(reason: unknown): void {
    this.#fail(reason);
  }

  /** Ends every side that has not ended and closes the connection. */
  #fail(reason: unknown): void {
    this.#writer.stop(reason);
    this.conn.close();
    if (this.#write === "writing") this.#write = "failed";
    if (this.#read !== "done") {
      const wasBody = this.#read === "body";
      this.#read = "failed";
      if (wasBody) {
        try {
          this.#controller?.error(reason);
        } catch {
          // The stream already ended or was cancelled.
        }
      }
    }
    this.#settle();
  }

  #settle(): void {
    if (this.#write === "writing" || this.#read === "head" || this.#read === "body") return;
    this.#signal?.removeEventListener("abort", this.#onAbort);
    const conn = this.conn;
    const reusable = this.#keepAlive && this.#write === "written" && this.#read === "done" &&
      !conn.closed && conn.buffered === 0;
    this.#release(conn, reusable);
  }
}

/** The response handed to the caller; the body is read through `body` or `bytes()`, not both. */
class Response implements IncomingResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers;
  #exchange: Exchange;
  #body: ReadableStream<Uint8Array> | null = null;
  #used = false;

  constructor(exchange: Exchange, head: ResponseHead) {
    this.#exchange = exchange;
    this.status = head.status;
    this.statusText = head.statusText;
    this.headers = head.headers;
  }

  get body(): ReadableStream<Uint8Array> {
    if (this.#body === null) {
      this.#claim();
      this.#body = this.#exchange.stream();
    }
    return this.#body;
  }

  bytes(limit = Number.POSITIVE_INFINITY): Promise<Uint8Array> {
    this.#claim();
    return this.#exchange.readAll(limit);
  }

  discard(): void {
    if (this.#body !== null) {
      this.#body.cancel().catch(() => {});
      return;
    }
    this.#used = true;
    this.#exchange.cancel(new Error("The response body was discarded"));
  }

  #claim(): void {
    if (this.#used) throw new TypeError("The response body was already read");
    this.#used = true;
  }
}
