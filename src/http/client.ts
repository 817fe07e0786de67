/**
 * An HTTP/1.1 client on `Deno.connect` for one origin (the app, or the Lambda Runtime API).
 *
 * Unlike `fetch` it sends header fields exactly as given, keeps repeated response fields apart,
 * never decompresses or follows redirects, allows bodies on any method and sends request
 * trailers. Connections are kept alive and reused (RFC 9112 9.3).
 *
 * @module
 */

import { BufferedConn } from "./buffered_conn.ts";
import { ChunkedDecoder, LengthDecoder, UntilCloseDecoder } from "./body_decoders.ts";
import type { BodyDecoder } from "./body_decoders.ts";
import { HttpProtocolError } from "./errors.ts";
import { IdlePool } from "./idle_pool.ts";
import { RequestWriter } from "./request_writer.ts";
import type { HttpClient, IncomingResponse, OutgoingRequest } from "./types.ts";
import {
  buildRequestHead,
  parseResponseHead,
  requestFraming,
  responseDisposition,
} from "./wire.ts";
import type { RequestHead, ResponseHead } from "./wire.ts";

/** Where to connect and how to keep connections. */
export interface HttpClientOptions {
  hostname: string;
  port: number;
  /** How long an idle connection is kept; default 4000, below Node's 5 s keep-alive timeout. */
  idleTimeoutMs?: number;
  /** Reuse connections (default true); false opens and closes one per request. */
  pooling?: boolean;
  /** Most idle connections kept; default 64. */
  maxIdleConnections?: number;
  /** Largest accepted response head (and chunked trailer section); default 1 MiB. */
  maxHeadBytes?: number;
}

/** Connection counters, for tests and diagnostics. */
export interface HttpClientStats {
  connectionsOpened: number;
  /** Requests sent on a connection taken from the idle pool. */
  reused: number;
  /** Requests sent again after a reused connection turned out to be closed. */
  retries: number;
}

/** A client plus its lifecycle. */
export interface HttpClientHandle {
  request: HttpClient;
  /** Closes idle and in-use connections; bodies still being read then error. */
  close(): Promise<void>;
  readonly stats: Readonly<HttpClientStats>;
}

/** Errors that mean the peer was gone, which on a reused connection is the keep-alive race. */
const CONNECTION_ERRORS = [
  Deno.errors.ConnectionReset,
  Deno.errors.ConnectionAborted,
  Deno.errors.BrokenPipe,
  Deno.errors.UnexpectedEof,
  Deno.errors.NotConnected,
];

