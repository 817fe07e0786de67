import assert from "node:assert/strict";
import { concatBytes } from "./bytes.ts";

Deno.test("concatBytes() joins chunks", () => {
  assert.deepEqual(
    concatBytes([new Uint8Array([1]), new Uint8Array([2, 3])]),
    new Uint8Array([1, 2, 3]),
  );
  assert.deepEqual(concatBytes([]), new Uint8Array());
  const one = new Uint8Array([9]);
  assert.equal(concatBytes([one]), one);
});
