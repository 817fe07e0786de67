/**
 * Lambda Managed Instances: `AWS_LAMBDA_MAX_CONCURRENCY` loops serve invocations at once, and
 * nothing of one request reaches another.
 */

import assert from "node:assert/strict";
import { loadEvent } from "./fixtures.ts";
import { resultJson, startStack } from "./harness.ts";

const url = loadEvent("aws-lambda-go/lambda-urls-request.json");

Deno.test("adapter with AWS_LAMBDA_MAX_CONCURRENCY=8 keeps 200 concurrent invocations apart", async () => {
  await using stack = await startStack({
    app: "deno",
    env: { AWS_LAMBDA_MAX_CONCURRENCY: "8" },
    emulator: { maxConcurrency: 8, functionTimeoutMs: 20_000 },
  });
  let peak = 0;
  let inFlight = 0;
  const results = await Promise.all(Array.from({ length: 200 }, async (_, i) => {
    const requestId = `req-${i}`;
    const traceId = `Root=1-00000000-${i.toString(16).padStart(24, "0")};Sampled=0`;
    const event = {
      ...url,
      rawPath: `/item/${i}`,
      rawQueryString: `i=${i}&delay=${5 + (i * 7) % 20}`,
      headers: { ...url.headers as object, "x-item": `${i}` },
      cookies: [`item=${i}`],
      body: `body of ${i}`,
      isBase64Encoded: false,
    };
    const result = stack.emulator.invoke(event, { requestId, traceId, tenantId: `tenant-${i}` });
    inFlight++;
    peak = Math.max(peak, inFlight);
    const done = await result;
    inFlight--;
    return { i, requestId, traceId, done };
  }));
  assert.equal(peak, 200);
  const overlapping = new Set<number>();
  for (const { i, requestId, traceId, done } of results) {
    const echo = JSON.parse(resultJson(done).body as string);
    const headers = new Map<string, string>(echo.headers);
    assert.equal(echo.path, `/item/${i}`);
    assert.match(echo.query, new RegExp(`^i=${i}&`));
    assert.equal(echo.body, `body of ${i}`);
    assert.equal(headers.get("x-item"), `${i}`);
    assert.equal(headers.get("cookie"), `item=${i}`);
    assert.equal(headers.get("x-amzn-trace-id"), traceId);
    assert.equal(headers.get("x-amz-tenant-id"), `tenant-${i}`);
    assert.equal(JSON.parse(headers.get("x-amzn-lambda-context")!).request_id, requestId);
    if (done.kind === "response") {
      const concurrent = results.filter(({ done: other }) =>
        other.timing.handedOutAt < done.timing.completedAt &&
        other.timing.completedAt > done.timing.handedOutAt
      ).length;
      overlapping.add(concurrent);
    }
  }
  // The emulator hands out at most 8 at once; the adapter must actually use all 8 slots.
  assert.ok(Math.max(...overlapping) >= 8, `max overlap ${Math.max(...overlapping)}`);
});
