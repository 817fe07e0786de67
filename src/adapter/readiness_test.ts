import assert from "node:assert/strict";
import { createHttpClient } from "../http/client.ts";
import { createLogger } from "../util/log.ts";
import { probeOnce, type ReadinessOptions, waitUntilReady } from "./readiness.ts";
import { startReadiness } from "./readiness_gate.ts";
import { parseStatusRanges } from "../config/status_codes.ts";

function serve(handler: (request: Request) => Response | Promise<Response>) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  return server;
}

function options(port: number, extra: Partial<ReadinessOptions> = {}) {
  const client = createHttpClient({ hostname: "127.0.0.1", port });
  const lines: string[] = [];
  const readiness: ReadinessOptions = {
    protocol: "http",
    hostname: "127.0.0.1",
    port,
    path: "/ready",
    healthyStatus: parseStatusRanges("100-499"),
    client: client.request,
    log: createLogger({ write: (line) => lines.push(line) }),
    ...extra,
  };
  return { readiness, lines, close: () => client.close() };
}

Deno.test("probeOnce() judges the status by the healthy list", async () => {
  let status = 200;
  await using server = serve(() => new Response("x", { status }));
  const { readiness, close } = options(server.addr.port, {
    healthyStatus: parseStatusRanges("200-399"),
  });
  assert.deepEqual(await probeOnce(readiness, 500), {
    ready: true,
    detail: "status 200",
    timedOut: false,
  });
  status = 403;
  assert.deepEqual(await probeOnce(readiness, 500), {
    ready: false,
    detail: "status 403",
    timedOut: false,
  });
  await close();
});

Deno.test("probeOnce() times out on an app that accepts and never answers", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  const { readiness, close } = options((listener.addr as Deno.NetAddr).port);
  const started = performance.now();
  const result = await probeOnce(readiness, 200);
  assert.equal(result.ready, false);
  assert.equal(result.timedOut, true);
  assert.ok(performance.now() - started < 1000);
  await close();
  listener.close();
  await accepting.catch(() => {});
  for (const conn of held) conn.close();
});

Deno.test("probeOnce() over TCP only needs the port to accept", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const { readiness, close } = options(port, { protocol: "tcp" });
  assert.equal((await probeOnce(readiness, 500)).ready, true);
  listener.close();
  const refused = await probeOnce(readiness, 500);
  assert.equal(refused.ready, false);
  assert.match(refused.detail, /refused/i);
  await close();
});

Deno.test("waitUntilReady() probes until healthy and logs progress", async () => {
  let calls = 0;
  await using server = serve(() => new Response("", { status: ++calls < 5 ? 503 : 200 }));
  const { readiness, lines, close } = options(server.addr.port, {
    healthyStatus: parseStatusRanges("200"),
    progressEveryMs: 20,
  });
  const { probes } = await waitUntilReady(readiness);
  assert.equal(probes, 5);
  assert.ok(lines.some((line) => /app is not ready after \d+ms .*reason="status 503"/.test(line)));
  await close();
});

Deno.test("startReadiness() shares one check between start-up and invocations", async () => {
  let ready = false;
  let hits = 0;
  await using server = serve(() => {
    hits++;
    return new Response("", { status: ready ? 200 : 503 });
  });
  const { readiness, close } = options(server.addr.port, {
    healthyStatus: parseStatusRanges("200"),
  });
  const { gate, init } = startReadiness(readiness, { asyncInitBudgetMs: 50 });
  assert.deepEqual((await init).ready, false);
  assert.equal(gate.ready, false);
  const waiters = [gate.wait(AbortSignal.timeout(5000)), gate.wait(AbortSignal.timeout(5000))];
  const before = hits;
  ready = true;
  await Promise.all(waiters);
  assert.equal(gate.ready, true);
  // One loop served both waiters: at most a probe or two after the switch, not one per waiter.
  assert.ok(hits - before <= 3, `${hits - before} probes`);
  await close();
});
