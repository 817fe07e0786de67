import assert from "node:assert/strict";
import { createHttpClient } from "../http/client.ts";
import { createLogger } from "../util/log.ts";
import { probeOnce, type ReadinessOptions, waitUntilReady } from "./readiness.ts";
import { startReadiness } from "./readiness_gate.ts";
import { parseStatusRanges } from "../config/status_codes.ts";
import { ManualClock } from "../../tests/support/manual_clock.ts";

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
  // The connections are held open and never answered: only the probe's timeout ends it.
  const result = await probeOnce(readiness, 200);
  assert.equal(result.ready, false);
  assert.equal(result.timedOut, true);
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

/** Readiness over TCP on `clock`, the connection refused until `ready()` says otherwise. */
function onClock(clock: ManualClock, ready: () => boolean) {
  const lines: string[] = [];
  const readiness: ReadinessOptions = {
    protocol: "tcp",
    hostname: "127.0.0.1",
    port: 8080,
    path: "/",
    healthyStatus: parseStatusRanges("200"),
    client: () => Promise.reject(new Error("a TCP check sends no request")),
    log: createLogger({ write: (line) => lines.push(line) }),
    connect: () =>
      ready()
        ? Promise.resolve()
        : Promise.reject(new Deno.errors.ConnectionRefused("Connection refused (os error 111)")),
    clock,
  };
  const progress = () =>
    lines.flatMap((line) => /app is not ready after (\d+)ms/.exec(line)?.[1] ?? []);
  return { readiness, lines, progress };
}

Deno.test("waitUntilReady() logs progress every 2 s of its clock, with the reason", async () => {
  const clock = new ManualClock();
  let ready = false;
  const { readiness, lines, progress } = onClock(clock, () => ready);
  const waiting = waitUntilReady(readiness);
  for (
    const [step, logged] of [[1990, []], [10, ["2000"]], [1990, ["2000"]], [10, [
      "2000",
      "4000",
    ]]] as const
  ) {
    await clock.untilPending();
    clock.advance(step);
    await clock.untilPending();
    assert.deepEqual(progress(), logged);
  }
  assert.match(
    lines[0]!,
    /url=tcp:\/\/127\.0\.0\.1:8080 reason="Connection refused \(os error 111\)"/,
  );
  ready = true;
  clock.advance(10);
  assert.deepEqual(await waiting, { elapsedMs: 4010, probes: 6 });
});

Deno.test("startReadiness() ends init at the async budget; invocations wait for the same check", async () => {
  const clock = new ManualClock();
  let ready = false;
  const { readiness } = onClock(clock, () => ready);
  const { gate, init } = startReadiness(readiness, { asyncInitBudgetMs: 9800 });
  let ended = false;
  init.then(() => ended = true);
  await clock.untilPending(2);
  clock.advance(9799);
  await clock.untilPending(2);
  assert.equal(ended, false);
  clock.advance(1);
  assert.deepEqual(await init, { ready: false, elapsedMs: 9800 });
  let waited = false;
  const waiting = gate.wait(new AbortController().signal).then(() => waited = true);
  await clock.untilPending();
  assert.equal(waited, false);
  ready = true;
  clock.advance(10);
  await waiting;
  assert.equal(gate.ready, true);
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
