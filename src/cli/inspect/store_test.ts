import assert from "node:assert/strict";
import type { Outcome } from "../environments.ts";
import { CapturedBody } from "./record.ts";
import { InvocationStore, KEPT_INVOCATIONS } from "./store.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const begun = { via: "front door", method: "GET", path: "/", source: "function-url" };
const timing = { queuedAt: 0, handedOutAt: 1, completedAt: 2 };
const response = (body: string): Outcome => ({
  kind: "response",
  requestId: "x",
  body: bytes(body),
  headers: new Headers(),
  timing,
});

Deno.test("the store fills a record hop by hop and tells its listeners", () => {
  const store = new InvocationStore();
  const seen: unknown[] = [];
  const unsubscribe = store.subscribe((summary) => seen.push([summary.seq, summary.done]));
  const record = store.begin("id-1", bytes("{}"), begun);
  store.line("[app] handling \u{1F600}");
  store.line("[adapter] INFO something requestId=id-1");
  store.line("GET / -> 200 in 3 ms"); // emulate's own line, no request id: not the invocation's
  store.line(
    "REPORT RequestId: id-1\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\t" +
      "Max Memory Used: 77 MB\t",
  );
  store.end("id-1", response('{"statusCode":201,"body":""}'), 40);
  store.line("[app] after the end");
  assert.equal(record.status, "201");
  assert.equal(record.done, true);
  assert.equal(record.durationMs, 12.5, "REPORT's Duration wins over the front door's");
  assert.equal(record.maxMemoryUsedMb, 77);
  assert.deepEqual(record.logs.map((line) => line.text), [
    "[app] handling \u{1F600}",
    "[adapter] INFO something requestId=id-1",
  ]);
  assert.deepEqual(seen, [[1, false], [1, false], [1, true]]);
  unsubscribe();
  store.begin("id-2", bytes("{}"), begun);
  assert.equal(seen.length, 3);
});

Deno.test("with two running, a line naming one request id goes to that one only", () => {
  const store = new InvocationStore();
  const one = store.begin("id-1", bytes("{}"), begun);
  const two = store.begin("id-2", bytes("{}"), begun);
  store.line("[adapter] WARN slow requestId=id-2");
  store.line("[app] unnamed");
  assert.deepEqual(one.logs.map((line) => line.text), ["[app] unnamed"]);
  assert.deepEqual(two.logs.map((line) => line.text), [
    "[adapter] WARN slow requestId=id-2",
    "[app] unnamed",
  ]);
});

Deno.test(`the store keeps the last ${KEPT_INVOCATIONS}, newest first`, () => {
  const store = new InvocationStore();
  for (let i = 1; i <= KEPT_INVOCATIONS + 5; i++) store.begin(`id-${i}`, bytes("{}"), begun);
  const list = store.list();
  assert.equal(list.length, KEPT_INVOCATIONS);
  assert.equal(list[0]!.seq, KEPT_INVOCATIONS + 5);
  assert.equal(list.at(-1)!.seq, 6);
  assert.equal(store.get(5), undefined);
  store.end("id-1", response("{}"), 1); // long gone: ignored
});

Deno.test("an errorType, a timeout and a stream read as the list shows them", () => {
  const store = new InvocationStore();
  const failed = store.begin("a", bytes("{}"), begun);
  store.end("a", {
    kind: "failed",
    requestId: "a",
    errorType: "Runtime.ExitError",
    errorMessage: "RequestId: a Error: Runtime exited with error: signal: killed",
    reason: "killed",
    tail: [],
  }, 5);
  assert.deepEqual([failed.status, failed.failed], ["Runtime.ExitError", true]);
  const late = store.begin("b", bytes("{}"), begun);
  store.end(
    "b",
    { kind: "timeout", requestId: "b", timeoutMs: 3000, during: "invoke", tail: [] },
    3,
  );
  assert.equal(late.status, "Task timed out");
  const streamed = store.begin("c", bytes("{}"), begun);
  store.end("c", {
    kind: "stream",
    requestId: "c",
    headers: new Headers(),
    contentType: "application/vnd.awslambda.http-integration-response",
    prelude: { statusCode: 206 },
    body: new Uint8Array(),
    bodyBytes: 10,
    chunks: [{ bytes: 4, at: 11 }, { bytes: 6, at: 21 }],
    trailers: new Headers(),
    timing,
  }, 30);
  assert.deepEqual([streamed.status, streamed.streamed], ["206", true]);
  assert.deepEqual(streamed.result?.kind === "stream" && streamed.result.chunks, [
    { bytes: 4, atMs: 10 },
    { bytes: 6, atMs: 20 },
  ]);
});

Deno.test("a captured body keeps its limit, counts the rest, and copies what it keeps", () => {
  const reused = bytes("abcdef");
  const body = new CapturedBody(4, reused);
  reused.fill(0);
  body.append(bytes("gh"));
  assert.equal(new TextDecoder().decode(body.bytes), "abcd");
  assert.deepEqual([body.size, body.kept, body.truncated], [8, 4, true]);
  body.drop();
  assert.deepEqual([body.size, body.kept, body.dropped, body.bytes.byteLength], [8, 0, true, 0]);
});