/** Creates an HTTP/1.1 client for `options.hostname:options.port`. */
export function createHttpClient(options: HttpClientOptions): HttpClientHandle {
  const { hostname, port } = options;
  const pooling = options.pooling ?? true;
  const maxHeadBytes = options.maxHeadBytes ?? 1024 * 1024;
  const pool = new IdlePool(options.idleTimeoutMs ?? 4000, options.maxIdleConnections ?? 64);
  const open = new Set<BufferedConn>();
  const defaultHost = `${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
  const stats: HttpClientStats = { connectionsOpened: 0, reused: 0, retries: 0 };
  let closed = false;

  async function connect(signal: AbortSignal | undefined): Promise<BufferedConn> {
    const tcp = await Deno.connect(signal ? { hostname, port, signal } : { hostname, port });
    if (closed) {
      tcp.close();
      throw new Deno.errors.Interrupted("The HTTP client was closed");
    }
    tcp.setNoDelay(true);
    stats.connectionsOpened++;
    const conn = new BufferedConn(tcp, (conn) => open.delete(conn));
    open.add(conn);
    return conn;
  }

  async function request(req: OutgoingRequest, signal?: AbortSignal): Promise<IncomingResponse> {
    signal?.throwIfAborted();
    if (closed) throw new Deno.errors.Interrupted("The HTTP client is closed");
    const head = buildRequestHead(req, defaultHost, requestFraming(req));
    const idle = pooling ? pool.take() : null;
    if (idle === null) return await exchange(await connect(signal), req, head, signal);
    stats.reused++;
    try {
      return await exchange(idle, req, head, signal);
    } catch (err) {
      // The keep-alive race: the app closed the connection before reading our request, so
      // sending it again cannot run it twice, whatever the method.
      const replayable = !(req.body instanceof ReadableStream);
      if (!replayable || idle.received > 0 || signal?.aborted || !isConnectionError(err)) {
        throw err;
      }
      stats.retries++;
      return await exchange(await connect(signal), req, head, signal);
    }
  }

  async function exchange(
    conn: BufferedConn,
    req: OutgoingRequest,
    head: RequestHead,
    signal: AbortSignal | undefined,
  ): Promise<IncomingResponse> {
    conn.received = 0;
    const writer = new RequestWriter(conn, req, head.text);
    let reusable = pooling && !head.close;
    let outstanding = 2; // the request write and the response body
    let headDone = false;
    const early: { writeError?: { error: unknown } } = {};
    let bodyController: ReadableStreamDefaultController<Uint8Array> | null = null;

    const settle = (ok: boolean) => {
      reusable &&= ok;
      if (--outstanding > 0) return;
      signal?.removeEventListener("abort", onAbort);
      if (reusable && !closed && !conn.closed && conn.buffered === 0) pool.put(conn);
      else conn.close();
    };
    const failBody = (error: unknown) => {
      writer.stop(error);
      conn.close();
      try {
        bodyController?.error(error);
      } catch {
        // The body already ended.
      }
    };
    const onAbort = () => failBody(signal!.reason);
    if (signal?.aborted) {
      conn.close();
      throw signal.reason;
    }
    signal?.addEventListener("abort", onAbort, { once: true });

    const writing = writer.write().then(() => settle(true), (error) => {
      if (!headDone) {
        early.writeError ??= { error };
        conn.close();
      } else if (writer.sourceFailed) failBody(error);
      settle(false);
    });

    let response: ResponseHead;
    let body: BodyDecoder | null;
    try {
      for (;;) {
        response = parseResponseHead(await conn.readHead(maxHeadBytes));
        const status = response.status;
        if (status >= 200 && status <= 599) break;
        // We never ask to upgrade; 1xx other than 101 are interim (RFC 9110 15.2).
        if (status === 101 || status < 100 || status > 599) {
          throw new HttpProtocolError(`Unexpected status ${status}`);
        }
      }
      const { framing, keepAlive } = responseDisposition(response, req.method);
      reusable &&= keepAlive;
      body = framing === "none"
        ? null
        : framing === "chunked"
        ? new ChunkedDecoder(conn, maxHeadBytes)
        : framing === "close"
        ? new UntilCloseDecoder(conn)
        : new LengthDecoder(conn, framing.length);
    } catch (err) {
      signal?.removeEventListener("abort", onAbort);
      const error = signal?.aborted ? signal.reason : (early.writeError ?? { error: err }).error;
      writer.stop(error);
      conn.close();
      await writing;
      throw error;
    }
    headDone = true;

    let bodySettled = false;
    const finishBody = (ok: boolean, error?: unknown) => {
      if (bodySettled) return;
      bodySettled = true;
      if (!ok) failBody(error);
      settle(ok);
    };
    const decoder = body;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        bodyController = controller;
        if (decoder === null || decoder.done) {
          controller.close();
          finishBody(true);
        }
      },
      async pull(controller) {
        try {
          const chunk = await decoder!.next();
          if (chunk !== null) controller.enqueue(chunk);
          if (decoder!.done) {
            controller.close();
            finishBody(true);
          }
        } catch (err) {
          finishBody(false, signal?.aborted ? signal.reason : err);
        }
      },
      cancel(reason) {
        finishBody(false, reason);
      },
    }, { highWaterMark: 0 });
    return {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      body: stream,
    };
  }

  async function close(): Promise<void> {
    closed = true;
    await pool.closeAll();
    const conns = [...open];
    for (const conn of conns) conn.close();
    await Promise.all(conns.map((conn) => conn.settled()));
  }

  return { request, close, stats };
}

function isConnectionError(err: unknown): boolean {
  return CONNECTION_ERRORS.some((type) => err instanceof type);
}
