// deno-lint-ignore-file no-console -- a test app reports where it listens
/**
 * A Deno test app behind the adapter. It answers every path with a JSON echo of the request,
 * except a few control paths under `/_/`:
 *
 * - `/_/status/{code}`: that status, body "status {code}"
 * - `/_/bytes/{n}`: n deterministic bytes (i % 256), application/octet-stream
 * - `/_/text/{n}`: n bytes of "x", text/plain
 * - `/_/cookies`: two Set-Cookie fields and a repeated X-Multi header
 * - `/_/sleep/{ms}`: answers after ms milliseconds
 * - `/_/gzip`: a gzip-encoded body with Content-Encoding: gzip
 * - `/_/redirect`: 302 to /elsewhere
 * - `/_/crash`: exits the process without answering
 * - `/_/sse/{n}/{ms}`: n server-sent events, ms apart
 * - `/_/events/{n}/{key}`: n server-sent events, each after the first written only once
 *   `/_/ack/{key}` was requested for the one before: the test confirms each event it received,
 *   so "one by one" is told by order, not by time
 * - `/_/stream/{bytes}`: that many bytes (i % 251), written in 64 KiB chunks as read
 * - `/_/html/{n}`: an HTML page of about n bytes
 * - `/_/meet/{n}/{ms}`: waits until n such requests are in the app at once ("met"), or ms pass
 *   ("alone"): whether requests overlap, told without measuring time
 *
 * An echo waits `?delay=ms` before answering. `PORT` sets the port. With `READY_WHEN_TOLD=1`
 * every request answers 503 until one asks for `/_/ready`: a test decides when the app is up,
 * and a request forwarded too early shows. `LOG_REQUESTS=1` prints `request METHOD /path` as
 * each request arrives, so a test knows it reached the app.
 *
 * @module
 */

const port = Number(Deno.env.get("PORT") ?? "8080");
let ready = Deno.env.get("READY_WHEN_TOLD") !== "1";
const encoder = new TextEncoder();

function bytes(n: number): Uint8Array<ArrayBuffer> {
  const body = new Uint8Array(n);
  for (let i = 0; i < n; i++) body[i] = i % 256;
  return body;
}

function sse(count: number, everyMs: number): Response {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent > 0) await new Promise((resolve) => setTimeout(resolve, everyMs));
      controller.enqueue(encoder.encode(`id: ${sent}\ndata: event ${sent} at ${Date.now()}\n\n`));
      if (++sent === count) controller.close();
    },
  }, { highWaterMark: 0 });
  return new Response(body, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
}

/** Acknowledgements of `/_/events` streams, by key: how many came and who waits for more. */
const acks = new Map<string, { count: number; waiters: (() => void)[] }>();

function acksOf(key: string) {
  let entry = acks.get(key);
  if (!entry) acks.set(key, entry = { count: 0, waiters: [] });
  return entry;
}

async function acknowledged(key: string, count: number): Promise<void> {
  const entry = acksOf(key);
  while (entry.count < count) await new Promise<void>((resolve) => entry.waiters.push(resolve));
}

function acknowledge(key: string): Response {
  const entry = acksOf(key);
  entry.count++;
  for (const resolve of entry.waiters.splice(0)) resolve();
  return new Response(`ack ${entry.count}`);
}

function ackedEvents(count: number, key: string): Response {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await acknowledged(key, sent);
      controller.enqueue(encoder.encode(`id: ${sent}\ndata: event ${sent}\n\n`));
      if (++sent === count) controller.close();
    },
  }, { highWaterMark: 0 });
  return new Response(body, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
}

/** Generated as the client reads, so the app's memory stays flat too. */
function generated(total: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const size = Math.min(65536, total - offset);
      if (size <= 0) return controller.close();
      const chunk = new Uint8Array(size);
      for (let i = 0; i < size; i++) chunk[i] = (offset + i) % 251;
      offset += size;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
}

