/**
 * Bad input never kills the adapter: each case fails its own invocation through
 * `/invocation/{id}/error` with a readable error, and the next invocation is served.
 */

import assert from "node:assert/strict";
import { loadEvent } from "./fixtures.ts";
import { resultJson, startApp, startStack } from "./harness.ts";
import { lateClock } from "./support/late_clock.ts";
import type { InvokeOptions, InvokeResult } from "../src/emulator/mod.ts";

const url = loadEvent("aws-lambda-go/lambda-urls-request.json");
const alb = loadEvent("aws-lambda-go/alb-lambda-target-request-headers-only.json");

function expectError(result: InvokeResult, errorType: string, message: RegExp) {
  assert.equal(result.kind, "error", JSON.stringify(result));
  if (result.kind !== "error") return;
  assert.equal(result.errorType, errorType);
  assert.match(result.errorMessage, message);
}

Deno.test("adapter fails bad events one by one and keeps serving", async (t) => {
  await using stack = await startStack({ app: "deno" });
  const { emulator } = stack;
  const cases: [string, unknown, InvokeOptions, string, RegExp][] = [
    ["payload that is not JSON", "{oops", {}, "LambdaAdapter.InvalidEvent", /not valid JSON/],
    [
      "payload that is not UTF-8",
      new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
      {},
      "LambdaAdapter.InvalidEvent",
      /not valid UTF-8/,
    ],
    [
      "body that is not base64",
      { ...url, body: "not base64!", isBase64Encoded: true },
      {},
      "LambdaAdapter.InvalidRequest",
      /Invalid event field body.*base64/,
    ],
    [
      "header value with CR/LF",
      { ...url, headers: { "x-evil": "a\r\nx-injected: 1" } },
      {},
      "LambdaAdapter.InvalidRequest",
      /headers\.x-evil.*control character/,
    ],
    [
      "header name HTTP forbids",
      { ...url, headers: { "bad header": "1" } },
      {},
      "LambdaAdapter.InvalidRequest",
      /not a valid header name/,
    ],
    [
      "HTTP event with a broken field",
      { ...url, requestContext: { http: [] } },
      {},
      "LambdaAdapter.InvalidRequest",
      /requestContext\.http/,
    ],
    [
      "missing Lambda-Runtime-Deadline-Ms",
      url,
      { headers: { "Lambda-Runtime-Deadline-Ms": null } },
      "LambdaAdapter.InvalidEvent",
      /no Lambda-Runtime-Deadline-Ms/,
    ],
    [
      "unreadable Lambda-Runtime-Deadline-Ms",
      url,
      { headers: { "Lambda-Runtime-Deadline-Ms": "soon" } },
      "LambdaAdapter.InvalidEvent",
      /unreadable Lambda-Runtime-Deadline-Ms: "soon"/,
    ],
  ];
  for (const [name, event, options, errorType, message] of cases) {
    await t.step(name, async () => {
      expectError(await emulator.invoke(event, options), errorType, message);
      const next = resultJson(await emulator.invoke({ ...url, rawPath: "/after" }));
      assert.equal(next.statusCode, 200);
    });
  }
  assert.equal(stack.adapter.process.pid > 0, true);
  assert.match(stack.adapter.output(), /invocation failed/);
});

Deno.test("adapter survives an invocation without a request id", async () => {
  await using stack = await startStack({ app: "deno" });
  const lost = await stack.emulator.invoke(url, {
    headers: { "Lambda-Runtime-Aws-Request-Id": null },
    timeoutMs: 300,
  });
  assert.equal(lost.kind, "timeout");
  await stack.adapter.waitForLine(/without Lambda-Runtime-Aws-Request-Id/);
  assert.equal(resultJson(await stack.emulator.invoke(url)).statusCode, 200);
});

Deno.test("adapter fails invocations of an app that misbehaves and keeps serving", async (t) => {
  // The emulator enforces deadlines late, so what ends each call is the adapter's own report.
  await using stack = await startStack({ app: "bad", emulator: { clock: lateClock() } });
  const cases: [string, string, string, RegExp][] = [
    ["hangs past the deadline", "/hang", "LambdaAdapter.AppTimeout", / remaining \d+ ms$/],
    ["answers garbage", "/garbage", "LambdaAdapter.AppInvalidResponse", /not valid HTTP/],
    ["sends a broken header", "/bad-header", "LambdaAdapter.AppInvalidResponse", /not valid HTTP/],
    ["closes without answering", "/close", "LambdaAdapter.AppUnreachable", /closed the connection/],
    ["closes mid-body", "/truncated", "LambdaAdapter.AppInvalidResponse", /90 bytes short/],
  ];
  for (const [name, path, errorType, message] of cases) {
    await t.step(name, async () => {
      const result = await stack.emulator.invoke({ ...alb, path }, { timeoutMs: 1000 });
      // A failure the adapter waited out would be an AppTimeout, not the error its cause names.
      expectError(result, errorType, message);
      if (path === "/hang" && result.kind === "error") {
        // Aimed 25 ms before the 1000 ms deadline (handler_test.ts times the margin on a clock).
        const budget = Number(/remaining (\d+) ms/.exec(result.errorMessage)![1]);
        assert.ok(budget <= 975, result.errorMessage);
      }
      const next = resultJson(await stack.emulator.invoke({ ...alb, path: "/fine" }));
      assert.equal(next.body, "fine");
    });
  }
});

Deno.test("adapter reports an app that crashed and serves it again once it is back", async () => {
  await using stack = await startStack({ app: "deno" });
  const crash = await stack.emulator.invoke({ ...url, rawPath: "/_/crash" });
  // On a reused connection the client retries once, and the retry finds the port closed.
  expectError(crash, "LambdaAdapter.AppUnreachable", /closed the connection|refused/);
  await stack.app!.status();
  const refused = await stack.emulator.invoke(url);
  expectError(refused, "LambdaAdapter.AppUnreachable", /refused the connection/);
  await using _app = await startApp("deno", stack.appPort);
  assert.equal(resultJson(await stack.emulator.invoke(url)).statusCode, 200);
});
