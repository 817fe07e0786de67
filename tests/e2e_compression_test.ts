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
import { invokeAckedEvents } from "./support/acked_events.ts";

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
  const plain = await stack.emulator.invoke(event("/_/sse/5/1"));
  assert.equal(plain.kind, "stream");
  const plainPrelude = (plain as { prelude: { headers: Record<string, string> } }).prelude;
  assert.equal(plainPrelude.headers["content-encoding"], undefined);
  for (const encoding of ["gzip", "br"]) {
    // The app writes each event only once the test has decompressed the one before from what
    // arrived: a compressor that held an event back would stall the stream.
    const { result, events, body } = await invokeAckedEvents(
      stack,
      event(`/_/events/5/${encoding}`, encoding),
      encoding,
      { decode: (received) => decompress(encoding, received, true) },
    );
    assert.equal(result.kind, "stream");
    const streamed = result as Extract<InvokeResult, { kind: "stream" }>;
    const prelude = streamed.prelude as { headers: Record<string, string> };
    assert.equal(prelude.headers["content-encoding"], encoding);
    // One compressed chunk per event, then the format's closing bytes.
    assert.equal(streamed.chunks.length, 6, `${encoding}: ${streamed.chunks.length} chunks`);
    assert.deepEqual(events, Array.from({ length: 5 }, (_, i) => `id: ${i}\ndata: event ${i}`));
    assert.equal(decompress(encoding, body), events.map((text) => `${text}\n\n`).join(""));
  }
  const big = await stack.emulator.invoke(event("/_/stream/3000000", "br")) as Extract<
    InvokeResult,
    { kind: "stream" }
  >;
  const expected = Uint8Array.from({ length: 3_000_000 }, (_, i) => i % 251);
  assert.deepEqual(new Uint8Array(zlib.brotliDecompressSync(big.body)), expected);
});
