import assert from "node:assert/strict";
import { readBody } from "./read_body.ts";
import { always, readText, withRaw } from "../../tests/support/raw_http.ts";
import type { OutgoingRequest } from "./types.ts";
import { sleep } from "../util/async.ts";

const decoder = new TextDecoder();
const GET: OutgoingRequest = { method: "GET", target: "/", headers: [] };

Deno.test("createHttpClient() decodes chunks with extensions and drops trailers", async () => {
  const response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
    '5;ext=1\r\nhello\r\n6 ; a="b"\r\n world\r\n0\r\nX-Trailer: t\r\nX-Other: o\r\n\r\n';
  await withRaw(always(response), async (client, server) => {
    for (let i = 0; i < 3; i++) {
      const res = await client.request(GET);
      assert.equal(await readText(res.body), "hello world");
      assert.ok(!res.headers.some(([name]) => name === "X-Trailer"));
    }
    assert.equal(server.accepted, 1);
  });
});

Deno.test("createHttpClient() decodes chunks that arrive a few bytes at a time", async () => {
  const response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
    "a\r\n0123456789\r\n1;x\r\n!\r\n0\r\nT: 1\r\n\r\n";
  await withRaw(async (conn) => {
    while (await conn.readRequest()) {
      for (let i = 0; i < response.length; i += 3) {
        await conn.write(response.slice(i, i + 3));
        await sleep(1);
      }
    }
  }, async (client, server) => {
    for (let i = 0; i < 2; i++) {
      assert.equal(await readText((await client.request(GET)).body), "0123456789!");
    }
    assert.equal(server.accepted, 1);
  });
});

Deno.test("createHttpClient() hands out chunks whose buffers the caller may transfer", async () => {
  const sizes = [20_000, 3, 40_000, 17_000, 1, 70_000, 5];
  const parts = sizes.map((size, i) => "abcdefg"[i]!.repeat(size));
  const chunked = parts.map((part) => `${part.length.toString(16)}\r\n${part}\r\n`).join("");
  const response = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunked}0\r\n\r\n`;
  await withRaw(always(response), async (client) => {
    for (let round = 0; round < 2; round++) {
      let text = "";
      for await (const chunk of (await client.request(GET)).body) {
        text += decoder.decode(chunk);
        structuredClone(chunk.buffer, { transfer: [chunk.buffer as ArrayBuffer] });
      }
      assert.equal(text, parts.join(""));
    }
  });
});

Deno.test("createHttpClient() streams a chunked request body with trailers", async () => {
  let raw = "";
  await withRaw(async (conn) => {
    raw = decoder.decode((await conn.readRequest())!.raw);
    await conn.write("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
  }, async (client) => {
    const encoder = new TextEncoder();
    const parts = ["hello", "", " chunked", "x".repeat(20)];
    const body = ReadableStream.from(parts.map((part) => encoder.encode(part)));
    const res = await client.request({
      method: "POST",
      target: "/2018-06-01/runtime/invocation/id/response",
      headers: [["Trailer", "Lambda-Runtime-Function-Error-Type"], ["Content-Length", "1"]],
      body,
      trailers: () => [["Lambda-Runtime-Function-Error-Type", "Runtime.Failure"]],
    });
    assert.equal(res.status, 202);
    await readBody(res.body);
    assert.equal(
      raw,
      "POST /2018-06-01/runtime/invocation/id/response HTTP/1.1\r\n" +
        "Trailer: Lambda-Runtime-Function-Error-Type\r\nHost: " +
        raw.split("Host: ")[1]!.split("\r\n")[0] +
        "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n8\r\n chunked\r\n14\r\n" +
        "x".repeat(20) +
        "\r\n0\r\nLambda-Runtime-Function-Error-Type: Runtime.Failure\r\n\r\n",
    );
  });
});
