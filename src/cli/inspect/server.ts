/**
 * The inspector's web server: the page, a JSON API over the recorded invocations, downloads,
 * replay, and server-sent events that keep the page live. Listens on 127.0.0.1 only: it shows
 * (and replays) what the function received.
 *
 * @module
 */

import { Hono } from "npm:hono@4.13.19";
import { type SSEStreamingApi, streamSSE } from "npm:hono@4.13.19/streaming";
import { PAGE_HTML } from "./page.ts";
import { PAGE_SCRIPT } from "./page_script.ts";
import { type CapturedBody, type InvocationRecord, summaryOf } from "./record.ts";
import { type InvocationStore, KEPT_INVOCATIONS } from "./store.ts";
import { detailView, downloadBytes, type ViewOptions } from "./views.ts";

/** What the server serves. */
export interface ServerOptions extends ViewOptions {
  /** The invocations the page lists and shows. */
  readonly store: InvocationStore;
  /** Invokes the function with `event`; resolves with the new record's number once it began. */
  readonly invoke: (event: Uint8Array, via: string) => Promise<number>;
  /** Shown in the page's header. */
  readonly about: Record<string, string | number>;
  /** Aborted when emulate stops: open event streams end, so the server can shut down. */
  readonly closing: AbortSignal;
}

/** The routes as a handler: what `Deno.serve` and the tests use of the app. */
export interface InspectorApp {
  /** Answers one request; given to `Deno.serve`. */
  readonly fetch: (request: Request) => Response | Promise<Response>;
  /** Answers a request for `input`, a path or URL, without a server (tests). */
  readonly request: (
    input: string | URL | Request,
    init?: RequestInit,
  ) => Response | Promise<Response>;
}

/** The routes; see the module doc. */
export function inspectorApp(options: ServerOptions): InspectorApp {
  const app = new Hono();
  app.get("/", (c) => c.html(PAGE_HTML));
  app.get("/app.js", (c) => c.body(PAGE_SCRIPT, 200, { "content-type": "text/javascript" }));
  addReadRoutes(app, options);
  addInvokeRoutes(app, options);
  app.get("/api/stream", (c) => streamSSE(c, (stream) => followStore(stream, options)));
  return app;
}

/** The list, one invocation's detail, its bodies and its event as downloads. */
function addReadRoutes(app: Hono, options: ServerOptions): void {
  const { store } = options;
  app.get("/api/invocations", (c) =>
    c.json({
      kept: KEPT_INVOCATIONS,
      about: options.about,
      showSecrets: options.showSecrets,
      invocations: store.list().map(summaryOf),
    }));
  app.get("/api/invocations/:seq", (c) => {
    const found = keptRecord(store, c.req.param("seq"));
    return found ? c.json(detailView(found, options)) : c.json({ error: "no longer kept" }, 404);
  });
  app.get("/api/invocations/:seq/download/:part", (c) => {
    const found = keptRecord(store, c.req.param("seq"));
    const part = found && partOf(found, c.req.param("part"));
    if (!part) return c.json({ error: "no such body" }, 404);
    const name = `invocation-${found.seq}-${c.req.param("part")}.${part.json ? "json" : "bin"}`;
    return download(downloadBytes(part.body, part.json, options), name);
  });
  app.get("/api/invocations/:seq/fixture", (c) => {
    const found = keptRecord(store, c.req.param("seq"));
    if (!found) return c.json({ error: "no longer kept" }, 404);
    return download(downloadBytes(found.event, true, options), fixtureName(found));
  });
}

/** Replay of a kept event, and "Edit and send" of any event. */
function addInvokeRoutes(app: Hono, options: ServerOptions): void {
  app.post("/api/invocations/:seq/replay", async (c) => {
    const found = keptRecord(options.store, c.req.param("seq"));
    if (!found) return c.json({ error: "no longer kept" }, 404);
    if (found.event.truncated) return c.json({ error: "the event was not kept whole" }, 409);
    return c.json({ seq: await options.invoke(found.event.bytes, `replay of #${found.seq}`) });
  });
  app.post("/api/invoke", async (c) => {
    const event = new Uint8Array(await c.req.arrayBuffer());
    return c.json({ seq: await options.invoke(event, "edited") });
  });
}

/** Sends each invocation's summary as it changes, until the page goes or emulate stops. */
async function followStore(stream: SSEStreamingApi, options: ServerOptions): Promise<void> {
  const { promise, resolve } = Promise.withResolvers<void>();
  const unsubscribe = options.store.subscribe((summary) => {
    stream.writeSSE({ event: "invocation", data: JSON.stringify(summary) }).catch(resolve);
  });
  stream.onAbort(resolve);
  options.closing.addEventListener("abort", () => resolve(), { once: true });
  await stream.writeSSE({ event: "hello", data: "{}" });
  await promise;
  unsubscribe();
}

/** The record numbered `seq` (a path parameter), while the store still keeps it. */
function keptRecord(store: InvocationStore, seq: string): InvocationRecord | undefined {
  return store.get(Number(seq));
}

function partOf(found: InvocationRecord, part: string) {
  const pick = (body: CapturedBody | undefined, json: boolean) => body ? { body, json } : undefined;
  switch (part) {
    case "event":
      return pick(found.event, true);
    case "request":
      return pick(found.appRequest?.body, false);
    case "response":
      return pick(found.appResponse?.body, false);
    case "result":
      return found.result && "body" in found.result ? pick(found.result.body, true) : undefined;
  }
  return undefined;
}

function download(bytes: Uint8Array, name: string): Response {
  return new Response(bytes.slice(), {
    headers: {
      "content-type": "application/octet-stream",
      "content-disposition": `attachment; filename="${name}"`,
    },
  });
}

/** `rest-api-post-items-1.json`: what `lambda-adapter invoke` is given back. */
function fixtureName(found: InvocationRecord): string {
  const slug = `${found.source}-${found.method}-${found.path}`.toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 80);
  return `${slug || "event"}.json`;
}
