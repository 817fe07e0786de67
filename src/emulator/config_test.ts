import assert from "node:assert/strict";
import { resolveConfig } from "./config.ts";

Deno.test("resolveConfig() fills in Lambda's defaults", () => {
  const config = resolveConfig({});
  assert.equal(config.hostname, "127.0.0.1");
  assert.equal(config.port, 0);
  assert.equal(config.functionName, "function");
  assert.equal(config.functionVersion, "$LATEST");
  assert.equal(config.memoryMb, 128);
  assert.equal(config.region, "us-east-1");
  assert.equal(config.handler, "");
  assert.equal(config.functionTimeoutMs, 3000);
  assert.equal(config.initTimeoutMs, 10_000);
  assert.equal(config.maxConcurrency, 1);
  assert.equal(config.log, undefined);
});

Deno.test("resolveConfig() refuses impossible values", () => {
  assert.throws(() => resolveConfig({ maxConcurrency: 0 }), RangeError);
  assert.throws(() => resolveConfig({ maxConcurrency: 1.5 }), RangeError);
  assert.throws(() => resolveConfig({ functionTimeoutMs: 0 }), RangeError);
  assert.throws(() => resolveConfig({ initTimeoutMs: Number.NaN }), RangeError);
  assert.throws(() => resolveConfig({ port: 70000 }), RangeError);
});
