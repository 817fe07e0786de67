import assert from "node:assert/strict";
import { Random } from "../../tests/random.ts";
import { BODY, serializeResult } from "./result_json.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What the serialiser must produce: the plain way, body materialised then stringified. */
function naive(result: Record<string, unknown>, body: Uint8Array, text: boolean): string {
  let value: string;
  if (text) value = new TextDecoder("utf-8", { fatal: true }).decode(body);
  else value = body.toBase64();
  return JSON.stringify({ ...result, body: value, isBase64Encoded: !text });
}

function make(result: Record<string, unknown>, text: boolean) {
  return (forceBase64: boolean) => ({
    ...result,
    body: BODY,
    isBase64Encoded: forceBase64 || !text,
  });
}

Deno.test("serializeResult() writes text byte for byte as JSON.stringify would", () => {
  const random = new Random();
  const pieces = [
    "a",
    "é",
    "日",
    "💳",
    '"',
    "\\",
    "\n",
    "\t",
    "\u0000",
    "\u001f",
    "\u2028",
    "/",
    "<",
  ];
  const result = { statusCode: 200, headers: { "x-é": "ü 💳", "content-type": "text/plain" } };
  // Sizes around the 48 KiB slices, so escapes and multi-byte characters straddle them.
  for (const size of [0, 1, 2, 49_151, 49_152, 49_153, 98_305, 200_000]) {
    const parts: string[] = [];
    for (let bytes = 0; bytes < size;) {
      const piece = random.pick(pieces);
      parts.push(piece);
      bytes += encoder.encode(piece).length;
    }
    const text = parts.join("");
    const body = encoder.encode(text);
    const got = decoder.decode(serializeResult(make(result, true), body));
    const want = body.length === 0
      ? JSON.stringify({ ...result, body: "", isBase64Encoded: false })
      : naive(result, body, true);
    assert.equal(got, want, `text of ${body.length} bytes`);
  }
});

Deno.test("serializeResult() writes base64 across slices exactly", () => {
  const random = new Random(7);
  const result = { statusCode: 201, multiValueHeaders: { a: ["1", "2"] } };
  for (const size of [1, 2, 3, 4, 49_151, 49_152, 49_153, 4_400_000]) {
    const body = random.bytes(size);
    const got = decoder.decode(serializeResult(make(result, false), body));
    assert.equal(got, naive(result, body, false), `${size} bytes`);
  }
});

Deno.test("serializeResult() falls back to base64 when the text is not UTF-8", () => {
  const result = { statusCode: 200 };
  for (
    const body of [
      new Uint8Array([0xff]),
      new Uint8Array([0x61, 0xc3]),
      new Uint8Array(70_000).fill(0x80),
    ]
  ) {
    const json = JSON.parse(decoder.decode(serializeResult(make(result, true), body)));
    assert.equal(json.isBase64Encoded, true);
    assert.deepEqual(Uint8Array.fromBase64(json.body), body);
  }
  // A UTF-8 sequence split across the 48 KiB slice boundary is still text.
  const straddling = encoder.encode("a".repeat(49_151) + "💳" + "b");
  const json = JSON.parse(decoder.decode(serializeResult(make(result, true), straddling)));
  assert.equal(json.isBase64Encoded, false);
  assert.equal(json.body, "a".repeat(49_151) + "💳" + "b");
});

Deno.test("serializeResult() drops a leading BOM from text only", () => {
  const body = new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]);
  const text = JSON.parse(decoder.decode(serializeResult(make({}, true), body)));
  assert.equal(text.body, "hi");
  const binary = JSON.parse(decoder.decode(serializeResult(make({}, false), body)));
  assert.deepEqual(Uint8Array.fromBase64(binary.body), body);
});
