import assert from "node:assert/strict";
import { generateTraceId, randomHex } from "./trace_id.ts";

Deno.test("generateTraceId() follows the X-Ray header format", () => {
  const trace = generateTraceId(0x65000000 * 1000);
  assert.match(trace, /^Root=1-65000000-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
});

Deno.test("generateTraceId() differs between calls", () => {
  assert.notEqual(generateTraceId(), generateTraceId());
});

Deno.test("randomHex() returns two hex digits per byte", () => {
  assert.match(randomHex(3), /^[0-9a-f]{6}$/);
  assert.equal(randomHex(0), "");
});
