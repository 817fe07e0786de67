import assert from "node:assert/strict";
import { resolveConfig } from "./config.ts";
import { buildInvocationSpec, encodeEvent, nextHeaders } from "./invocation_spec.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("encodeEvent() sends strings and bytes verbatim and JSON-encodes the rest", () => {
  const bytes = new Uint8Array([0xff]);
  assert.equal(encodeEvent(bytes), bytes);
  assert.equal(text(encodeEvent("{oops")), "{oops");
  assert.equal(text(encodeEvent({ a: 1 })), '{"a":1}');
  assert.equal(text(encodeEvent(null)), "null");
  assert.equal(text(encodeEvent(undefined)), "{}");
  assert.throws(() => encodeEvent(() => {}), TypeError);
  assert.throws(() => encodeEvent(1n), TypeError);
});

Deno.test("buildInvocationSpec() fills in the request id, trace id and ARN", () => {
  const config = resolveConfig({
    functionName: "fn",
    region: "ap-south-1",
    functionTimeoutMs: 900,
  });
  const spec = buildInvocationSpec({}, {}, config);
  assert.match(spec.requestId, /^[0-9a-f-]{36}$/);
  assert.match(spec.traceId, /^Root=1-/);
  assert.equal(spec.invokedFunctionArn, "arn:aws:lambda:ap-south-1:000000000000:function:fn");
  assert.equal(spec.timeoutMs, 900);
  assert.throws(() => buildInvocationSpec({}, { timeoutMs: -1 }, config), RangeError);
  assert.throws(() => buildInvocationSpec({}, { headers: { "bad name": "x" } }, config), TypeError);
});

Deno.test("nextHeaders() applies overrides after the standard headers", () => {
  const config = resolveConfig({});
  const spec = buildInvocationSpec({}, {
    requestId: "id",
    tenantId: "t",
    headers: { "Lambda-Runtime-Aws-Request-Id": "other", "Content-Type": null },
  }, config);
  const headers = nextHeaders(spec, 1234);
  assert.equal(headers.get("Lambda-Runtime-Aws-Request-Id"), "other");
  assert.equal(headers.get("Content-Type"), null);
  assert.equal(headers.get("Lambda-Runtime-Deadline-Ms"), "1234");
  assert.equal(headers.get("Lambda-Runtime-Aws-Tenant-Id"), "t");
});
