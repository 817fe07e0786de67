import assert from "node:assert/strict";
import { acceptedResponse, errorResponse, methodNotAllowed, readBodyCapped } from "./http_util.ts";

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

function post(body: BodyInit | null, headers: HeadersInit = {}): Request {
  return new Request("http://x/", { method: "POST", body, headers });
}

Deno.test("readBodyCapped() returns bodies up to the limit and refuses longer ones", async () => {
  assert.deepEqual(await readBodyCapped(post("abcd"), 4), new TextEncoder().encode("abcd"));
  assert.equal(await readBodyCapped(post("abcde"), 4), undefined);
  assert.deepEqual(await readBodyCapped(post(null), 4), new Uint8Array());
});

Deno.test("readBodyCapped() counts streamed bodies without a Content-Length", async () => {
  const parts = [new Uint8Array([1, 2]), new Uint8Array([3])];
  assert.deepEqual(await readBodyCapped(post(streamOf(parts)), 3), new Uint8Array([1, 2, 3]));
  const longer = [new Uint8Array([1, 2]), new Uint8Array([3, 4])];
  assert.equal(await readBodyCapped(post(streamOf(longer)), 3), undefined);
});

Deno.test("response helpers use the APIs' JSON shapes", async () => {
  const error = errorResponse(400, "InvalidRequestID", "Invalid request ID");
  assert.equal(error.status, 400);
  assert.equal(error.headers.get("Content-Type"), "application/json");
  assert.equal(
    await error.text(),
    '{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}',
  );
  const accepted = acceptedResponse();
  assert.equal(accepted.status, 202);
  assert.equal(await accepted.text(), '{"status":"OK"}');
  const notAllowed = methodNotAllowed("GET", "PUT");
  assert.equal(notAllowed.status, 405);
  assert.equal(notAllowed.headers.get("Allow"), "GET");
  await notAllowed.body?.cancel();
});
