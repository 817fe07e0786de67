import assert from "node:assert/strict";
import { createHttpClient } from "../http/client.ts";
import { readBody } from "../http/read_body.ts";
import { EmulatorClosedError, startEmulator } from "./mod.ts";
import { ManualClock } from "../../tests/support/manual_clock.ts";
import { base64, openStreamPost } from "../../tests/support/stream_post.ts";
import {
  postInvocationError,
  postResponse,
  runtimeNext,
} from "../../tests/support/runtime_client.ts";
import type { InvokeResult, ResponseStream } from "./types.ts";

const decoder = new TextDecoder();

type StreamResult = Extract<InvokeResult, { kind: "stream" }>;

/** What `promise` rejects with (handled at once), or `undefined` if it fulfils. */
function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => undefined, (error) => error);
}

function asStream(result: InvokeResult): StreamResult {
  assert.equal(result.kind, "stream", JSON.stringify(result));
  return result as StreamResult;
}

Deno.test("startEmulator() records only sizes and times with keepStreamBody: false", async () => {
  await using emulator = await startEmulator({ functionTimeoutMs: 30_000 });
  const pending = emulator.invoke({}, { requestId: "big", keepStreamBody: false });
  await runtimeNext(emulator.url);
  const post = await openStreamPost(emulator.url, "big", {
    contentType: "application/octet-stream",
  });
  const megabyte = new Uint8Array(1024 * 1024).fill(42);
  for (let i = 0; i < 50; i++) await post.send(megabyte);
  assert.equal((await post.finish()).status, 202);
  const result = asStream(await pending);
  // Memory readings without a forced GC are too noisy to assert on; what the result holds is
  // not: no body, and one small record per piece received.
  assert.equal(result.body.length, 0);
  assert.equal(result.bodyBytes, 50 * 1024 * 1024);
  assert.equal(result.chunks.reduce((sum, chunk) => sum + chunk.bytes, 0), result.bodyBytes);
  assert.ok(
    result.chunks.length >= 50 && result.chunks.length <= 50 * 1024,
    `${result.chunks.length}`,
  );
});

Deno.test("startEmulator() hands a stream to onStream live, chunk by chunk", async () => {
  await using emulator = await startEmulator();
  const started = Promise.withResolvers<ResponseStream>();
  const pending = emulator.invoke({}, { requestId: "live", onStream: started.resolve });
  await runtimeNext(emulator.url);
  const post = await openStreamPost(emulator.url, "live");
  const stream = await started.promise;
  assert.equal(stream.contentType, "application/vnd.awslambda.http-integration-response");
  const reader = stream.body.getReader();

  await post.send('{"statusCode":200,"headers":{"content-type":"text/plain"}}\0\0\0\0');
  await post.send("\0\0\0\0first");
  assert.deepEqual(await stream.prelude, {
    statusCode: 200,
    headers: { "content-type": "text/plain" },
  });
  assert.equal(decoder.decode((await reader.read()).value), "first");
  await post.send("second");
  assert.equal(decoder.decode((await reader.read()).value), "second");
  assert.equal((await post.finish()).status, 202);
  assert.equal((await reader.read()).done, true);

  const result = asStream(await pending);
  assert.equal(result.body.length, 0, "the live consumer had the body");
  assert.equal(result.bodyBytes, 11);
  assert.deepEqual(result.chunks.map((chunk) => chunk.bytes), [5, 6]);
});

Deno.test("startEmulator() hands the whole stream, prelude and NULs, with liveStream whole", async () => {
  await using emulator = await startEmulator();
  const started = Promise.withResolvers<ResponseStream>();
  const pending = emulator.invoke({}, {
    requestId: "whole",
    onStream: started.resolve,
    liveStream: "whole",
  });
  await runtimeNext(emulator.url);
  const post = await openStreamPost(emulator.url, "whole");
  const stream = await started.promise;
  const read = new Response(stream.body).arrayBuffer();
  const prelude = '{ "statusCode": 201, "cookies": ["a=🍪"] }';
  await post.send(`${prelude}\0\0\0`);
  await post.send("\0\0\0\0\0body ✓");
  assert.equal((await post.finish()).status, 202);
  const whole = new Uint8Array(await read);
  assert.equal(decoder.decode(whole), `${prelude}\0\0\0\0\0\0\0\0body ✓`);
  assert.deepEqual(await stream.prelude, { statusCode: 201, cookies: ["a=🍪"] });
  const result = asStream(await pending);
  assert.equal(result.bodyBytes, new TextEncoder().encode("body ✓").length);
});

Deno.test("startEmulator() errors the live body when the trailers report an error", async () => {
  await using emulator = await startEmulator();
  const started = Promise.withResolvers<ResponseStream>();
  const pending = emulator.invoke({}, { requestId: "live-error", onStream: started.resolve });
  await runtimeNext(emulator.url);
  const post = await openStreamPost(emulator.url, "live-error", { contentType: "text/plain" });
  const stream = await started.promise;
  assert.equal(await stream.prelude, undefined);
  const reading = failure(readBody(stream.body));
  await post.send("some");
  await post.finish([
    ["Lambda-Runtime-Function-Error-Type", "Function.Failed"],
    ["Lambda-Runtime-Function-Error-Body", base64('{"errorMessage":"it broke"}')],
  ]);
  assert.match(String(await reading), /Function\.Failed: it broke/);
  assert.equal(asStream(await pending).errorMessage, "it broke");
});

