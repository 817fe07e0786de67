/**
 * One server-side HTTP/1.1 connection. Requests are read in order, so pipelined ones wait their
 * turn (RFC 9112 9.3.2); each is handed to the handler with a body fed from the socket, answered,
 * and its unread body drained before the next is read. While an exchange is open the socket is
 * read ahead, so a client that goes away aborts `request.signal` as soon as its FIN or RST
 * arrives, not when a write into the dead socket happens to fail.
 *
 * @module
 */

import { HttpProtocolError } from "./errors.ts";
import { SharedReadConn } from "./shared_read_conn.ts";
import { RequestBody } from "./request_body.ts";
import {
  BadRequestError,
  parseRequestHead,
  type RequestControls,
  requestControls,
  type RequestHead,
  requestUrl,
} from "./request_head.ts";
import { httpDate, latin1Bytes, writeResponse } from "./response_writer.ts";
import { statusText } from "./status_text.ts";

/** What a handler gets besides the `Request`. */
export interface RequestInfo {
  /**
   * The chunked trailer fields, once the body has been fully read; an empty `Headers` when the
   * body was not chunked or had none. Rejects when the body cannot be completed.
   */
  readonly trailers: Promise<Headers>;
  /** The client's address. */
  readonly remoteAddr: Deno.NetAddr;
}

/** Answers one request. */
export type HttpHandler = (request: Request, info: RequestInfo) => Response | Promise<Response>;

/** Settings shared by every connection of a server. */
export interface ConnectionOptions {
  handler: HttpHandler;
  /** Largest request head, and largest chunked trailer section. */
  maxHeadBytes: number;
  /** `host:port` of the listener, for requests that carry no `Host`. */
  localAuthority: string;
  /** Turns a handler failure into a response. */
  onError(error: unknown): Response | Promise<Response>;
}

/** A connection being served. */
export interface ServerConnection {
  /** Resolves once the socket is closed and no operation on it is pending. */
  readonly done: Promise<void>;
  /** Closes at once when idle between requests, else right after the response in flight. */
  shutdown(): void;
  /** Closes at once, whatever is in flight. */
  close(): void;
}

/** How far the disconnect watch reads ahead of the handler (pipelined requests, unread body). */
const WATCH_LIMIT = 256 * 1024;
const CONTINUE = latin1Bytes("HTTP/1.1 100 Continue\r\n\r\n");
/** Methods `Request` refuses (Fetch "forbidden method"); RFC 9110 15.6.2 says 501. */
const FORBIDDEN_METHOD = /^(?:CONNECT|TRACE|TRACK)$/i;

