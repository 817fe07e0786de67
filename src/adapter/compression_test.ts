import assert from "node:assert/strict";
import * as zlib from "node:zlib";
import {
  compressBody,
  compressedHeaders,
  compressionStream,
  isCompressible,
  negotiateEncoding,
} from "./compression.ts";
import type { HeaderList } from "../http/types.ts";
import { concatBytes } from "../util/bytes.ts";

const text = new TextEncoder();

Deno.test("negotiateEncoding() honours q-values, refusals and *", async (t) => {
  const cases: [string | undefined, string | undefined][] = [
    [undefined, undefined],
    ["", undefined],
    ["gzip", "gzip"],
    ["x-gzip", "gzip"],
    ["br", "br"],
    ["gzip, deflate, br", "br"],
    ["gzip;q=1.0, br;q=0.5", "gzip"],
    ["br;q=0, gzip", "gzip"],
    ["gzip;q=0, br;q=0", undefined],
    ["identity", undefined],
    ["identity;q=1, gzip;q=0.5", undefined],
    ["deflate, zstd", undefined],
    ["*", "br"],
    ["*;q=0.5, gzip;q=0.8", "gzip"],
    ["*, br;q=0", "gzip"],
    ["GZIP;Q=0.8", "gzip"],
    ["gzip;q=bogus", "gzip"],
  ];
  for (const [header, expected] of cases) {
    await t.step(
      `${JSON.stringify(header)}`,
      () => assert.equal(negotiateEncoding(header), expected),
    );
  }
});

Deno.test("isCompressible() skips what must not or need not be compressed", async (t) => {
  const json: HeaderList = [["content-type", "application/json"]];
  const cases: [string, string, number, HeaderList, boolean][] = [
    ["json", "GET", 200, json, true],
    ["unknown length", "GET", 200, [["content-type", "text/html"]], true],
    ["svg", "GET", 200, [["content-type", "image/svg+xml"]], true],
    ["event stream", "GET", 200, [["content-type", "text/event-stream"]], true],
    ["octet-stream", "GET", 200, [["content-type", "application/octet-stream"]], true],
    ["HEAD", "HEAD", 200, json, false],
    ["204", "GET", 204, json, false],
    ["304", "GET", 304, json, false],
    ["206", "GET", 206, json, false],
    ["already encoded", "GET", 200, [...json, ["content-encoding", "gzip"]], false],
    ["range", "GET", 200, [...json, ["content-range", "bytes 0-1/2"]], false],
    ["no-transform", "GET", 200, [...json, ["cache-control", "public, no-transform"]], false],
    ["png", "GET", 200, [["content-type", "image/png"]], false],
    ["video", "GET", 200, [["content-type", "video/mp4"]], false],
    ["grpc", "POST", 200, [["content-type", "application/grpc+proto"]], false],
    ["zip", "GET", 200, [["content-type", "application/zip"]], false],
    ["woff2", "GET", 200, [["content-type", "font/woff2"]], false],
    ["under 32 bytes", "GET", 200, [...json, ["content-length", "31"]], false],
    ["32 bytes", "GET", 200, [...json, ["content-length", "32"]], true],
  ];
  for (const [name, method, status, headers, expected] of cases) {
    await t.step(name, () => assert.equal(isCompressible(method, status, headers), expected));
  }
});

Deno.test("compressedHeaders() sets the encoding, drops the length and adds Vary once", () => {
  assert.deepEqual(
    compressedHeaders([
      ["Content-Type", "text/html"],
      ["Content-Length", "1000"],
      ["Accept-Ranges", "bytes"],
      ["ETag", '"abc"'],
    ], "br"),
    [
      ["Content-Type", "text/html"],
      ["ETag", 'W/"abc"'],
      ["vary", "Accept-Encoding"],
      ["content-encoding", "br"],
    ],
  );
  assert.deepEqual(
    compressedHeaders([["Vary", "Origin, accept-encoding"], ["Content-Length", "9"]], undefined),
    [["Vary", "Origin, accept-encoding"], ["Content-Length", "9"]],
  );
  assert.deepEqual(compressedHeaders([["vary", "Origin"]], "gzip"), [
    ["vary", "Origin"],
    ["vary", "Accept-Encoding"],
    ["content-encoding", "gzip"],
  ]);
});

Deno.test("compressBody() round-trips gzip and brotli", () => {
  const body = text.encode(JSON.stringify({ items: Array.from({ length: 500 }, (_, i) => i) }));
  const gzip = compressBody(zlib, body, "gzip");
  const br = compressBody(zlib, body, "br");
  assert.ok(gzip.byteLength < body.byteLength / 2 && br.byteLength < body.byteLength / 2);
  assert.deepEqual(new Uint8Array(zlib.gunzipSync(gzip)), body);
  assert.deepEqual(new Uint8Array(zlib.brotliDecompressSync(br)), body);
});

Deno.test("compressionStream() flushes each chunk as it comes, decompressing byte-exact", async () => {
  for (const encoding of ["gzip", "br"] as const) {
    let push!: (chunk: Uint8Array | null) => void;
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (chunk) => chunk ? controller.enqueue(chunk) : controller.close();
      },
    });
    const reader = source.pipeThrough(compressionStream(zlib, encoding)).getReader();
    const out: Uint8Array[] = [];
    for (const event of ["data: one\n\n", "data: two\n\n", "data: three\n\n"]) {
      push(text.encode(event));
      // The compressed bytes of this event arrive before the next event is written.
      const { value } = await reader.read();
      out.push(value!);
      const sofar = concatBytes(out);
      const partial = encoding === "gzip"
        ? zlib.gunzipSync(sofar, { finishFlush: zlib.constants.Z_SYNC_FLUSH })
        : zlib.brotliDecompressSync(sofar, {
          finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
        });
      assert.ok(new TextDecoder().decode(partial).endsWith(event), `${encoding} ${event}`);
    }
    push(null);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      out.push(value);
    }
    const all = concatBytes(out);
    const plain = encoding === "gzip" ? zlib.gunzipSync(all) : zlib.brotliDecompressSync(all);
    assert.equal(new TextDecoder().decode(plain), "data: one\n\ndata: two\n\ndata: three\n\n");
  }
});