Deno.test("startEmulator() refuses any other post for an id whose stream is under way", async () => {
  await using emulator = await startEmulator();
  // onStream runs once the stream has claimed the id, which is what this test needs to wait for.
  const started = Promise.withResolvers<ResponseStream>();
  const pending = emulator.invoke({}, { requestId: "busy", onStream: started.resolve });
  await runtimeNext(emulator.url);
  const post = await openStreamPost(emulator.url, "busy", { contentType: "text/plain" });
  const reading = readBody((await started.promise).body);
  await post.send("begun");
  const buffered = await postResponse(emulator.url, "busy", "{}");
  assert.equal(buffered.status, 400);
  assert.equal((buffered.json as { errorType: string }).errorType, "InvalidStateTransition");
  assert.equal((await postInvocationError(emulator.url, "busy", "{}")).status, 400);
  const second = await openStreamPost(emulator.url, "busy");
  assert.equal((await second.finish()).status, 400);
  assert.equal((await post.finish()).status, 202);
  assert.equal(decoder.decode(await reading), "begun");
  assert.equal(asStream(await pending).bodyBytes, 5);
  assert.equal((await postResponse(emulator.url, "busy", "{}")).status, 400);
});

Deno.test("startEmulator() times a stream out at its deadline, answers 410 and drains the rest", async () => {
  const lines: string[] = [];
  const clock = new ManualClock();
  await using emulator = await startEmulator({ log: (line) => lines.push(line), clock });
  const started = Promise.withResolvers<ResponseStream>();
  const pending = emulator.invoke({}, {
    requestId: "slow-stream",
    timeoutMs: 100,
    onStream: started.resolve,
  });
  await runtimeNext(emulator.url);
  const post = await openStreamPost(emulator.url, "slow-stream", { contentType: "text/plain" });
  const reader = (await started.promise).body.getReader();
  await post.send("early");
  assert.equal(decoder.decode((await reader.read()).value), "early");
  clock.advance(99);
  assert.equal(emulator.stats.inFlight, 1, "1 ms before the deadline");
  clock.advance(1);
  const result = await pending;
  assert.equal(result.kind, "timeout");
  assert.equal(result.timing.completedAt - result.timing.handedOutAt, 100);
  assert.match(String(await failure(reader.read())), /timed out/);
  const answer = await post.answer();
  assert.equal(answer.status, 410);
  assert.ok(lines.some((line) => line.includes("timed out mid-stream")), lines.join("\n"));

  // The rest is read and dropped; the connection then serves the next request.
  await post.send("late");
  await post.write("0\r\n\r\nGET /2018-06-01/nothing HTTP/1.1\r\nHost: x\r\n\r\n");
  assert.equal((await post.answer()).status, 404);
});

Deno.test("startEmulator() close() ends a stream under way with 500", async () => {
  const emulator = await startEmulator();
  const started = Promise.withResolvers<ResponseStream>();
  const pending = emulator.invoke({}, { requestId: "closing", onStream: started.resolve });
  const rejected = assert.rejects(pending, EmulatorClosedError);
  await runtimeNext(emulator.url);
  const post = await openStreamPost(emulator.url, "closing", { contentType: "text/plain" });
  const reading = failure(readBody((await started.promise).body));
  await post.send("x");
  const closing = emulator.close();
  assert.match(String(await reading), /closed mid-stream/);
  assert.equal((await post.answer()).status, 500);
  post.close();
  await closing;
  await rejected;
});

Deno.test("startEmulator() completes a stream cut off by the runtime as interrupted", async () => {
  await using emulator = await startEmulator();
  const pending = emulator.invoke({}, { requestId: "cut" });
  await runtimeNext(emulator.url);
  const post = await openStreamPost(emulator.url, "cut", { contentType: "text/plain" });
  await post.send("half");
  post.close();
  const result = asStream(await pending);
  assert.equal(result.errorType, "Emulator.StreamInterrupted");
  assert.match(result.errorMessage ?? "", /ended early/);
  assert.equal(decoder.decode(result.body), "half");
});

Deno.test("startEmulator() receives a stream the HTTP client sends with trailers", async () => {
  await using emulator = await startEmulator();
  const pending = emulator.invoke({}, { requestId: "client" });
  await runtimeNext(emulator.url);
  const url = new URL(emulator.url);
  const client = createHttpClient({ hostname: url.hostname, port: Number(url.port) });
  try {
    const parts = ['{"statusCode":200}', "\0".repeat(8), "a", "b"];
    const body = ReadableStream.from(parts.map((part) => new TextEncoder().encode(part)));
    const response = await client.request({
      method: "POST",
      target: "/2018-06-01/runtime/invocation/client/response",
      headers: [
        ["Lambda-Runtime-Function-Response-Mode", "streaming"],
        ["Content-Type", "application/vnd.awslambda.http-integration-response"],
        ["Trailer", "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body"],
      ],
      body,
      trailers: () => [["Lambda-Runtime-Function-Error-Type", "Runtime.Late"]],
    });
    assert.equal(response.status, 202);
    await readBody(response.body);
  } finally {
    await client.close();
  }
  const result = asStream(await pending);
  assert.deepEqual(result.prelude, { statusCode: 200 });
  assert.equal(decoder.decode(result.body), "ab");
  assert.equal(result.errorType, "Runtime.Late");
  assert.equal(result.errorMessage, "");
});
