/**
 * The HTTP transport: serves a `Handler` with `node:http`, which hands over the chunked trailers
 * a streaming response reports its errors in (`req.trailers`) and reports at once a client that
 * leaves a parked long poll (`close`), where `Deno.serve` notices only when writing to it. The
 * adapter never loads this module (node:http costs it start-up time and memory).
 *
 * @module
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Handler } from "./handler.ts";
import { sleep } from "../util/async.ts";

/** A listening server. */
export interface ServedHandler {
  /** The address it listens on. */
  readonly hostname: string;
  /** The port it got. */
  readonly port: number;
  /** Stops accepting, waits for in-flight requests to be answered, and closes. */
  close(): Promise<void>;
}

/** How long `close()` lets requests in flight finish before cutting their connections. */
const CLOSE_GRACE_MS = 5000;

/** Starts serving `handler` on `hostname:port` (port 0 picks a free one). */
export function serveHandler(
  handler: Handler,
  hostname: string,
  port: number,
): Promise<ServedHandler> {
  const inFlight = new Set<Promise<void>>();
  // No idle or request timeouts: Lambda's runtimes keep one connection for a whole life, and a
  // streamed response may run for the 15 minutes a function may.
  const server = createServer({ keepAliveTimeout: 0, requestTimeout: 0 }, (req, res) => {
    const exchange = serve(handler, req, res)
      .catch(() => {
        res.destroy();
      })
      .finally(() => inFlight.delete(exchange));
    inFlight.add(exchange);
  });
  server.keepAliveTimeout = 0;
  let closing: Promise<void> | undefined;
  const close = () =>
    closing ??= new Promise<void>((closed) => {
      server.close(() => closed());
      server.closeIdleConnections();
      const grace = sleep(CLOSE_GRACE_MS);
      Promise.race([Promise.all(inFlight), grace]).then(() => server.closeAllConnections());
    });
  return new Promise((resolve, reject) => {
    server.once("error", (error) => reject(denoError(error)));
    server.listen(port, hostname, () => {
      const { address, port } = server.address() as AddressInfo;
      resolve({ hostname: address, port, close });
    });
  });
}

/** node:http's listen errors as the `Deno.errors` a `Deno.listen` caller expects. */
function denoError(error: Error & { code?: string }): Error {
  const kinds: Record<string, new (message: string) => Error> = {
    EADDRINUSE: Deno.errors.AddrInUse,
    EADDRNOTAVAIL: Deno.errors.AddrNotAvailable,
    EACCES: Deno.errors.PermissionDenied,
  };
  const Kind = error.code ? kinds[error.code] : undefined;
  return Kind ? new Kind(error.message) : error;
}

/** `host:port`, with IPv6 hosts in brackets as URLs and `AWS_LAMBDA_RUNTIME_API` need them. */
export function hostPort(hostname: string, port: number): string {
  return hostname.includes(":") ? `[${hostname}]:${port}` : `${hostname}:${port}`;
}

async function serve(handler: Handler, req: IncomingMessage, res: ServerResponse) {
  // A client that leaves before its answer aborts the request, so a parked poll is dropped.
  const left = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) left.abort(new Error("The client disconnected"));
  });
  let request: Request;
  const body = hasBody(req) ? bodyOf(req) : undefined;
  try {
    request = new Request(urlOf(req), {
      method: req.method ?? "GET",
      headers: pairs(req.rawHeaders),
      body: body?.stream ?? null,
      signal: left.signal,
      duplex: "half",
    } as RequestInit);
  } catch (error) {
    return send(res, new Response(`Bad request: ${(error as Error).message}`, { status: 400 }));
  }
  const trailers = body?.trailers ?? Promise.resolve(new Headers());
  await send(res, await handler(request, { trailers }));
  // Whatever the handler left unread is drained, so the connection serves the next request.
  body?.drain();
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers["content-length"] !== undefined ||
    req.headers["transfer-encoding"] !== undefined;
}

function urlOf(req: IncomingMessage): string {
  const target = req.url ?? "/";
  return target.startsWith("/") ? `http://${req.headers.host ?? "localhost"}${target}` : target;
}

function pairs(raw: string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) result.push([raw[i]!, raw[i + 1]!]);
  return result;
}

/**
 * The request body as a stream fed as it arrives (the runtime's chunks keep their timing), and
 * the trailers once it has ended. A cancelled body is drained unread, so the connection can
 * serve the next request; a client that leaves mid-body fails both.
 */
function bodyOf(req: IncomingMessage) {
  const trailers = Promise.withResolvers<Headers>();
  trailers.promise.catch(() => {});
  let open = true;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Uint8Array) => {
        if (!open) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once("end", () => {
        trailers.resolve(new Headers(pairs(req.rawTrailers)));
        if (open) controller.close();
        open = false;
      });
      const fail = () => {
        const error = new Error("The request body ended early: the client left mid-body");
        trailers.reject(error);
        if (open) controller.error(error);
        open = false;
      };
      req.once("aborted", fail);
      req.once("error", fail);
      req.once("close", () => req.complete || fail());
    },
    pull() {
      req.resume();
    },
    cancel: () => drain(),
  }, { highWaterMark: 1 });
  const drain = () => {
    open = false;
    req.resume();
  };
  return { stream, trailers: trailers.promise, drain };
}

/** Writes a (small, complete) API answer, with Content-Length. */
async function send(res: ServerResponse, response: Response): Promise<void> {
  const body = new Uint8Array(await response.arrayBuffer());
  if (res.destroyed) return;
  res.statusCode = response.status;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.end(body);
}
