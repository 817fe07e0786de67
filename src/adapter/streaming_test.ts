import assert from "node:assert/strict";
import { ErrorType, InvocationError } from "../lambda/errors.ts";
import { prelude, streamingPayload } from "./streaming.ts";

const text = new TextEncoder();
const classify = (error: unknown) =>
  new InvocationError(ErrorType.AppUnreachable, `read failed: ${(error as Error).message}`);

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

Deno.test("prelude() writes status, single-value headers and cookies, then 8 NULs", () => {
  const bytes = prelude(302, [
    ["Location", "/next"],
    ["Set-Cookie", "a=1"],
    ["set-cookie", "b=2"],
    ["X-A", "1"],
    ["x-a", "2"],
    ["Transfer-Encoding", "chunked"],
  ]);
  const json = new TextDecoder().decode(bytes.subarray(0, bytes.byteLength - 8));
  assert.deepEqual(JSON.parse(json), {
    statusCode: 302,
    headers: { location: "/next", "x-a": "1, 2", "content-type": "application/octet-stream" },
    cookies: ["a=1", "b=2"],
  });
  assert.deepEqual(bytes.subarray(bytes.byteLength - 8), new Uint8Array(8));
});

Deno.test("streamingPayload() passes chunks on one by one without reading ahead", async () => {
  let pulls = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulls++;
      if (pulls <= 3) controller.enqueue(text.encode(`chunk ${pulls}`));
      else controller.close();
    },
  }, { highWaterMark: 0 });
  const payload = streamingPayload(200, [["content-type", "text/plain"]], source, { classify });
  const reader = payload.body.getReader();
  await reader.read(); // the prelude
  assert.equal(pulls, 0);
  assert.equal(new TextDecoder().decode((await reader.read()).value), "chunk 1");
  assert.equal(pulls, 1);
  assert.equal(new TextDecoder().decode((await reader.read()).value), "chunk 2");
  assert.equal(pulls, 2);
  await reader.read();
  assert.equal((await reader.read()).done, true);
  assert.deepEqual(payload.trailers(), []);
  assert.deepEqual(await payload.done, { bytes: 21, error: undefined });
});

Deno.test("streamingPayload() ends an empty body right after the prelude", async () => {
  const payload = streamingPayload(204, [], ReadableStream.from([]), { classify });
  const chunks = await collect(payload.body);
  assert.equal(chunks.length, 1);
  assert.deepEqual(payload.trailers(), []);
});

Deno.test("streamingPayload() reports a mid-stream failure in the trailers", async () => {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(text.encode("partial"));
    },
    pull(controller) {
      controller.error(new Error("connection reset"));
    },
  });
  const payload = streamingPayload(200, [], source, { classify });
  const chunks = await collect(payload.body);
  assert.equal(new TextDecoder().decode(chunks[1]), "partial");
  const trailers = payload.trailers();
  assert.deepEqual(trailers[0], [
    "Lambda-Runtime-Function-Error-Type",
    "LambdaAdapter.AppUnreachable",
  ]);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(Uint8Array.fromBase64(trailers[1]![1]))), {
    errorType: "LambdaAdapter.AppUnreachable",
    errorMessage: "read failed: connection reset",
  });
  assert.equal((await payload.done).error?.errorType, "LambdaAdapter.AppUnreachable");
});

Deno.test("streamingPayload() cuts the stream at the limit and says so", async () => {
  let cancelled = false;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(new Uint8Array(400));
    },
    cancel() {
      cancelled = true;
    },
  });
  const payload = streamingPayload(200, [], source, { classify, limit: 1000 });
  const chunks = await collect(payload.body);
  const bodyBytes = chunks.slice(1).reduce((n, c) => n + c.byteLength, 0);
  assert.equal(bodyBytes, 800);
  assert.ok(cancelled);
  assert.equal(payload.trailers()[0]![1], "LambdaAdapter.ResponseTooLarge");
});
