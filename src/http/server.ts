/**
 * A small HTTP/1.1 server on `Deno.listen`, a drop-in for the part of `Deno.serve` the emulator
 * uses, plus what `Deno.serve` cannot do: hand over chunked request trailers (the Lambda Runtime
 * API reports mid-stream errors in them) and notice a client that disconnects while its request
 * is waiting.
 *
 * Connections are kept alive (RFC 9112 9.3), pipelined requests answered in order, request
 * bodies streamed from the socket as the handler reads them, responses sent with
 * `Content-Length` when their body is at hand and chunked, flushed chunk by chunk, when it is a
 * stream.
 *
 * @example
 * ```ts
 * const server = serveHttp({ hostname: "127.0.0.1", port: 0 }, async (request, info) => {
 *   const body = await request.text();
 *   const trailers = await info.trailers;
 *   return new Response(`${body.length} bytes, ${[...trailers].length} trailers`);
 * });
 * await server.shutdown();
 * ```
 *
 * @module
 */

import {
  type ConnectionOptions,
  type HttpHandler,
  serveConnection,
  type ServerConnection,
} from "./server_conn.ts";

export type { HttpHandler, RequestInfo } from "./server_conn.ts";

/** Where to listen and how to behave. */
export interface ServeHttpOptions {
  /** Interface to listen on, e.g. `"127.0.0.1"`. */
  hostname: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Aborting it shuts the server down, as `shutdown()` does. */
  signal?: AbortSignal;
  /** Called once the listener is bound, with its address. */
  onListen?(addr: Deno.NetAddr): void;
  /** Largest request head and chunked trailer section. Default 64 KiB; beyond it, 431. */
  maxHeadBytes?: number;
  /**
   * How long `shutdown()` lets in-flight exchanges finish before closing their connections
   * anyway. Default 5000 ms.
   */
  graceMs?: number;
  /** Turns a handler's exception into a response. Default: a plain 500. */
  onError?(error: unknown): Response | Promise<Response>;
}

/** A listening server. */
export interface HttpServer extends AsyncDisposable {
  /** The bound address (with the real port when 0 was asked for). */
  readonly addr: Deno.NetAddr;
  /** Resolves once the server has shut down and every connection is closed. */
  readonly finished: Promise<void>;
  /**
   * Stops accepting, closes idle connections at once and the others after their response in
   * flight (or after `graceMs`), and resolves when every connection is closed. Idempotent.
   */
  shutdown(): Promise<void>;
}

/** What `Deno.serve` answers when a handler throws. */
function internalError(): Response {
  return new Response("Internal Server Error", { status: 500 });
}

/** Starts serving `handler` on `options.hostname:options.port`. Throws if the port is taken. */
export function serveHttp(options: ServeHttpOptions, handler: HttpHandler): HttpServer {
  const listener = Deno.listen({ hostname: options.hostname, port: options.port });
  const addr = listener.addr;
  const connectionOptions: ConnectionOptions = {
    handler,
    maxHeadBytes: options.maxHeadBytes ?? 64 * 1024,
    localAuthority: addr.hostname.includes(":")
      ? `[${addr.hostname}]:${addr.port}`
      : `${addr.hostname}:${addr.port}`,
    onError: options.onError ?? internalError,
  };
  const graceMs = options.graceMs ?? 5000;
  const connections = new Set<ServerConnection>();
  const finished = Promise.withResolvers<void>();
  let stopping = false;
  let closing: Promise<void> | undefined;

  async function accept(): Promise<void> {
    while (!stopping) {
      let tcp: Deno.TcpConn;
      try {
        tcp = await listener.accept();
      } catch (error) {
        if (stopping || error instanceof Deno.errors.BadResource) return;
        // Out of descriptors and the like: give the system a moment instead of spinning.
        await new Promise((resolve) => setTimeout(resolve, 10));
        continue;
      }
      if (stopping) {
        tcp.close();
        return;
      }
      // Small writes (a chunk, a long poll's answer) must leave at once, not wait for Nagle.
      tcp.setNoDelay(true);
      const connection = serveConnection(tcp, connectionOptions);
      connections.add(connection);
      connection.done.then(() => connections.delete(connection));
    }
  }

  const accepting = accept();

  function shutdown(): Promise<void> {
    closing ??= (async () => {
      stopping = true;
      options.signal?.removeEventListener("abort", onAbort);
      try {
        listener.close();
      } catch {
        // Already closed.
      }
      await accepting;
      const open = [...connections];
      for (const connection of open) connection.shutdown();
      const timer = setTimeout(() => {
        for (const connection of open) connection.close();
      }, graceMs);
      try {
        await Promise.all(open.map((connection) => connection.done));
      } finally {
        clearTimeout(timer);
      }
      finished.resolve();
    })();
    return closing;
  }

  function onAbort(): void {
    shutdown();
  }

  if (options.signal?.aborted) shutdown();
  else options.signal?.addEventListener("abort", onAbort, { once: true });
  options.onListen?.(addr);

  return {
    addr,
    finished: finished.promise,
    shutdown,
    [Symbol.asyncDispose]: shutdown,
  };
}
