/**
 * The app the forwarding benchmark puts behind the adapter: as little work as possible, so the
 * measurement is the adapter's. `POST` reads the body and answers "ok"; `GET /text/{n}` and
 * `GET /binary/{n}` answer n bytes (text/plain or application/octet-stream); `GET /ttfb` writes
 * one small chunk at once and ends 50 ms later; `GET /stream/{n}` streams n bytes in 64 KiB
 * chunks.
 *
 * @module
 */

const port = Number(Deno.env.get("PORT") ?? "0");
const bodies = new Map<string, Uint8Array<ArrayBuffer>>();

function body(kind: string, size: number): Uint8Array<ArrayBuffer> {
  const key = `${kind}/${size}`;
  let bytes = bodies.get(key);
  if (!bytes) {
    bytes = new Uint8Array(size);
    if (kind === "text") bytes.fill(120);
    else for (let i = 0; i < size; i++) bytes[i] = (i * 31) % 256;
    bodies.set(key, bytes);
  }
  return bytes;
}

// deno-lint-ignore no-console -- the harness reads the port it got from this line
const onListen = ({ port }: { port: number }) => console.log(`bench app listening on ${port}`);
Deno.serve({ hostname: "127.0.0.1", port, onListen }, async (request) => {
  if (request.method === "POST") {
    await request.arrayBuffer();
    return new Response("ok", { headers: { "content-type": "text/plain" } });
  }
  const [, kind = "text", size = "0"] = new URL(request.url).pathname.split("/");
  if (kind === "ttfb") return new Response(ttfb(), { headers: { "content-type": "text/plain" } });
  if (kind === "stream") {
    return new Response(stream(Number(size)), {
      headers: { "content-type": "application/octet-stream" },
    });
  }
  const type = kind === "text" ? "text/plain" : "application/octet-stream";
  return new Response(body(kind, Number(size)), { headers: { "content-type": type } });
});

function ttfb(): ReadableStream<Uint8Array> {
  let step = 0;
  return new ReadableStream({
    async pull(controller) {
      if (step++ === 0) return controller.enqueue(new TextEncoder().encode("first"));
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.enqueue(new TextEncoder().encode("rest"));
      controller.close();
    },
  }, { highWaterMark: 0 });
}

const CHUNK = body("binary", 65536);

function stream(total: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(CHUNK.byteLength, total - sent);
      controller.enqueue(size === CHUNK.byteLength ? CHUNK.slice() : CHUNK.slice(0, size));
      sent += size;
    },
  }, { highWaterMark: 0 });
}
