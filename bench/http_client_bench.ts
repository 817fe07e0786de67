/**
 * Our HTTP/1.1 client against `fetch`, both talking to the same `Deno.serve` app on 127.0.0.1,
 * one request at a time, every response body read to the end.
 *
 * Run: deno bench --allow-net bench/http_client_bench.ts
 *
 * @module
 */

import { createHttpClient } from "../src/http/client.ts";

const SIZES: [label: string, bytes: number][] = [
  ["0 B", 0],
  ["1 KiB", 1024],
  ["64 KiB", 64 * 1024],
  ["1 MiB", 1024 * 1024],
];
const bodies = new Map(SIZES.map(([, size]) => [size, new Uint8Array(size).fill(120)]));
const upload = new Uint8Array(1024 * 1024).fill(121);

const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
  if (req.method === "POST") {
    await req.arrayBuffer();
    return new Response("ok");
  }
  const size = Number(new URL(req.url).searchParams.get("size"));
  return new Response(bodies.get(size));
});
// Let the bench process exit once the benchmarks are done.
server.unref();

const origin = `http://127.0.0.1:${server.addr.port}`;
const client = createHttpClient({ hostname: "127.0.0.1", port: server.addr.port });

async function drain(body: ReadableStream<Uint8Array> | null): Promise<number> {
  if (body === null) return 0;
  let total = 0;
  for await (const chunk of body) total += chunk.length;
  return total;
}

for (const [label, size] of SIZES) {
  const group = `GET ${label}`;
  Deno.bench({ name: `fetch GET ${label}`, group, baseline: true }, async () => {
    const res = await fetch(`${origin}/?size=${size}`, { redirect: "manual" });
    if ((await drain(res.body)) !== size) throw new Error("short body");
  });
  Deno.bench({ name: `client GET ${label}`, group }, async () => {
    const res = await client.request({ method: "GET", target: `/?size=${size}`, headers: [] });
    if ((await drain(res.body)) !== size) throw new Error("short body");
  });
}

Deno.bench({ name: "fetch POST 1 MiB", group: "POST 1 MiB", baseline: true }, async () => {
  const res = await fetch(origin, { method: "POST", body: upload, redirect: "manual" });
  await drain(res.body);
});
Deno.bench({ name: "client POST 1 MiB", group: "POST 1 MiB" }, async () => {
  const res = await client.request({ method: "POST", target: "/", headers: [], body: upload });
  await drain(res.body);
});
