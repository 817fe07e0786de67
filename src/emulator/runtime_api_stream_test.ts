import assert from "node:assert/strict";
import { startEmulator } from "./mod.ts";
import { base64, openStreamPost } from "../../tests/support/stream_post.ts";
import { runtimeNext } from "../../tests/support/runtime_client.ts";
import { ManualClock } from "../../tests/support/manual_clock.ts";
import type { InvokeResult, ResponseStream } from "./types.ts";

const decoder = new TextDecoder();

type StreamResult = Extract<InvokeResult, { kind: "stream" }>;

function asStream(result: InvokeResult): StreamResult {
  assert.equal(result.kind, "stream", JSON.stringify(result));
  return result as StreamResult;
}

Deno.test("startEmulator() streaming: splits the prelude off across chunk boundaries", async () => {
  await using emulator = await startEmulator();
  const pending = emulator.invoke({}, { requestId: "split" });
  await runtimeNext(emulator.url);
  const post = await openStreamPost(emulator.url, "split");
  // The prelude arrives in two chunks, and its 8 NULs split 5 + 3 over the next two.
  await post.send('{"statusCode":201,"headers":{"x-a":"1"},');
  await post.send('"cookies":["c=1"]}\0\0\0\0\0');
  await post.send("\0\0\0hello");
  await post.send(" world");
  const answer = await post.finish();
  assert.equal(answer.status, 202);
  assert.deepEqual(answer.json, { status: "OK" });

  const result = asStream(await pending);
  assert.equal(result.requestId, "split");
  assert.equal(result.contentType, "application/vnd.awslambda.http-integration-response");
  assert.deepEqual(result.prelude, { statusCode: 201, headers: { "x-a": "1" }, cookies: ["c=1"] });
  assert.equal(decoder.decode(result.body), "hello world");
  assert.equal(result.bodyBytes, 11);
  assert.deepEqual(result.chunks.map((chunk) => chunk.bytes), [5, 6]);
  assert.equal(result.timing.firstByteAt, result.chunks[0]?.at);
  assert.equal(result.headers.get("Lambda-Runtime-Function-Response-Mode"), "streaming");
  assert.deepEqual([...result.trailers], []);
  assert.equal(result.errorType, undefined);
  assert.equal(result.errorMessage, undefined);
  const { handedOutAt, completedAt, firstByteAt } = result.timing;
  assert.ok(handedOutAt <= firstByteAt! && firstByteAt! <= completedAt);
});

Deno.test("startEmulator() streaming: records each chunk's arrival as it arrives", async () => {
  const clock = new ManualClock();
  await using emulator = await startEmulator({ clock });
  const live = Promise.withResolvers<ResponseStream>();
  const pending = emulator.invoke({}, { requestId: "timed", onStream: live.resolve });
  await runtimeNext(emulator.url);
  const post = await openStreamPost(emulator.url, "timed", { contentType: "text/plain" });
  const reader = (await live.promise).body.getReader();
  const started = clock.now();
  for (const part of ["one", "two", "three"]) {
    await post.send(part);
    // Read live, so the emulator has it; only then does the clock move on.
    assert.equal(decoder.decode((await reader.read()).value), part);
    clock.advance(100);
  }
  clock.advance(50);
  assert.equal((await post.finish()).status, 202);
  const result = asStream(await pending);
  // Stamped on arrival: had the emulator stamped them later, they would not be 100 ms apart.
  assert.deepEqual(result.chunks.map((chunk) => chunk.at - started), [0, 100, 200]);
  assert.equal(result.timing.firstByteAt, started);
  assert.equal(result.timing.completedAt - started, 350);
});

Deno.test("startEmulator() streaming: reports a mid-stream error from its trailers", async () => {
  await using emulator = await startEmulator();
  const pending = emulator.invoke({}, { requestId: "failed" });
  await runtimeNext(emulator.url);
  const post = await openStreamPost(emulator.url, "failed");
  await post.send('{"statusCode":200}\0\0\0\0\0\0\0\0partial');
  const errorBody = { errorType: "Error", errorMessage: "upstream reset — mid-body" };
  const answer = await post.finish([
    ["Lambda-Runtime-Function-Error-Type", "Runtime.StreamError"],
    ["Lambda-Runtime-Function-Error-Body", base64(JSON.stringify(errorBody))],
  ]);
  assert.equal(answer.status, 202);
  const result = asStream(await pending);
  assert.equal(result.errorType, "Runtime.StreamError");
  assert.equal(result.errorMessage, "upstream reset — mid-body");
  assert.equal(decoder.decode(result.body), "partial");
  assert.equal(result.trailers.get("Lambda-Runtime-Function-Error-Type"), "Runtime.StreamError");
});

Deno.test("startEmulator() streaming: may have an empty body, or only a prelude", async () => {
  await using emulator = await startEmulator({ maxConcurrency: 2 });
  const empty = emulator.invoke({}, { requestId: "empty" });
  const preludeOnly = emulator.invoke({}, { requestId: "prelude-only" });
  await Promise.all([runtimeNext(emulator.url), runtimeNext(emulator.url)]);

  const first = await openStreamPost(emulator.url, "empty");
  assert.equal((await first.finish()).status, 202);
  const nothing = asStream(await empty);
  assert.equal(nothing.prelude, undefined);
  assert.equal(nothing.body.length, 0);
  assert.equal(nothing.bodyBytes, 0);
  assert.deepEqual(nothing.chunks, []);
  assert.equal(nothing.timing.firstByteAt, undefined);

  const second = await openStreamPost(emulator.url, "prelude-only");
  await second.send('{"statusCode":204}\0\0\0\0\0\0\0\0');
  assert.equal((await second.finish()).status, 202);
  const headOnly = asStream(await preludeOnly);
  assert.deepEqual(headOnly.prelude, { statusCode: 204 });
  assert.equal(headOnly.bodyBytes, 0);
  assert.deepEqual(headOnly.chunks, []);
});

Deno.test("startEmulator() streaming: a raw stream of another content type keeps every byte as body", async () => {
  await using emulator = await startEmulator();
  const pending = emulator.invoke({}, { requestId: "raw" });
  await runtimeNext(emulator.url);
  const post = await openStreamPost(emulator.url, "raw", {
    contentType: "application/octet-stream",
  });
  await post.send('{"statusCode":200}\0\0\0\0\0\0\0\0');
  await post.send("tail");
  assert.equal((await post.finish()).status, 202);
  const result = asStream(await pending);
  assert.equal(result.contentType, "application/octet-stream");
  assert.equal(result.prelude, undefined);
  assert.equal(decoder.decode(result.body), '{"statusCode":200}\0\0\0\0\0\0\0\0tail');
  assert.deepEqual(result.chunks.map((chunk) => chunk.bytes), [26, 4]);
});

Deno.test("startEmulator() streaming: a prelude without its NULs leaves every byte as body and no prelude", async () => {
  await using emulator = await startEmulator();
  const pending = emulator.invoke({}, { requestId: "no-nuls" });
  await runtimeNext(emulator.url);
  const post = await openStreamPost(emulator.url, "no-nuls");
  await post.send('{"statusCode":200}');
  await post.send("\0\0\0 body");
  assert.equal((await post.finish()).status, 202);
  const result = asStream(await pending);
  assert.equal(result.prelude, undefined);
  assert.equal(decoder.decode(result.body), '{"statusCode":200}\0\0\0 body');
  assert.deepEqual(result.chunks.map((chunk) => chunk.bytes), [18, 8]);
});
