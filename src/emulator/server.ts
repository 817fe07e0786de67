/**
 * The HTTP transport: serves a `Handler` with our own HTTP/1.1 server (`src/http/server.ts`)
 * rather than `Deno.serve`, which cannot hand over the chunked trailers a streaming response
 * reports its errors in, and notices a disconnected long poll only when writing to it.
 *
 * @module
 */

import { serveHttp } from "../http/server.ts";
import type { Handler } from "./handler.ts";

/** A listening server. */
export interface ServedHandler {
  readonly hostname: string;
  readonly port: number;
  /** Stops accepting, waits for in-flight requests to be answered, and closes. */
  close(): Promise<void>;
}

/** Starts serving `handler` on `hostname:port` (port 0 picks a free one). */
export function serveHandler(handler: Handler, hostname: string, port: number): ServedHandler {
  const server = serveHttp({ hostname, port }, (request, info) => handler(request, info));
  return {
    hostname: server.addr.hostname,
    port: server.addr.port,
    close: () => server.shutdown(),
  };
}

/** `host:port`, with IPv6 hosts in brackets as URLs and `AWS_LAMBDA_RUNTIME_API` need them. */
export function hostPort(hostname: string, port: number): string {
  return hostname.includes(":") ? `[${hostname}]:${port}` : `${hostname}:${port}`;
}
