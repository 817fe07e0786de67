/**
 * Compression end to end, buffered and streaming, gzip and brotli: what the client gets
 * decompresses byte for byte to what the app sent; a client that accepts nothing gets plain
 * bytes; server-sent events stay one event per chunk when compressed.
 */

import assert from "node:assert/strict";
import * as zlib from "node:zlib";
import type { InvokeResult } from "../src/emulator/mod.ts";
import { loadEvent } from "./fixtures.ts";
import { resultJson, startStack } from "./harness.ts";

const url = loadEvent("aws-lambda-go/lambda-urls-request.json");
const COMPRESSED = { AWS_LWA_ENABLE_COMPRESSION: "true" };

function event(path: string, acceptEncoding?: string) {
  return {
    ...url,
    rawPath: path,
    rawQueryString: "",
    headers: acceptEncoding ? { "accept-encoding": acceptEncoding } : {},
  };
}

function decompress(encoding: string | undefined, bytes: Uint8Array, partial = false): string {
  const flush = partial
    ? encoding === "br"
      ? { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH }
      : { finishFlush: zlib.constants.Z_SYNC_FLUSH }
    : {};
  const out = encoding === "gzip"
    ? zlib.gunzipSync(bytes, flush)
    : encoding === "br"
    ? zlib.brotliDecompressSync(bytes, flush)
    : bytes;
  return new TextDecoder().decode(out);
}

Deno.test("buffered answers are compressed for clients that accept it, plain otherwise", async () => {
  await using stack = await startStack({ app: "deno", env: COMPRESSED });
  const original = resultJson(await stack.emulator.invoke(event("/_/html/20000")));
  const page = original.body as string;
  assert.ok(page.length >= 20000);
  const cases: [string | undefined, string | undefined][] = [
    ["gzip", "gzip"],
    ["br", "br"],
    ["gzip, deflate, br", "br"],
    ["br;q=0.5, gzip", "gzip"],
    [undefined, undefined],
    ["identity", undefined],
  ];
  for (const [accept, expected] of cases) {
    const result = resultJson(await stack.emulator.invoke(event("/_/html/20000", accept)));
    const headers = result.headers as Record<string, string>;
    assert.equal(headers["content-encoding"], expected, `${accept}`);
    assert.equal(headers["vary"], "Accept-Encoding");
    assert.equal(result.isBase64Encoded, expected !== undefined);
    const bytes = result.isBase64Encoded
      ? Uint8Array.fromBase64(result.body as string)
      : new TextEncoder().encode(result.body as string);
    if (expected) {
      assert.equal(headers["content-length"], undefined);
      assert.ok(bytes.byteLength < page.length / 3, `${expected}: ${bytes.byteLength} bytes`);
    }
    assert.equal(decompress(expected, bytes), page);
  }
  // Below 32 bytes and images are left alone.
  const tiny = resultJson(await stack.emulator.invoke(event("/_/text/10", "gzip")));
  assert.equal((tiny.headers as Record<string, string>)["content-encoding"], undefined);
});

Deno.test("compression is off unless enabled", async () => {
  await using stack = await startStack({ app: "deno" });
  const result = resultJson(await stack.emulator.invoke(event("/_/html/5000", "gzip, br")));
  assert.equal((result.headers as Record<string, string>)["content-encoding"], undefined);
  assert.equal(result.isBase64Encoded, false);
});

Deno.test("streamed answers are compressed chunk by chunk; events still arrive one by one", async () => {
  await using stack = await startStack({
    app: "deno",
    env: { ...COMPRESSED, AWS_LWA_INVOKE_MODE: "response_stream" },
  });
  const plain = await stack.emulator.invoke(event("/_/sse/5/100"));
  assert.equal(plain.kind, "stream");
  for (const encoding of ["gzip", "br"]) {
    const result = await stack.emulator.invoke(event("/_/sse/5/100", encoding)) as Extract<
      InvokeResult,
      { kind: "stream" }
    >;
    assert.equal(result.kind, "stream");
    const prelude = result.prelude as { headers: Record<string, string> };
    assert.equal(prelude.headers["content-encoding"], encoding);
    // One compressed chunk per event, then the format's closing bytes.
    assert.equal(result.chunks.length, 6, `${encoding}: ${result.chunks.length} chunks`);
    const events = result.chunks.slice(0, 5);
    const gaps = events.slice(1).map((chunk, i) => chunk.at - events[i]!.at);
    for (const gap of gaps) assert.ok(gap > 60, `${encoding} gaps ${gaps.map(Math.round)}`);
    // Each prefix of the stream already decompresses to whole events.
    let received = 0;
    for (let i = 0; i < events.length; i++) {
      received += events[i]!.bytes;
      const text = decompress(encoding, result.body.subarray(0, received), true);
      assert.equal(text.split("\n\n").filter(Boolean).length, i + 1);
    }
    const text = decompress(encoding, result.body);
    assert.match(text, /^id: 0\ndata: event 0 at \d+\n\n(id: \d\ndata: event \d at \d+\n\n){4}$/);
  }
  const big = await stack.emulator.invoke(event("/_/stream/3000000", "br")) as Extract<
    InvokeResult,
    { kind: "stream" }
  >;
  const expected = Uint8Array.from({ length: 3_000_000 }, (_, i) => i % 251);
  assert.deepEqual(new Uint8Array(zlib.brotliDecompressSync(big.body)), expected);
});
