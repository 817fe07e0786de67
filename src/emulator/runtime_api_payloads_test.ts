import assert from "node:assert/strict";
import { startEmulator } from "./mod.ts";
import { MAX_RESPONSE_BYTES } from "./runtime_api.ts";
import {
  postInitError,
  postInvocationError,
  postResponse,
  runtimeNext,
} from "../../tests/support/runtime_client.ts";

const decoder = new TextDecoder();

Deno.test("startEmulator() refuses a response over 6291556 bytes with 413 and keeps the invocation open", async () => {
  await using emulator = await startEmulator();
  const pending = emulator.invoke({}, { requestId: "big" });
  await runtimeNext(emulator.url);
  const tooBig = await postResponse(emulator.url, "big", new Uint8Array(MAX_RESPONSE_BYTES + 1));
  assert.equal(tooBig.status, 413);
  assert.deepEqual(tooBig.json, {
    errorMessage: "Exceeded maximum allowed payload size (6291556 bytes).",
    errorType: "RequestEntityTooLarge",
  });
  assert.equal(emulator.stats.rejectedResponses, 1);

  const exact = await postResponse(emulator.url, "big", new Uint8Array(MAX_RESPONSE_BYTES).fill(7));
  assert.equal(exact.status, 202);
  const result = await pending;
  assert.equal(result.kind, "response");
  assert.equal(result.kind === "response" && result.body.byteLength, MAX_RESPONSE_BYTES);
});

Deno.test("startEmulator() applies the 413 limit to chunked bodies too", async () => {
  await using emulator = await startEmulator();
  const pending = emulator.invoke({}, { requestId: "chunked" });
  await runtimeNext(emulator.url);
  const chunk = new Uint8Array(1024 * 1024);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent > MAX_RESPONSE_BYTES) controller.close();
      else controller.enqueue(chunk);
      sent += chunk.byteLength;
    },
  });
  const answer = await postResponse(emulator.url, "chunked", body);
  assert.equal(answer.status, 413);
  assert.equal(emulator.stats.rejectedResponses, 1);
  await postInvocationError(emulator.url, "chunked", '{"errorType":"TooBig"}');
  assert.equal((await pending).kind, "error");
});

Deno.test("startEmulator() parses error posts leniently and keeps the raw body", async () => {
  await using emulator = await startEmulator({ maxConcurrency: 3 });
  const results = ["json", "header", "bare"].map((requestId) => emulator.invoke({}, { requestId }));
  await Promise.all([1, 2, 3].map(() => runtimeNext(emulator.url)));
  const body = '{"errorType":"TypeError","errorMessage":"x is undefined","stackTrace":["at f"]}';
  const typeHeader = { "Lambda-Runtime-Function-Error-Type": "Runtime.HandlerError" };
  assert.equal((await postInvocationError(emulator.url, "json", body, typeHeader)).status, 202);
  assert.equal(
    (await postInvocationError(emulator.url, "header", "not json", typeHeader)).status,
    202,
  );
  assert.equal((await postInvocationError(emulator.url, "bare", "")).status, 202);

  const [json, header, bare] = await Promise.all(results);
  assert.equal(json?.kind, "error");
  if (json?.kind !== "error" || header?.kind !== "error" || bare?.kind !== "error") return;
  assert.equal(json.errorType, "TypeError");
  assert.equal(json.errorMessage, "x is undefined");
  assert.equal(decoder.decode(json.body), body);
  assert.equal(json.headers.get("Lambda-Runtime-Function-Error-Type"), "Runtime.HandlerError");
  assert.equal(header.errorType, "Runtime.HandlerError");
  assert.equal(header.errorMessage, "");
  assert.equal(decoder.decode(header.body), "not json");
  assert.equal(bare.errorType, "Unknown");
});

Deno.test("startEmulator() records /runtime/init/error and fails waitForInit()", async () => {
  await using emulator = await startEmulator();
  const failed = assert.rejects(emulator.waitForInit(), /init\/error \(Runtime\.ExitError\)/);
  const body = '{"errorMessage":"cannot start","errorType":"Runtime.ExitError"}';
  const answer = await postInitError(emulator.url, body, {
    "Lambda-Runtime-Function-Error-Type": "Runtime.ExitError",
  });
  assert.equal(answer.status, 202);
  assert.deepEqual(answer.json, { status: "OK" });
  await failed;
  await postInitError(emulator.url, '{"errorType":"FromBody"}');
  assert.deepEqual(emulator.initErrors, [
    { errorType: "Runtime.ExitError", body },
    { errorType: "FromBody", body: '{"errorType":"FromBody"}' },
  ]);
});

Deno.test("startEmulator() refuses /runtime/init/error once init is done", async () => {
  await using emulator = await startEmulator();
  const parked = runtimeNext(emulator.url);
  await emulator.waitForInit();
  const answer = await postInitError(emulator.url, "{}");
  assert.equal(answer.status, 403);
  assert.equal(emulator.initErrors.length, 0);
  await emulator.close();
  await parked;
});

Deno.test("startEmulator() applies header overrides, removing a header for null", async () => {
  await using emulator = await startEmulator();
  const pending = emulator.invoke({}, {
    requestId: "h",
    headers: {
      "Lambda-Runtime-Deadline-Ms": null,
      "lambda-runtime-trace-id": "Root=custom",
      "X-Extra": "yes",
    },
  });
  const next = await runtimeNext(emulator.url);
  assert.equal(next.headers.get("Lambda-Runtime-Deadline-Ms"), null);
  assert.equal(next.headers.get("Lambda-Runtime-Trace-Id"), "Root=custom");
  assert.equal(next.headers.get("X-Extra"), "yes");
  await postResponse(emulator.url, "h", "{}");
  await pending;

  const bad = emulator.invoke({}, {
    requestId: "b",
    headers: { "Lambda-Runtime-Deadline-Ms": "soon" },
  });
  const badNext = await runtimeNext(emulator.url);
  assert.equal(badNext.headers.get("Lambda-Runtime-Deadline-Ms"), "soon");
  await postResponse(emulator.url, "b", "{}");
  await bad;
  await assert.rejects(emulator.invoke({}, { headers: { "X-Bad": "a\nb" } }), TypeError);
});

Deno.test("startEmulator() delivers string and byte payloads verbatim", async () => {
  await using emulator = await startEmulator();
  const bytes = new Uint8Array([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28]);
  for (const payload of [bytes, "not json {", ""]) {
    const pending = emulator.invoke(payload, { requestId: "p" });
    const next = await runtimeNext(emulator.url);
    const expected = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
    assert.deepEqual(next.body, expected);
    await postResponse(emulator.url, "p", "{}");
    await pending;
  }
});