function html(size: number): string {
  const words = ["lambda", "adapter", "stream", "compress", "header", "body", "event", "deno"];
  let page = "<!doctype html><html><body>";
  for (let i = 0; page.length < size; i++) {
    page += `<p class="w${i % 7}">${words[i % 8]} ${words[(i * 3) % 8]} ${i}</p>\n`;
  }
  return page + "</body></html>";
}

const logRequests = Deno.env.get("LOG_REQUESTS") === "1";

/** Requests waiting in `/_/meet`, each with the resolver that tells it the others came. */
let meeting: (() => void)[] = [];

async function meet(count: number, ms: number): Promise<Response> {
  const met = Promise.withResolvers<string>();
  const arrived = () => met.resolve("met");
  meeting.push(arrived);
  if (meeting.length >= count) { for (const resolve of meeting.splice(0)) resolve(); }
  const timer = setTimeout(() => met.resolve("alone"), ms);
  const outcome = await met.promise;
  clearTimeout(timer);
  meeting = meeting.filter((other) => other !== arrived);
  return new Response(outcome);
}

async function handler(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (logRequests) console.log(`request ${request.method} ${url.pathname}`);
  const [, control, name, arg] = url.pathname.split("/");
  if (url.pathname === "/_/ready") ready = true;
  if (!ready) return new Response("starting", { status: 503 });
  if (url.pathname === "/health") return new Response("ok");
  if (control === "_") {
    switch (name) {
      case "status":
        return new Response(`status ${arg}`, { status: Number(arg) });
      case "bytes":
        return new Response(bytes(Number(arg)), {
          headers: { "content-type": "application/octet-stream" },
        });
      case "text":
        return new Response("x".repeat(Number(arg)), { headers: { "content-type": "text/plain" } });
      case "cookies": {
        const headers = new Headers({ "content-type": "text/plain" });
        headers.append("set-cookie", "a=1; Path=/");
        headers.append("set-cookie", "b=2; HttpOnly");
        return new Response("cookies", { headers });
      }
      case "sleep":
        await new Promise((resolve) => setTimeout(resolve, Number(arg)));
        return new Response(`slept ${arg}`);
      case "gzip": {
        const stream = ReadableStream.from([encoder.encode("compressed by the app")])
          .pipeThrough(new CompressionStream("gzip"));
        return new Response(stream, {
          headers: { "content-encoding": "gzip", "content-type": "text/plain" },
        });
      }
      case "redirect":
        return new Response(null, { status: 302, headers: { location: "/elsewhere" } });
      case "crash":
        Deno.exit(3);
        break;
      case "ready":
        return new Response("ready");
      case "sse":
        return sse(Number(arg), Number(url.pathname.split("/")[4] ?? "100"));
      case "events":
        return ackedEvents(Number(arg), url.pathname.split("/")[4] ?? "");
      case "ack":
        return acknowledge(arg ?? "");
      case "stream":
        return new Response(generated(Number(arg)), {
          headers: { "content-type": "application/octet-stream" },
        });
      case "html":
        return new Response(html(Number(arg)), { headers: { "content-type": "text/html" } });
      case "meet":
        return await meet(Number(arg), Number(url.pathname.split("/")[4] ?? "1000"));
    }
  }
  const body = new Uint8Array(await request.arrayBuffer());
  const delay = Number(url.searchParams.get("delay") ?? "0");
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  return Response.json({
    app: "deno",
    method: request.method,
    path: url.pathname,
    // As received, before URL parsing resolves dot segments.
    target: request.url.slice(request.url.indexOf("/", "http://".length)),
    query: url.search.slice(1),
    headers: [...request.headers],
    body: new TextDecoder().decode(body),
    bodyBase64: body.toBase64(),
  });
}

Deno.serve({
  hostname: "127.0.0.1",
  port,
  onListen: ({ port }) => console.log(`echo app listening on ${port}`),
}, handler);
