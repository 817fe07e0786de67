/**
 * An HTTP/1.1 client on `Deno.connect` for one origin (the app, or the Lambda Runtime API).
 *
 * Unlike `fetch` it sends header fields exactly as given, keeps repeated response fields apart,
 * never decompresses or follows redirects, allows bodies on any method and sends request
 * trailers. Connections are kept alive and reused (RFC 9112 9.3). `docs/architecture.md` has
 * the measurements behind writing it rather than using `fetch`, `node:http` or undici.
 *
 * @module
 */

import { BufferedConn } from "./buffered_conn.ts";
import { Exchange } from "./exchange.ts";
import { IdlePool } from "./idle_pool.ts";
import {
  type HttpClient,
  type IncomingResponse,
  isStreamBody,
  type OutgoingRequest,
} from "./types.ts";
import { buildRequestHead, requestFraming } from "./wire.ts";

/** Where to connect and how to keep connections. */
export interface HttpClientOptions {
  /** The app's host, loopback in practice. */
  hostname: string;
  /** The app's port. */
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
  /** Connections opened so far. */
  connectionsOpened: number;
  /** Requests sent on a connection taken from the idle pool. */
  reused: number;
  /** Requests sent again after a reused connection turned out to be closed. */
  retries: number;
}

/** A client plus its lifecycle. */
export interface HttpClientHandle {
  /** Sends one request (see {@link HttpClient}). */
  request: HttpClient;
  /** Closes every idle connection now, e.g. when they may have gone stale. */
  dropIdle(): Promise<void>;
  /** Closes idle and in-use connections; bodies still being read then error. */
  close(): Promise<void>;
  /** Counters for tests and benchmarks. */
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

/**
 * Methods whose request may be sent twice without harm (RFC 9110 9.2.1 safe methods), the set
 * Go's and curl's clients also retry after a keep-alive race.
 */
const REPLAYABLE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

/**
 * Creates an HTTP/1.1 client for `options.hostname:options.port`, with a pool of keep-alive
 * connections.
 *
 * @example
 * ```ts
 * import { createHttpClient } from "./client.ts";
 *
 * const app = createHttpClient({ hostname: "127.0.0.1", port: 8080 });
 * const response = await app.request({ method: "GET", target: "/health", headers: [] });
 * console.log(response.status, new TextDecoder().decode(await response.bytes(65536)));
 * await app.close();
 * ```
 */
export function createHttpClient(options: HttpClientOptions): HttpClientHandle {
  return new Client(options);
}

class Client implements HttpClientHandle {
  readonly stats: HttpClientStats = { connectionsOpened: 0, reused: 0, retries: 0 };
  #hostname: string;
  #port: number;
  #pooling: boolean;
  #maxHeadBytes: number;
  #defaultHost: string;
  #pool: IdlePool;
  #open = new Set<BufferedConn>();
  #closed = false;

  constructor(options: HttpClientOptions) {
    this.#hostname = options.hostname;
    this.#port = options.port;
    this.#pooling = options.pooling ?? true;
    this.#maxHeadBytes = options.maxHeadBytes ?? 1024 * 1024;
    this.#pool = new IdlePool(options.idleTimeoutMs ?? 4000, options.maxIdleConnections ?? 64);
    const host = this.#hostname.includes(":") ? `[${this.#hostname}]` : this.#hostname;
    this.#defaultHost = `${host}:${this.#port}`;
  }

  request = async (req: OutgoingRequest, signal?: AbortSignal): Promise<IncomingResponse> => {
    signal?.throwIfAborted();
    if (this.#closed) throw new Deno.errors.Interrupted("The HTTP client is closed");
    const head = buildRequestHead(req, this.#defaultHost, requestFraming(req));
    const keepAlive = this.#pooling && !head.close;
    const idle = this.#pooling ? this.#pool.take() : null;
    if (idle === null) {
      return await this.#exchange(await this.#connect(signal), req, head.text, signal, keepAlive);
    }
    this.stats.reused++;
    const exchange = new Exchange(idle, req, head.text, {
      signal,
      keepAlive,
      release: this.#release,
    });
    try {
      return await exchange.start(this.#maxHeadBytes);
    } catch (error) {
      if (!this.#mayRetry(req, exchange, error, signal)) throw error;
      this.stats.retries++;
      return await this.#exchange(await this.#connect(signal), req, head.text, signal, keepAlive);
    }
  };

  /**
   * The keep-alive race: a reused connection the app had closed. Sending the request again is
   * safe only when the app cannot have acted on it: nothing of it was written, or the method is
   * safe and the body can be sent again. A POST the app may have read never runs twice.
   */
  #mayRetry(req: OutgoingRequest, exchange: Exchange, error: unknown, signal?: AbortSignal) {
    return retryAllowed({
      method: req.method,
      streamed: isStreamBody(req.body),
      written: exchange.conn.written,
      answered: exchange.answered,
      aborted: signal?.aborted ?? false,
      error,
    });
  }

  #exchange(
    conn: BufferedConn,
    req: OutgoingRequest,
    head: string,
    signal: AbortSignal | undefined,
    keepAlive: boolean,
  ): Promise<IncomingResponse> {
    const exchange = new Exchange(conn, req, head, { signal, keepAlive, release: this.#release });
    return exchange.start(this.#maxHeadBytes);
  }

  #release = (conn: BufferedConn, reusable: boolean): void => {
    if (reusable && !this.#closed) this.#pool.put(conn);
    else conn.close();
  };

  async #connect(signal: AbortSignal | undefined): Promise<BufferedConn> {
    const hostname = this.#hostname;
    const port = this.#port;
    const tcp = await Deno.connect(signal ? { hostname, port, signal } : { hostname, port });
    if (this.#closed) {
      tcp.close();
      throw new Deno.errors.Interrupted("The HTTP client was closed");
    }
    tcp.setNoDelay(true);
    this.stats.connectionsOpened++;
    const conn = new BufferedConn(tcp, (conn) => this.#open.delete(conn));
    this.#open.add(conn);
    return conn;
  }

  async dropIdle(): Promise<void> {
    await this.#pool.closeAll();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#pool.closeAll();
    const conns = [...this.#open];
    for (const conn of conns) conn.close();
    await Promise.all(conns.map((conn) => conn.settled()));
  }
}

/**
 * Whether a request that failed on a reused connection may be sent again on a new one: the
 * failure is the peer being gone, the app sent nothing back, the caller did not give up, the
 * body can be sent again, and either no byte of the request was written or the method is safe.
 */
export function retryAllowed(attempt: {
  method: string;
  streamed: boolean;
  written: number;
  answered: boolean;
  aborted: boolean;
  error: unknown;
}): boolean {
  if (attempt.aborted || attempt.answered || attempt.streamed) return false;
  if (!isConnectionError(attempt.error)) return false;
  return attempt.written === 0 || REPLAYABLE_METHODS.has(attempt.method);
}

function isConnectionError(err: unknown): boolean {
  return CONNECTION_ERRORS.some((type) => err instanceof type);
}
