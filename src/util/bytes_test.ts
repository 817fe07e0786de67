import assert from "node:assert/strict";
import { concatBytes, truncateUtf8, utf8Length } from "./bytes.ts";

Deno.test("concatBytes() joins chunks", () => {
  assert.deepEqual(
    concatBytes([new Uint8Array([1]), new Uint8Array([2, 3])]),
    new Uint8Array([1, 2, 3]),
  );
  assert.deepEqual(concatBytes([]), new Uint8Array());
  const one = new Uint8Array([9]);
  assert.equal(concatBytes([one]), one);
});

Deno.test("utf8Length() counts UTF-8 bytes, not UTF-16 units", () => {
  const encoder = new TextEncoder();
  for (
    const text of [
      "",
      "abc",
      "José",
      "日本語",
      "💳🙂",
      "a\ud800b",
      "\udc00",
      "x\ud83d",
      "é💳\ud800z",
    ]
  ) {
    assert.equal(utf8Length(text), encoder.encode(text).length, JSON.stringify(text));
  }
});

Deno.test("truncateUtf8() cuts on a character boundary and says how much was cut", () => {
  assert.equal(truncateUtf8("short", 10), "short");
  const cut = truncateUtf8("💳".repeat(1000), 10);
  // Two 4-byte characters fit in 10 bytes; the third would be split.
  assert.equal(cut, "💳💳… [3992 more bytes cut]");
  const lone = truncateUtf8("ab\ud800cd".repeat(1000), 5);
  assert.match(lone, /^ab\ud800… \[\d+ more bytes cut\]$/);
  const big = truncateUtf8("é".repeat(1 << 20), 4096);
  assert.equal(new TextEncoder().encode(big.split("…")[0]).length, 4096);
  assert.match(big, /\[2093056 more bytes cut\]$/);
});
