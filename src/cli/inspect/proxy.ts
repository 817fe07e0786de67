/**
 * The recording proxy of `emulate --inspect`: the adapter is pointed at it instead of the app,
 * and it passes every byte on unchanged, both ways, as it arrives, while an `HttpTap` reads the
 * requests and responses going through. The adapter is not changed at all; only `emulate`
 * records. A request carries its Lambda request id in `x-amzn-lambda-context`, which ties it
 * to its invocation; requests without one (the readiness check) are not recorded.
 *
 * @module
 */

import { systemClock } from "../../util/clock.ts";
import { HttpTap } from "./http_tap.ts";
import type { AppRequest, AppResponse } from "./record.ts";

/** Where recorded exchanges go. */
export interface ProxyEvents {
  /** A request's head went to the app; its body keeps arriving in `request`. */
  onRequest(requestId: string, request: AppRequest): void;
  /** The app's response head came back; its body keeps arriving in `response`. */
  onResponse(requestId: string, response: AppResponse): void;
}

/** A listening proxy. */
export interface RecordingProxy {
  /** The free port it got; the adapter's `AWS_LWA_PORT` points here. */
  readonly port: number;
  /** Stops listening and cuts every connection. */
  close(): void;
}

/** Starts a proxy on `hostname` (a free port) to the app at `target`. */
export function startProxy(
  hostname: string,
  target: { hostname: string; port: number },
  events: ProxyEvents,
): RecordingProxy {
  const listener = Deno.listen({ hostname, port: 0 });
  const open = new Set<Deno.Conn>();
  (async () => {
    for await (const conn of listener) {
      open.add(conn);
      relay(conn, target, events, open).finally(() => open.delete(conn));
    }
  })().catch(() => {}); // closed
  return {
    port: (listener.addr as Deno.NetAddr).port,
    close() {
      listener.close();
      for (const conn of open) close(conn);
    },
  };
}

/** One connection from the adapter, relayed to a new connection to the app. */
async function relay(
  adapter: Deno.Conn,
  target: { hostname: string; port: number },
  events: ProxyEvents,
  open: Set<Deno.Conn>,
): Promise<void> {
  let app: Deno.Conn;
  try {
    app = await Deno.connect(target);
  } catch {
    close(adapter); // as the adapter would find the app: not listening
    return;
  }
  open.add(app);
  const tap = new HttpTap({
    onRequest: (request) => {
      const id = requestIdOf(request);
      if (id !== undefined) events.onRequest(id, request);
    },
    onResponse: (request, response) => {
      const id = requestIdOf(request);
      if (id !== undefined) events.onResponse(id, response);
    },
  }, systemClock);
  await Promise.all([
    pipe(adapter, app, (bytes) => tap.fromAdapter(bytes)),
    pipe(app, adapter, (bytes) => tap.fromApp(bytes)).finally(() => tap.appClosed()),
  ]);
  open.delete(app);
  close(app);
  close(adapter);
}

/** Copies `from` to `to` as it arrives, showing each piece to `seen`; half-closes at the end. */
async function pipe(from: Deno.Conn, to: Deno.Conn, seen: (bytes: Uint8Array) => void) {
  const buffer = new Uint8Array(64 * 1024);
  try {
    for (;;) {
      const read = await from.read(buffer);
      if (read === null) break;
      const bytes = buffer.subarray(0, read);
      seen(bytes);
      for (let written = 0; written < read;) written += await to.write(bytes.subarray(written));
    }
    await to.closeWrite();
  } catch {
    // One side went away: so does the other.
    close(from);
    close(to);
  }
}

function close(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Already closed.
  }
}

/** The Lambda request id the adapter put in `x-amzn-lambda-context`. */
function requestIdOf(request: AppRequest): string | undefined {
  const header = request.headers.find(([name]) => name.toLowerCase() === "x-amzn-lambda-context");
  if (!header) return undefined;
  try {
    const id = JSON.parse(header[1]).request_id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}
