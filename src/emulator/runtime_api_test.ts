import assert from "node:assert/strict";
import { startEmulator } from "./mod.ts";
import {
  postInvocationError,
  postResponse,
  runtimeNext,
} from "../../tests/support/runtime_client.ts";
import { settledFlag, until } from "../../tests/support/wait.ts";

const decoder = new TextDecoder();

Deno.test("startEmulator() runs an invocation end to end with Lambda's headers", async () => {
  await using emulator = await startEmulator({
    functionName: "orders",
    region: "eu-west-1",
    functionTimeoutMs: 5000,
  });
  const pending = emulator.invoke({ hello: "world" }, {
    requestId: "req-1",
    clientContext: "client-ctx",
    cognitoIdentity: "cognito-id",
    tenantId: "tenant-7",
  });
  const before = Date.now();
  const next = await runtimeNext(emulator.url);
  const after = Date.now();

  assert.equal(next.status, 200);
  assert.deepEqual(next.json, { hello: "world" });
  assert.equal(next.headers.get("Content-Type"), "application/json");
  assert.equal(next.headers.get("Lambda-Runtime-Aws-Request-Id"), "req-1");
  assert.equal(
    next.headers.get("Lambda-Runtime-Invoked-Function-Arn"),
    "arn:aws:lambda:eu-west-1:000000000000:function:orders",
  );
  assert.match(
    next.headers.get("Lambda-Runtime-Trace-Id") ?? "",
    /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/,
  );
  const deadline = Number(next.headers.get("Lambda-Runtime-Deadline-Ms"));
  assert.ok(deadline >= before + 5000 && deadline <= after + 5000, `deadline ${deadline}`);
  assert.equal(next.headers.get("Lambda-Runtime-Client-Context"), "client-ctx");
  assert.equal(next.headers.get("Lambda-Runtime-Cognito-Identity"), "cognito-id");
  assert.equal(next.headers.get("Lambda-Runtime-Aws-Tenant-Id"), "tenant-7");

  const posted = await postResponse(emulator.url, "req-1", '{"statusCode":200}');
  assert.equal(posted.status, 202);
  assert.deepEqual(posted.json, { status: "OK" });

  const result = await pending;
  assert.equal(result.kind, "response");
  assert.equal(result.requestId, "req-1");
  if (result.kind !== "response") return;
  assert.equal(decoder.decode(result.body), '{"statusCode":200}');
  assert.ok(result.headers instanceof Headers);
  const { queuedAt, handedOutAt, completedAt } = result.timing;
  assert.ok(queuedAt <= handedOutAt && handedOutAt <= completedAt);
  assert.equal(emulator.stats.nextCalls, 1);
  assert.ok((emulator.stats.firstNextAt ?? -1) >= emulator.stats.startedAt);
});

Deno.test("startEmulator() leaves optional /next headers out when not given", async () => {
  await using emulator = await startEmulator();
  const pending = emulator.invoke("{}");
  const next = await runtimeNext(emulator.url);
  for (const name of ["Client-Context", "Cognito-Identity", "Aws-Tenant-Id"]) {
    assert.equal(next.headers.get(`Lambda-Runtime-${name}`), null);
  }
  const id = next.headers.get("Lambda-Runtime-Aws-Request-Id") ?? "";
  assert.match(id, /^[0-9a-f-]{36}$/);
  await postResponse(emulator.url, id, "null");
  assert.equal((await pending).kind, "response");
});

Deno.test("startEmulator() hands invocations out FIFO, one at a time by default", async () => {
  await using emulator = await startEmulator();
  const results = ["a", "b", "c"].map((id) => emulator.invoke({ id }, { requestId: id }));
  let next = await runtimeNext(emulator.url);
  let calls = 1;
  for (const expected of ["a", "b", "c"]) {
    assert.equal(next.headers.get("Lambda-Runtime-Aws-Request-Id"), expected);
    assert.deepEqual(next.json, { id: expected });
    const following = runtimeNext(emulator.url);
    const followed = settledFlag(following);
    await until(() => emulator.stats.nextCalls === calls + 1);
    calls++;
    assert.equal(emulator.stats.waitingNext, 1, "a second /next waits while one is in flight");
    assert.equal(followed(), false);
    await postResponse(emulator.url, expected, `"${expected}"`);
    if (expected !== "c") next = await following;
    else {
      await emulator.close();
      assert.equal((await following).status, 500);
    }
  }
  const settled = await Promise.all(results);
  assert.deepEqual(settled.map((result) => result.requestId), ["a", "b", "c"]);
});

Deno.test("startEmulator() hands out maxConcurrency invocations at once and queues the rest", async () => {
  await using emulator = await startEmulator({ maxConcurrency: 3 });
  const ids = ["r1", "r2", "r3", "r4"];
  const results = ids.map((requestId) => emulator.invoke({ requestId }, { requestId }));
  const polls = ids.map(() => runtimeNext(emulator.url));
  const answered = polls.map(settledFlag);
  await until(() => answered.filter((flag) => flag()).length === 3);
  await until(() => emulator.stats.nextCalls === 4);
  assert.equal(emulator.stats.waitingNext, 1, "the 4th /next must wait");
  assert.equal(emulator.stats.inFlight, 3);
  assert.equal(answered.filter((flag) => flag()).length, 3);

  const firstThree = await Promise.all(polls.filter((_, index) => answered[index]?.()));
  const handedOut = firstThree.map((answer) => answer.headers.get("Lambda-Runtime-Aws-Request-Id"));
  assert.deepEqual([...handedOut].sort(), ["r1", "r2", "r3"]);

  await postResponse(emulator.url, "r2", "{}");
  const fourth = await polls[answered.findIndex((flag) => !flag())];
  assert.equal(fourth?.headers.get("Lambda-Runtime-Aws-Request-Id"), "r4");
  for (const id of ["r1", "r3", "r4"]) await postResponse(emulator.url, id, "{}");
  assert.deepEqual((await Promise.all(results)).map((result) => result.kind), [
    "response",
    "response",
    "response",
    "response",
  ]);
});

