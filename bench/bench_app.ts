/**
 * The app the forwarding benchmark puts behind the adapter: as little work as possible, so the
 * measurement is the adapter's. `POST` reads the body and answers "ok"; `GET /text/{n}` and
 * `GET /binary/{n}` answer n bytes (text/plain or application/octet-stream).
 *
 * @module
 */

const port = Number(Deno.env.get("PORT") ?? "8080");
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

Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, async (request) => {
  if (request.method === "POST") {
    await request.arrayBuffer();
    return new Response("ok", { headers: { "content-type": "text/plain" } });
  }
  const [, kind = "text", size = "0"] = new URL(request.url).pathname.split("/");
  const type = kind === "text" ? "text/plain" : "application/octet-stream";
  return new Response(body(kind, Number(size)), { headers: { "content-type": type } });
});
