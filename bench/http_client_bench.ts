// deno-lint-ignore-file no-console -- a benchmark reports what it measured
/**
 * Our HTTP/1.1 client (src/http) against the alternatives the adapter could use instead:
 * `fetch`, `node:http` with a keep-alive agent, and undici (npm, pinned). All four talk to the
 * same app in its own process (bench/bench_app.ts on 127.0.0.1, as the adapter's app is), one
 * request at a time over a kept-alive connection, and read each body whole, as the adapter's
 * buffered mode does.
 *
 * Rounds interleave the clients (in a rotating order) so that load from other processes on a
 * shared machine falls on all of them alike; each round times a batch of requests per client,
 * and the report gives the median time per request over the rounds, and each alternative's
 * median against ours.
 *
 * Run: deno task bench:client [--rounds=N]   (deno run --allow-all bench/http_client_bench.ts)
 *
 * @module
 */

import { Buffer } from "node:buffer";
import * as http from "node:http";
import { Pool } from "npm:undici@8.12.4";
import { createHttpClient } from "../src/http/client.ts";
import { startBenchApp } from "./adapters.ts";
import { loadAverage, median } from "./stats.ts";

const CASES: [label: string, method: "GET" | "POST", bytes: number][] = [
  ["GET 0 B", "GET", 0],
  ["GET 1 KiB", "GET", 1024],
  ["GET 64 KiB", "GET", 64 * 1024],
  ["GET 1 MiB", "GET", 1024 * 1024],
  ["POST 1 MiB", "POST", 1024 * 1024],
];
const rounds = Number(Deno.args.find((arg) => arg.startsWith("--rounds="))?.slice(9) ?? 15);
const upload = new Uint8Array(1024 * 1024).fill(121);

const { port, app } = await startBenchApp();
const origin = `http://127.0.0.1:${port}`;

/** Sends one request and reads the whole answer; resolves to the body's size. */
type Send = (method: "GET" | "POST", size: number) => Promise<number>;

const ours = createHttpClient({ hostname: "127.0.0.1", port });
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const pool = new Pool(origin, { connections: 1 });

const CLIENTS: [name: string, send: Send][] = [
  ["ours", async (method, size) => {
    const res = await ours.request(
      method === "GET"
        ? { method, target: `/text/${size}`, headers: [] }
        : { method, target: "/", headers: [], body: upload },
    );
    return (await res.bytes(Number.POSITIVE_INFINITY)).byteLength;
  }],
  ["fetch", async (method, size) => {
    const res = await fetch(method === "GET" ? `${origin}/text/${size}` : origin, {
      method,
      ...(method === "POST" ? { body: upload } : {}),
    });
    return (await res.arrayBuffer()).byteLength;
  }],
  ["node:http", (method, size) =>
    new Promise((resolve, reject) => {
      const req = http.request({
        hostname: "127.0.0.1",
        port,
        agent,
        method,
        path: method === "GET" ? `/text/${size}` : "/",
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve(Buffer.concat(chunks).byteLength));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(method === "POST" ? upload : undefined);
    })],
  ["undici", async (method, size) => {
    const { body } = await pool.request({
      method,
      path: method === "GET" ? `/text/${size}` : "/",
      ...(method === "POST" ? { body: upload } : {}),
    });
    return (await body.arrayBuffer()).byteLength;
  }],
];

/** Requests per timed batch: enough for the timer's resolution, few for large bodies. */
function batchFor(size: number): number {
  return size >= 1024 * 1024 ? 10 : size >= 64 * 1024 ? 50 : 200;
}

async function measure(label: string, method: "GET" | "POST", size: number) {
  const batch = batchFor(size);
  const expected = method === "GET" ? size : 2;
  const samples = new Map(CLIENTS.map(([name]) => [name, [] as number[]]));
  for (const [, send] of CLIENTS) {
    for (let i = 0; i < batch; i++) await send(method, size);
  }
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < CLIENTS.length; k++) {
      const [name, send] = CLIENTS[(round + k) % CLIENTS.length]!;
      const started = performance.now();
      for (let i = 0; i < batch; i++) {
        if ((await send(method, size)) !== expected) throw new Error(`${name}: short body`);
      }
      samples.get(name)!.push((performance.now() - started) * 1000 / batch);
    }
  }
  const medians = new Map([...samples].map(([name, values]) => [name, median(values)]));
  const base = medians.get("ours")!;
  const cells = [...medians].map(([name, us]) =>
    name === "ours"
      ? `ours ${us.toFixed(0)} µs`
      : `${name} ${us.toFixed(0)} µs (${(us / base).toFixed(2)}x ours)`
  );
  console.log(`${label.padEnd(11)} ${cells.join(", ")}`);
}

console.log(
  `Median time per request over ${rounds} rounds (load average ${loadAverage().toFixed(2)}):`,
);
for (const [label, method, size] of CASES) await measure(label, method, size);
console.log(`load average after: ${loadAverage().toFixed(2)}`);
await ours.close();
await pool.close();
agent.destroy();
await app[Symbol.asyncDispose]();