Deno.test("startEmulator() serves parked /next calls first come first served", async () => {
  await using emulator = await startEmulator({ maxConcurrency: 2 });
  const first = runtimeNext(emulator.url);
  await until(() => emulator.stats.nextCalls === 1);
  const second = runtimeNext(emulator.url);
  await until(() => emulator.stats.nextCalls === 2);
  const results = [emulator.invoke(1, { requestId: "x" }), emulator.invoke(2, { requestId: "y" })];
  assert.equal((await first).headers.get("Lambda-Runtime-Aws-Request-Id"), "x");
  assert.equal((await second).headers.get("Lambda-Runtime-Aws-Request-Id"), "y");
  await postResponse(emulator.url, "x", "1");
  await postResponse(emulator.url, "y", "2");
  await Promise.all(results);
});

Deno.test("startEmulator() accepts one result per request id", async () => {
  await using emulator = await startEmulator();
  const pending = emulator.invoke({}, { requestId: "once" });
  await runtimeNext(emulator.url);
  assert.equal((await postResponse(emulator.url, "once", "1")).status, 202);
  const again = await postResponse(emulator.url, "once", "2");
  assert.equal(again.status, 400);
  assert.equal((again.json as { errorType: string }).errorType, "InvalidStateTransition");
  const error = await postInvocationError(emulator.url, "once", "{}");
  assert.equal(error.status, 400);
  const result = await pending;
  assert.equal(result.kind === "response" && decoder.decode(result.body), "1");
});

Deno.test("startEmulator() answers 400 InvalidRequestID for unknown and not yet handed out ids", async () => {
  await using emulator = await startEmulator();
  const unknown = await postResponse(emulator.url, "nope", "{}");
  assert.equal(unknown.status, 400);
  assert.deepEqual(unknown.json, {
    errorMessage: "Invalid request ID",
    errorType: "InvalidRequestID",
  });
  const queued = emulator.invoke({}, { requestId: "queued" });
  assert.equal((await postResponse(emulator.url, "queued", "{}")).status, 400);
  assert.equal((await postInvocationError(emulator.url, "nope", "{}")).status, 400);
  await runtimeNext(emulator.url);
  await postResponse(emulator.url, "queued", "{}");
  assert.equal((await queued).kind, "response");
});

Deno.test("startEmulator() times an invocation out at its deadline and answers a late post with 410", async () => {
  const lines: string[] = [];
  await using emulator = await startEmulator({ log: (line) => lines.push(line) });
  const pending = emulator.invoke({}, { requestId: "slow", timeoutMs: 80 });
  await runtimeNext(emulator.url);
  const result = await pending;
  assert.equal(result.kind, "timeout");
  assert.equal(result.requestId, "slow");
  assert.ok(result.timing.completedAt - result.timing.handedOutAt >= 75);
  assert.ok(lines.includes("slow Task timed out after 0.08 seconds"), lines.join("\n"));

  const late = await postResponse(emulator.url, "slow", "{}");
  assert.equal(late.status, 410);
  assert.equal((await postInvocationError(emulator.url, "slow", "{}")).status, 410);

  // The slot is free again.
  const next = emulator.invoke({}, { requestId: "after" });
  const answer = await runtimeNext(emulator.url);
  assert.equal(answer.headers.get("Lambda-Runtime-Aws-Request-Id"), "after");
  await postResponse(emulator.url, "after", "{}");
  assert.equal((await next).kind, "response");
});

Deno.test("startEmulator() keeps the event when a parked /next client disconnects", async () => {
  const lines: string[] = [];
  await using emulator = await startEmulator({ log: (line) => lines.push(line) });
  const controller = new AbortController();
  const gone = runtimeNext(emulator.url, controller.signal).catch((error) => error);
  await until(() => emulator.stats.nextCalls === 1);
  controller.abort();
  assert.equal((await gone).name, "AbortError");
  await until(() => lines.some((line) => line.includes("disconnected")));

  const pending = emulator.invoke({ kept: true }, { requestId: "kept" });
  const next = await runtimeNext(emulator.url);
  assert.deepEqual(next.json, { kept: true });
  await postResponse(emulator.url, "kept", "{}");
  assert.equal((await pending).kind, "response");
});

Deno.test("startEmulator() answers unknown paths with 404 and wrong methods with 405", async () => {
  await using emulator = await startEmulator();
  const notFound = await fetch(`${emulator.url}/2018-06-01/runtime/nothing`);
  assert.equal(notFound.status, 404);
  assert.equal((await notFound.json()).errorType, "NotFound");
  const wrong = await fetch(`${emulator.url}/2018-06-01/runtime/invocation/next`, {
    method: "POST",
  });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get("Allow"), "GET");
  await wrong.body?.cancel();
  const getResponse = await fetch(`${emulator.url}/2018-06-01/runtime/invocation/x/response`);
  assert.equal(getResponse.status, 405);
  assert.equal(getResponse.headers.get("Allow"), "POST");
  await getResponse.body?.cancel();
  const root = await fetch(emulator.url);
  assert.equal(root.status, 404);
  await root.body?.cancel();
});
