import assert from "node:assert/strict";
import type { Outcome } from "./handler.ts";
import type { HeaderList } from "../http/types.ts";
import type { Invocation } from "../lambda/invocation.ts";
import {
  type ErrorReport,
  type NextInvocation,
  type RuntimeApi,
  RuntimeApiError,
} from "../lambda/runtime_api.ts";
import { createLogger } from "../util/log.ts";
import { ManualClock } from "../../tests/support/manual_clock.ts";
import { runWorker } from "./worker.ts";

const text = new TextEncoder();

function next(requestId: string | undefined, body = "{}"): NextInvocation {
  const headers: HeaderList = [["lambda-runtime-deadline-ms", `${Date.now() + 3000}`]];
  if (requestId) headers.push(["lambda-runtime-aws-request-id", requestId]);
  return { headers, payload: text.encode(body) };
}

/**
 * A Runtime API that hands out `queue` (a thrown Error entry fails that /next call), then waits.
 * `drained` resolves when the worker asks for more after the last entry: everything before it
 * has been answered, since a worker posts each result before it polls again.
 */
function fakeRuntime(queue: (NextInvocation | Error)[], options: { respondStatus?: number } = {}) {
  const posted: { kind: string; requestId: string; body: unknown }[] = [];
  const drained = Promise.withResolvers<void>();
  const runtime: RuntimeApi = {
    next(signal) {
      const item = queue.shift();
      if (item instanceof Error) return Promise.reject(item);
      if (item) return Promise.resolve(item);
      drained.resolve();
      return new Promise((_resolve, reject) =>
        signal!.addEventListener("abort", () => reject(signal!.reason), { once: true })
      );
    },
    respond(requestId, payload) {
      if (options.respondStatus) {
        return Promise.reject(new RuntimeApiError("/response", options.respondStatus, ""));
      }
      posted.push({ kind: "response", requestId, body: new TextDecoder().decode(payload) });
      return Promise.resolve();
    },
    async respondStream(requestId, body, { contentType, trailers }) {
      const bytes = new Uint8Array(await new Response(body).arrayBuffer());
      posted.push({
        kind: "stream",
        requestId,
        body: { contentType, text: new TextDecoder().decode(bytes), trailers: trailers() },
      });
    },
    fail(requestId, report: ErrorReport) {
      posted.push({ kind: "error", requestId, body: report });
      return Promise.resolve();
    },
    initError: () => Promise.resolve(),
  };
  return { runtime, posted, drained: drained.promise };
}

async function run(
  queue: (NextInvocation | Error)[],
  handle: (inv: Invocation) => Promise<Outcome>,
  options = {},
) {
  const { runtime, posted, drained } = fakeRuntime(queue, options);
  const lines: string[] = [];
  const controller = new AbortController();
  const done = runWorker({
    runtime,
    handle,
    log: createLogger({ write: (line) => lines.push(line) }),
    signal: controller.signal,
  });
  await drained;
  controller.abort();
  await done;
  return { posted, lines };
}

Deno.test("runWorker() posts responses and errors for each invocation in turn", async () => {
  const { posted } = await run([next("a"), next("b")], (inv) =>
    Promise.resolve(
      inv.requestId === "a"
        ? { kind: "response", payload: text.encode('"ok"'), status: 200 }
        : { kind: "error", errorType: "LambdaAdapter.AppTimeout", errorMessage: "slow" },
    ));
  assert.deepEqual(posted, [
    { kind: "response", requestId: "a", body: '"ok"' },
    {
      kind: "error",
      requestId: "b",
      body: { kind: "error", errorType: "LambdaAdapter.AppTimeout", errorMessage: "slow" },
    },
  ]);
});

Deno.test("runWorker() reports a broken invocation and a handler bug without stopping", async () => {
  const bad = next("c");
  bad.headers.shift(); // no deadline
  const { posted } = await run([bad, next("d")], () => Promise.reject(new Error("bug")));
  assert.equal(posted.length, 2);
  assert.deepEqual((posted[0]!.body as ErrorReport).errorType, "LambdaAdapter.InvalidEvent");
  assert.deepEqual((posted[1]!.body as ErrorReport).errorType, "LambdaAdapter.InternalError");
});

Deno.test("runWorker() skips an invocation without request id and retries a failed /next", async () => {
  const { posted, lines } = await run(
    [next(undefined), new Error("connection reset"), next("e")],
    () => Promise.resolve({ kind: "response", payload: text.encode("1"), status: 200 }),
  );
  assert.deepEqual(posted.map((p) => p.requestId), ["e"]);
  assert.match(lines.join("\n"), /without Lambda-Runtime-Aws-Request-Id/);
  assert.match(lines.join("\n"), /polling the Runtime API failed/);
});

Deno.test("runWorker() turns a 413 from the Runtime API into an error report", async () => {
  const { posted } = await run(
    [next("f")],
    () => Promise.resolve({ kind: "response", payload: text.encode("1"), status: 200 }),
    { respondStatus: 413 },
  );
  assert.deepEqual(posted.map((p) => [p.kind, (p.body as ErrorReport).errorType]), [
    ["error", "LambdaAdapter.ResponseTooLarge"],
  ]);
});

Deno.test("runWorker() streams a stream outcome with its trailers", async () => {
  const { posted } = await run([next("g")], () =>
    Promise.resolve({
      kind: "stream",
      body: ReadableStream.from([text.encode("a"), text.encode("b")]),
      contentType: "application/vnd.awslambda.http-integration-response",
      trailers: () => [["Lambda-Runtime-Function-Error-Type", "X"]],
      status: 200,
    }));
  assert.deepEqual(posted, [{
    kind: "stream",
    requestId: "g",
    body: {
      contentType: "application/vnd.awslambda.http-integration-response",
      text: "ab",
      trailers: [["Lambda-Runtime-Function-Error-Type", "X"]],
    },
  }]);
});

Deno.test("runWorker() rides out /next failures, then ends as gone past the bound", async () => {
  const clock = new ManualClock();
  const failures = Array.from({ length: 200 }, () => new Deno.errors.ConnectionReset("reset"));
  const { runtime } = fakeRuntime(failures);
  const lines: string[] = [];
  let end;
  const done = runWorker({
    runtime,
    handle: () => Promise.reject(new Error("never called")),
    log: createLogger({ write: (line) => lines.push(line) }),
    signal: new AbortController().signal,
    backoff: { clock, giveUpAfterMs: 10_000 },
  }).then((result) => end = result);
  while (end === undefined) {
    await clock.untilPending().catch(() => {});
    await clock.advanceAndSettle(1000);
    await Promise.race([done, Promise.resolve()]);
  }
  assert.equal((end as { kind: string }).kind, "gone");
  assert.ok(lines.length >= 10, "each failure is logged with its retry delay");
  assert.match(lines[0]!, /polling the Runtime API failed .*retryInMs=10/);
});

Deno.test("runWorker() returns memory before polling again after a large invocation only", async () => {
  const big = "x".repeat(600 * 1024);
  const { runtime, drained } = fakeRuntime([
    next("small"),
    next("large", JSON.stringify({ big })),
    next("s2"),
  ]);
  const released: string[] = [];
  let current = "";
  const controller = new AbortController();
  const done = runWorker({
    runtime,
    handle: (invocation) => {
      current = invocation.requestId;
      return Promise.resolve({ kind: "response", payload: text.encode("{}"), status: 200 });
    },
    log: createLogger({ level: "off" }),
    signal: controller.signal,
    release: () => released.push(current),
  });
  await drained;
  controller.abort();
  await done;
  assert.deepEqual(released, ["large"]);
});