/** Serves requests on `tcp` until either side closes it. */
export function serveConnection(tcp: Deno.TcpConn, options: ConnectionOptions): ServerConnection {
  const conn = new SharedReadConn(tcp, () => {});
  const remoteAddr = tcp.remoteAddr;
  /** Ends the wait for the handler of the exchange in flight when the connection is closed. */
  let abandonHandler: (() => void) | null = null;
  let idle = true;
  let closing = false;
  let exchange: { abort: AbortController; body: RequestBody } | null = null;
  let watching = false;

  function watch(): void {
    if (watching || exchange === null || conn.closed || conn.ended) return;
    if (conn.buffered >= WATCH_LIMIT) return;
    watching = true;
    conn.fill().then((more) => {
      watching = false;
      if (more) watch();
      else disconnected();
    }, () => {
      watching = false;
      disconnected();
    });
  }

  function disconnected(): void {
    exchange?.abort.abort(new DOMException("The client disconnected", "AbortError"));
  }

  async function refuse(status: number, message: string): Promise<void> {
    const body = latin1Bytes(`${statusText(status)}: ${message}\n`);
    const head = `HTTP/1.1 ${status} ${statusText(status)}\r\ncontent-type: text/plain\r\n` +
      `date: ${httpDate()}\r\ncontent-length: ${body.length}\r\n` +
      "connection: close\r\n\r\n";
    const bytes = new Uint8Array([...latin1Bytes(head), ...body]);
    await conn.writeAll(bytes).catch(() => {});
  }

  async function readHead(): Promise<
    { head: RequestHead; controls: RequestControls; url: string } | null
  > {
    try {
      const head = parseRequestHead(await conn.readHead(options.maxHeadBytes));
      const controls = requestControls(head);
      return {
        head,
        controls,
        url: requestUrl(head.target, controls.host, options.localAuthority),
      };
    } catch (error) {
      if (error instanceof BadRequestError) await refuse(error.status, error.message);
      // The only other protocol error of readHead is its size limit (RFC 6585 5).
      else if (error instanceof HttpProtocolError) await refuse(431, error.message);
      return null;
    }
  }

  /** Serves one request; resolves whether the connection may carry another. */
  async function serveOne(): Promise<boolean> {
    const parsed = await readHead();
    if (parsed === null) return false;
    const { head, controls, url } = parsed;
    let responding = false;
    const body = new RequestBody(conn, controls.framing, {
      maxTrailerBytes: options.maxHeadBytes,
      // Fetch refuses a body on GET and HEAD; one sent anyway is read and dropped.
      expose: head.method !== "GET" && head.method !== "HEAD",
      hooks: {
        // RFC 9110 10.1.1: the client may wait for 100 before sending the content.
        beforeFirstRead: async () => {
          if (controls.expectContinue && !responding) await conn.writeAll(CONTINUE);
        },
        afterRead: watch,
      },
    });
    const abort = new AbortController();
    let request: Request;
    try {
      request = new Request(url, {
        method: head.method,
        headers: head.fields,
        body: body.bytes ?? body.stream,
        signal: abort.signal,
      });
    } catch (error) {
      const status = FORBIDDEN_METHOD.test(head.method) ? 501 : 400;
      await refuse(status, error instanceof Error ? error.message : String(error));
      return false;
    }
    exchange = { abort, body };
    try {
      watch();
      const response = await respond(request, body.trailers);
      if (response === null) return false;
      responding = true;
      // Without a 100 Continue, the client may never send the body we would have to drain.
      const unsent = controls.expectContinue && !body.started && !body.done;
      const close = closing || controls.close || conn.ended || unsent;
      const target = { method: head.method, minor: head.minor, close };
      let reusable: boolean;
      try {
        reusable = await writeResponse(conn, response, target);
      } catch {
        disconnected();
        return false;
      }
      exchange = null;
      if (!reusable || closing) return false;
      await body.drain();
      return !closing;
    } catch {
      return false;
    } finally {
      exchange = null;
      // Only build the error when needed: capturing a stack costs microseconds per request.
      if (!body.done) {
        body.abandon(new Deno.errors.Interrupted("The exchange ended before the body did"));
      }
    }
  }

  /** Runs the handler; null when the connection was closed first. */
  function respond(request: Request, trailers: Promise<Headers>): Promise<Response | null> {
    return new Promise<Response | null>((resolve, reject) => {
      let waiting = true;
      abandonHandler = () => {
        waiting = false;
        resolve(null);
      };
      const settle = (response: Response) => {
        abandonHandler = null;
        if (waiting) resolve(response);
        else response.body?.cancel().catch(() => {});
      };
      const fail = (error: unknown) => {
        abandonHandler = null;
        if (!waiting) return;
        Promise.resolve().then(() => options.onError(error)).then(resolve, reject);
      };
      try {
        Promise.resolve(options.handler(request, { trailers, remoteAddr })).then((response) => {
          if (response instanceof Response) settle(response);
          else fail(new TypeError("The handler did not return a Response"));
        }, fail);
      } catch (error) {
        fail(error);
      }
    });
  }

  async function run(): Promise<void> {
    try {
      for (;;) {
        if (conn.buffered === 0) {
          idle = true;
          const more = await conn.fill();
          idle = false;
          if (!more) return;
        }
        if (closing || !(await serveOne())) return;
      }
    } catch {
      // A socket error or our own close ends the connection; there is nobody to tell.
    } finally {
      exchange = null;
      conn.close();
      await conn.settled();
    }
  }

  const done = run();
  return {
    done,
    shutdown() {
      closing = true;
      if (idle) conn.close();
    },
    close() {
      closing = true;
      conn.close();
      abandonHandler?.();
    },
  };
}
