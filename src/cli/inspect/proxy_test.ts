import assert from "node:assert/strict";
import type { AppRequest, AppResponse } from "./record.ts";
import { startProxy } from "./proxy.ts";

const context = (id: string) => JSON.stringify({ request_id: id });
const binary = Uint8Array.from({ length: 300 }, (_, i) => i % 256);

/** An app answering: POST /echo its body back; GET /chunks three pieces; HEAD with a length. */
function startApp() {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const path = new URL(request.url).pathname;
    if (path === "/chunks") {
      const parts = ["one ", "two ", "three"].map((text) => new TextEncoder().encode(text));
      const body = new ReadableStream({
        pull(controller) {
          const next = parts.shift();
          if (next) controller.enqueue(next);
          else controller.close();
        },
      });
      return new Response(body, { headers: { "x-reply": "chunked" } });
    }
    const bytes = new Uint8Array(await request.arrayBuffer());
    return new Response(request.method === "HEAD" ? null : bytes, {
      headers: { "content-type": "application/octet-stream", "content-length": "300" },
    });
  });
}

Deno.test("the recording proxy passes bytes unchanged and records each exchange by request id", async () => {
  await using app = startApp();
  const requests: [string, AppRequest][] = [];
  const responses: [string, AppResponse][] = [];
  const proxy = startProxy("127.0.0.1", { hostname: "127.0.0.1", port: app.addr.port }, {
    onRequest: (id, request) => requests.push([id, request]),
    onResponse: (id, response) => responses.push([id, response]),
  });
  const base = `http://127.0.0.1:${proxy.port}`;
  try {
    const echoed = await fetch(`${base}/echo?q=1`, {
      method: "POST",
      headers: { "x-b": "2", "x-a": "caf\u00e9", "x-amzn-lambda-context": context("one") },
      body: binary,
    });
    assert.deepEqual(new Uint8Array(await echoed.arrayBuffer()), binary, "passed unchanged");
    const chunked = await fetch(`${base}/chunks`, {
      headers: { "x-amzn-lambda-context": context("two") },
    });
    assert.equal(await chunked.text(), "one two three");
    const head = await fetch(`${base}/echo`, {
      method: "HEAD",
      headers: { "x-amzn-lambda-context": context("three") },
    });
    assert.equal(head.headers.get("content-length"), "300");
    const unrecorded = await fetch(`${base}/echo`, { method: "POST", body: "readiness" });
    await unrecorded.body?.cancel();

    assert.deepEqual(requests.map(([id, r]) => [id, r.method, r.target]), [
      ["one", "POST", "/echo?q=1"],
      ["two", "GET", "/chunks"],
      ["three", "HEAD", "/echo"],
    ]);
    const [, post] = requests[0]!;
    const names = post.headers.map(([name]) => name.toLowerCase());
    assert.ok(names.indexOf("x-b") < names.indexOf("x-a"), "headers in the order sent");
    assert.deepEqual(post.headers.find(([name]) => name === "x-a"), ["x-a", "caf\u00e9"]);
    assert.deepEqual(post.body.bytes, binary);

    assert.deepEqual(responses.map(([id, r]) => [id, r.status, r.complete]), [
      ["one", 200, true],
      ["two", 200, true],
      ["three", 200, true],
    ]);
    assert.deepEqual(responses[0]![1].body.bytes, binary);
    const streamed = responses[1]![1];
    assert.equal(new TextDecoder().decode(streamed.body.bytes), "one two three");
    assert.ok(streamed.headers.some(([name, value]) => name === "x-reply" && value === "chunked"));
    assert.ok(streamed.chunks.length >= 1 && streamed.chunks.every((c) => c.atMs >= 0));
    assert.equal(responses[2]![1].body.size, 0, "a HEAD answer has no body");
  } finally {
    proxy.close();
  }
});

Deno.test("the tap reads UTF-8 header bytes as text, and survives bytes that are not HTTP", async () => {
  await using app = startApp();
  const requests: AppRequest[] = [];
  const proxy = startProxy("127.0.0.1", { hostname: "127.0.0.1", port: app.addr.port }, {
    onRequest: (_id, request) => requests.push(request),
    onResponse: () => {},
  });
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: proxy.port });
    const head = `POST /echo HTTP/1.1\r\nhost: x\r\nx-amzn-lambda-context: ${context("u")}\r\n` +
      "x-name: \u2713 \u{1F600}\r\ncontent-length: 2\r\nconnection: close\r\n\r\nhi";
    await conn.write(new TextEncoder().encode(head));
    const answer = new TextDecoder().decode(await new Response(conn.readable).arrayBuffer());
    assert.match(answer, /^HTTP\/1\.1 200 OK/);
    assert.deepEqual(requests[0]?.headers.find(([name]) => name === "x-name"), [
      "x-name",
      "\u2713 \u{1F600}",
    ]);

    const garbage = await Deno.connect({ hostname: "127.0.0.1", port: proxy.port });
    await garbage.write(new TextEncoder().encode("\u0000\u00ff not http \ud800\r\n\r\n"));
    await new Response(garbage.readable).arrayBuffer(); // the app refuses it and closes
    assert.equal(requests.length, 1, "nothing recorded from bytes that are not HTTP");
    const after = await fetch(`http://127.0.0.1:${proxy.port}/echo`, {
      method: "POST",
      headers: { "x-amzn-lambda-context": context("after") },
      body: "still recording",
    });
    assert.equal(await after.text(), "still recording");
    assert.equal(requests.length, 2);
  } finally {
    proxy.close();
  }
});
