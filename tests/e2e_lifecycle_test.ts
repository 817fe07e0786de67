/**
 * Start-up, readiness, configuration errors and shutdown of the real adapter process.
 */

import assert from "node:assert/strict";
import { startEmulator } from "../src/emulator/mod.ts";
import { loadEvent } from "./fixtures.ts";
import { adapterCommand, Child, resultJson, startStack } from "./harness.ts";
import { until } from "./support/wait.ts";

/** Tells an app started with `READY_WHEN_TOLD=1` that it is ready. */
async function tellReady(port: number): Promise<void> {
  const answer = await fetch(`http://127.0.0.1:${port}/_/ready`);
  assert.equal(await answer.text(), "ready");
}

const url = loadEvent("aws-lambda-go/lambda-urls-request.json");

Deno.test("adapter registers as the lambda-adapter extension for SHUTDOWN only", async () => {
  await using stack = await startStack({ app: "deno" });
  assert.deepEqual(
    stack.emulator.extensions.map(({ name, events }) => ({ name, events })),
    [{ name: "lambda-adapter", events: ["SHUTDOWN"] }],
  );
});

Deno.test("adapter exits 1 on each invalid setting, with one line and an init error", async (t) => {
  const cases: [string, string, RegExp][] = [
    ["AWS_LWA_PORT", "80a", /expected a port number/],
    ["AWS_LWA_READINESS_CHECK_PROTOCOL", "grpc", /expected one of http, tcp/],
    ["AWS_LWA_READINESS_CHECK_HEALTHY_STATUS", "2xx", /Cannot read '2xx'/],
    ["AWS_LWA_ASYNC_INIT", "yes please", /expected true or false/],
    ["AWS_LWA_ENABLE_COMPRESSION", "TRUE!", /expected true or false/],
    ["AWS_LWA_INVOKE_MODE", "streaming", /expected one of buffered, response_stream/],
    ["AWS_LWA_ERROR_STATUS_CODES", "500-", /Cannot read '500-'/],
    ["AWS_LWA_READINESS_CHECK_PATH", "health", /starting with \//],
    ["AWS_LAMBDA_MAX_CONCURRENCY", "lots", /whole number/],
    ["AWS_LAMBDA_LOG_LEVEL", "loud", /expected one of TRACE/],
  ];
  for (const [variable, value, reason] of cases) {
    await t.step(`${variable}=${value}`, async () => {
      await using emulator = await startEmulator();
      await using adapter = new Child("adapter", adapterCommand(), {
        env: { AWS_LAMBDA_RUNTIME_API: emulator.runtimeApi, [variable]: value },
      });
      const status = await adapter.status();
      assert.equal(status.code, 1);
      const errors = adapter.lines.filter((line) => line.startsWith("ERROR"));
      assert.equal(errors.length, 1, adapter.output());
      assert.ok(errors[0]!.startsWith(`ERROR Invalid ${variable}=${JSON.stringify(value)}: `));
      assert.match(errors[0]!, reason);
      assert.equal(emulator.initErrors.length, 1);
      assert.equal(emulator.initErrors[0]!.errorType, "LambdaAdapter.InvalidConfig");
      assert.match(emulator.initErrors[0]!.body, new RegExp(variable));
    });
  }
});

Deno.test("adapter without AWS_LAMBDA_RUNTIME_API says why and exits 1", async () => {
  await using adapter = new Child("adapter", adapterCommand(), { env: {} });
  const status = await adapter.status();
  assert.equal(status.code, 1);
  assert.match(adapter.output(), /AWS_LAMBDA_RUNTIME_API.*not set.*inside AWS Lambda/);
});

Deno.test("adapter waits for readiness, logging progress, and ends init once the app is ready", async () => {
  // The 2 s cadence itself is timed on a clock in src/adapter/readiness_test.ts.
  await using stack = await startStack({
    app: "deno",
    appEnv: { READY_WHEN_TOLD: "1" },
    env: { AWS_LWA_READINESS_CHECK_PATH: "/health", AWS_LWA_READINESS_CHECK_HEALTHY_STATUS: "200" },
    waitForInit: false,
  });
  const progress = await stack.adapter.waitForLine(/app is not ready after \d+ms/);
  assert.ok(Number(/after (\d+)ms/.exec(progress)![1]) >= 2000, progress);
  assert.match(progress, /url=http:\/\/127\.0\.0\.1:\d+\/health reason="status 503"/);
  assert.equal(stack.emulator.stats.nextCalls, 0);
  await tellReady(stack.appPort);
  await stack.emulator.waitForInit();
  await stack.adapter.waitForLine(/app is ready/);
  assert.equal(resultJson(await stack.emulator.invoke(url)).statusCode, 200);
});

Deno.test("adapter's readiness probe times out on an app that never answers", async () => {
  await using stack = await startStack({
    app: "bad",
    env: { AWS_LWA_READINESS_CHECK_PATH: "/hang" },
    waitForInit: false,
  });
  await stack.adapter.waitForLine(
    /app is not ready after \d+ms .*reason="no answer within \d+ ms"/,
  );
  assert.equal(stack.emulator.stats.nextCalls, 0);
});

Deno.test("adapter checks readiness over TCP", async () => {
  await using stack = await startStack({
    app: "bad",
    env: { AWS_LWA_READINESS_CHECK_PROTOCOL: "tcp", AWS_LWA_READINESS_CHECK_PATH: "/hang" },
  });
  await stack.adapter.waitForLine(/app is ready url=tcp:\/\/127\.0\.0\.1/);
});

Deno.test("adapter with async init ends init at 9.8 s and the first invocations wait", async () => {
  await using stack = await startStack({
    app: "deno",
    // Until told, the app answers 503 to every request: a 200 proves an invocation waited.
    appEnv: { READY_WHEN_TOLD: "1" },
    env: {
      AWS_LWA_ASYNC_INIT: "true",
      AWS_LWA_READINESS_CHECK_PATH: "/health",
      AWS_LWA_READINESS_CHECK_HEALTHY_STATUS: "200",
      AWS_LAMBDA_MAX_CONCURRENCY: "2",
    },
    // The emulator's init limit is not the subject: the adapter's own 9.8 s budget is, and the
    // processes' start-up on a loaded machine must not count against it.
    emulator: { maxConcurrency: 2, initTimeoutMs: 60_000 },
    waitForInit: false,
  });
  const { durationMs } = await stack.emulator.waitForInit();
  assert.ok(durationMs >= 9800, `init ended after ${durationMs} ms`);
  await stack.adapter.waitForLine(/app is not ready yet; the first invocation will wait/);
  // A function timeout far off: the wait is bounded by the test's readiness call, not by time.
  const invocations = [
    stack.emulator.invoke(url, { timeoutMs: 60_000 }),
    stack.emulator.invoke(url, { timeoutMs: 60_000 }),
  ];
  await until(() => stack.emulator.stats.inFlight === 2, 30_000);
  await tellReady(stack.appPort);
  for (const result of await Promise.all(invocations)) {
    assert.equal(resultJson(result).statusCode, 200);
  }
});

Deno.test("adapter finishes the invocation in flight on SIGTERM, takes no more and exits 0", async () => {
  await using stack = await startStack({ app: "deno", appEnv: { LOG_REQUESTS: "1" } });
  const inFlight = stack.emulator.invoke({ ...url, rawPath: "/_/sleep/600" });
  await stack.app!.waitForLine(/request \w+ \/_\/sleep\/600/);
  stack.adapter.kill("SIGTERM");
  // Queued after SIGTERM: nobody takes it, so it is still waiting when the signal fires.
  const late = stack.emulator.invoke(url, { signal: AbortSignal.timeout(1500) });
  const result = resultJson(await inFlight);
  assert.equal(result.body, "slept 600");
  const status = await stack.adapter.status();
  assert.equal(status.code, 0);
  await assert.rejects(late, (error: Error) => error.name === "TimeoutError");
  assert.match(stack.adapter.output(), /shutting down/);
});

Deno.test("adapter exits 0 on a SHUTDOWN event", async () => {
  await using stack = await startStack({ app: "deno" });
  assert.equal(resultJson(await stack.emulator.invoke(url)).statusCode, 200);
  const shutdown = stack.emulator.shutdown({ deadlineMs: Date.now() + 1000 });
  const status = await stack.adapter.status();
  await shutdown;
  assert.equal(status.code, 0);
  assert.match(stack.adapter.output(), /received SHUTDOWN reason=spindown/);
});
