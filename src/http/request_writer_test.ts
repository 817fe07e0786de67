import assert from "node:assert/strict";
import { BufferedConn } from "./buffered_conn.ts";
import { encodeWith, RequestWriter } from "./request_writer.ts";
import { RawConn, socketPair } from "../../tests/support/raw_http.ts";
import type { OutgoingRequest } from "./types.ts";
import { sleep } from "../util/async.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const HEAD = "POST / HTTP/1.1\r\nHost: h\r\n\r\n";

/** Writes `request` through a RequestWriter and returns what the peer read. */
async function written(request: OutgoingRequest, bytes: number): Promise<string> {
  const [client, server] = await socketPair();
  const conn = new BufferedConn(client, () => {});
  const peer = new RawConn(server);
  try {
    const [, raw] = await Promise.all([
      new RequestWriter(conn, request, HEAD).write(),
      peer.readExactly(bytes),
    ]);
    return decoder.decode(raw!);
  } finally {
    conn.close();
    peer.close();
  }
}

Deno.test("RequestWriter writes the head and a byte body, small or large", async () => {
  const small = await written({
    method: "POST",
    target: "/",
    headers: [],
    body: encoder.encode("hi"),
  }, HEAD.length + 2);
  assert.equal(small, HEAD + "hi");
  const body = encoder.encode("z".repeat(200_000));
  assert.equal(
    await written({ method: "POST", target: "/", headers: [], body }, HEAD.length + body.length),
    HEAD + "z".repeat(200_000),
  );
});

Deno.test("RequestWriter frames stream chunks and writes trailers", async () => {
  const body = ReadableStream.from(["ab", "", "c".repeat(70_000)].map((s) => encoder.encode(s)));
  const expected = HEAD + "2\r\nab\r\n" + `${(70_000).toString(16)}\r\n${"c".repeat(70_000)}\r\n` +
    "0\r\nX-T: 1\r\n\r\n";
  const request = {
    method: "POST",
    target: "/",
    headers: [],
    body,
    trailers: () => Promise.resolve([["X-T", "1"]] as [string, string][]),
  };
  assert.equal(await written(request, expected.length), expected);
});

Deno.test("RequestWriter rejects an invalid trailer as a source failure", async () => {
  const [client, server] = await socketPair();
  const conn = new BufferedConn(client, () => {});
  const body = ReadableStream.from([encoder.encode("x")]);
  const writer = new RequestWriter(conn, {
    method: "POST",
    target: "/",
    headers: [],
    body,
    trailers: () => [["X-T", "bad\r\nvalue"]],
  }, HEAD);
  await assert.rejects(writer.write(), TypeError);
  assert.equal(writer.sourceFailed, true);
  conn.close();
  server.close();
});

Deno.test("RequestWriter.stop() cancels a pending read of the body", async () => {
  const [client, server] = await socketPair();
  const conn = new BufferedConn(client, () => {});
  let cancelled: unknown;
  const body = new ReadableStream<Uint8Array>({
    cancel(reason) {
      cancelled = reason;
    },
  });
  const writer = new RequestWriter(conn, { method: "POST", target: "/", headers: [], body }, HEAD);
  const writing = writer.write();
  await sleep(10);
  const reason = new Error("stop");
  writer.stop(reason);
  await assert.rejects(writing, (err) => err === reason);
  assert.equal(cancelled, reason);
  assert.equal(writer.sourceFailed, false);
  conn.close();
  server.close();
});

Deno.test("encodeWith() sizes the buffer in UTF-8 bytes, whatever the head's characters", () => {
  // Issue 9, point 1: a UTF-8 cookie with a small body wrote the body past the buffer's end.
  const heads = [
    "POST / HTTP/1.1\r\ncookie: name=José\r\n\r\n",
    "POST / HTTP/1.1\r\nx-a: 日本語\r\nx-b: 💳🙂\r\n\r\n",
    "POST / HTTP/1.1\r\nx: \u00ff\u0100\u07ff\u0800\uffff\r\n\r\n",
    "é",
    "éa",
    "💳" + "a".repeat(200),
  ];
  for (const head of heads) {
    for (const size of [0, 1, 2, 3, 100, 4095, 65_535]) {
      const body = Uint8Array.from({ length: size }, (_, i) => i % 251);
      const out = encodeWith(head, body, new Uint8Array([13, 10]));
      const headBytes = encoder.encode(head);
      assert.equal(out.length, headBytes.length + size + 2, `${size} after ${head.length} units`);
      assert.deepEqual(out.subarray(0, headBytes.length), headBytes);
      assert.deepEqual(out.subarray(headBytes.length, headBytes.length + size), body);
    }
  }
});
