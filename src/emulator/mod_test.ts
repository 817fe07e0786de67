import assert from "node:assert/strict";
import { EmulatorClosedError, startEmulator } from "./mod.ts";
import { ManualClock } from "../../tests/support/manual_clock.ts";
import {
  extensionNext,
  postResponse,
  registeredExtension,
  runtimeNext,
} from "../../tests/support/runtime_client.ts";
import { settledFlag, until } from "../../tests/support/wait.ts";

Deno.test("startEmulator() reports its address for AWS_LAMBDA_RUNTIME_API", async () => {
  await using emulator = await startEmulator();
  assert.match(emulator.runtimeApi, /^127\.0\.0\.1:\d+$/);
  assert.equal(emulator.url, `http://${emulator.runtimeApi}`);
  await assert.rejects(
    startEmulator({ port: Number(emulator.runtimeApi.split(":")[1]) }),
    Deno.errors.AddrInUse,
  );
  await assert.rejects(startEmulator({ maxConcurrency: 0 }), RangeError);
});

Deno.test("startEmulator() waitForInit() waits for the runtime and every extension", async () => {
  await using emulator = await startEmulator();
  const id = await registeredExtension(emulator.url, "ext", []);
  const init = emulator.waitForInit();
  const initDone = settledFlag(init);
  const queued = emulator.invoke({ early: true }, { requestId: "early" });

  const runtimePoll = runtimeNext(emulator.url);
  // The runtime's /next is parked, with an invocation queued: it waits for init.
  await until(() => emulator.stats.waitingNext === 1);
  assert.equal(emulator.stats.queued, 1, "invocations wait for init");
  assert.equal(initDone(), false, "the extension has not called /extension/event/next yet");

  const started = performance.now();
  const extensionPoll = extensionNext(emulator.url, id);
  const { durationMs } = await init;
  assert.ok(durationMs > 0 && durationMs <= performance.now() - emulator.stats.startedAt);
  assert.ok(durationMs >= started - emulator.stats.startedAt);
  assert.deepEqual(await emulator.waitForInit(), { durationMs });

  const next = await runtimePoll;
  assert.deepEqual(next.json, { early: true });
  await postResponse(emulator.url, "early", "{}");
  assert.equal((await queued).kind, "response");
  await emulator.close();
  assert.equal((await extensionPoll).status, 500);
});

Deno.test("startEmulator() waitForInit() rejects after initTimeoutMs naming what is missing", async () => {
  const clock = new ManualClock();
  await using emulator = await startEmulator({ initTimeoutMs: 50, clock });
  await registeredExtension(emulator.url, "lazy-ext", []);
  const waiting = emulator.waitForInit();
  const failed = settledFlag(waiting);
  clock.advance(49);
  await Promise.resolve();
  assert.equal(failed(), false, "1 ms before the limit");
  clock.advance(1);
  await assert.rejects(
    waiting,
    (error: Error) =>
      error.message.startsWith("Init did not complete within 50 ms") &&
      error.message.includes("/runtime/invocation/next") && error.message.includes("lazy-ext"),
  );
  await assert.rejects(emulator.waitForInit(), /within 50 ms/);
});

Deno.test("startEmulator() close() settles pending long polls, invocations and waiters", async () => {
  const emulator = await startEmulator();
  const id = await registeredExtension(emulator.url, "ext", ["SHUTDOWN"]);
  const initWait = emulator.waitForInit();
  const extensionPoll = extensionNext(emulator.url, id);
  const running = emulator.invoke({}, { requestId: "running" });
  const queued = emulator.invoke({}, { requestId: "queued" });
  await runtimeNext(emulator.url);
  await initWait;
  const parked = runtimeNext(emulator.url);
  await until(() => emulator.stats.nextCalls === 2);
  const shutdown = emulator.shutdown({ deadlineMs: Date.now() + 60_000 });
  assert.equal((await extensionPoll).status, 200);

  // Pending invocations reject, so their handlers go on before close() runs.
  const rejected = [
    assert.rejects(running, EmulatorClosedError),
    assert.rejects(queued, EmulatorClosedError),
  ];
  await emulator.close();
  const answer = await parked;
  assert.equal(answer.status, 500);
  assert.equal((answer.json as { errorType: string }).errorType, "EmulatorClosed");
  await Promise.all(rejected);
  await shutdown;
  await assert.rejects(emulator.invoke({}), EmulatorClosedError);
  assert.deepEqual(await emulator.waitForInit(), await initWait);
  await emulator.close();
});

Deno.test("startEmulator() close() rejects waitForInit() when init never completed", async () => {
  const emulator = await startEmulator();
  const waiting = assert.rejects(emulator.waitForInit(), EmulatorClosedError);
  await emulator.close();
  await waiting;
  await assert.rejects(emulator.waitForInit(), EmulatorClosedError);
});

Deno.test("startEmulator() invoke() honours its abort signal", async () => {
  await using emulator = await startEmulator();
  const queuedAbort = new AbortController();
  const withdrawn = emulator.invoke({}, { requestId: "withdrawn", signal: queuedAbort.signal });
  queuedAbort.abort(new Error("changed my mind"));
  await assert.rejects(withdrawn, /changed my mind/);

  const runningAbort = new AbortController();
  const abandoned = emulator.invoke({}, { requestId: "abandoned", signal: runningAbort.signal });
  const next = await runtimeNext(emulator.url);
  assert.equal(next.headers.get("Lambda-Runtime-Aws-Request-Id"), "abandoned");
  runningAbort.abort();
  await assert.rejects(abandoned, { name: "AbortError" });
  assert.equal((await postResponse(emulator.url, "abandoned", "{}")).status, 202);
  await assert.rejects(emulator.invoke({}, { signal: AbortSignal.abort() }), {
    name: "AbortError",
  });
});

Deno.test("startEmulator() refuses a request id already in use and allows reusing a finished one", async () => {
  await using emulator = await startEmulator();
  const first = emulator.invoke({}, { requestId: "dup" });
  await assert.rejects(emulator.invoke({}, { requestId: "dup" }), TypeError);
  await runtimeNext(emulator.url);
  await postResponse(emulator.url, "dup", "1");
  await first;
  const retry = emulator.invoke({}, { requestId: "dup" });
  await runtimeNext(emulator.url);
  assert.equal((await postResponse(emulator.url, "dup", "2")).status, 202);
  assert.equal((await retry).kind, "response");
});

Deno.test("startEmulator() logs START, END and REPORT lines like Lambda", async () => {
  const lines: string[] = [];
  await using emulator = await startEmulator({
    functionVersion: "3",
    memoryMb: 512,
    log: (line) => lines.push(line),
  });
  for (const requestId of ["one", "two"]) {
    const pending = emulator.invoke({}, { requestId });
    await runtimeNext(emulator.url);
    await postResponse(emulator.url, requestId, "{}");
    await pending;
  }
  const platform = lines.filter((line) => /^(START|END|REPORT)/.test(line));
  assert.equal(platform.length, 6);
  assert.equal(platform[0], "START RequestId: one Version: 3");
  assert.equal(platform[1], "END RequestId: one");
  assert.match(platform[2] ?? "", /^REPORT RequestId: one\tDuration: [\d.]+ ms\t.*512 MB\tInit/);
  assert.doesNotMatch(platform[5] ?? "", /Init Duration/);
});
