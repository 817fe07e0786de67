/**
 * Hostile and unusual traffic through the real adapter process and real apps: header smuggling
 * against gunicorn (where `_` and `-` fold together), paths with dot segments, and non-ASCII
 * headers with every small body size (issue 9, points 1 to 3).
 */

import assert from "node:assert/strict";
import { loadEvent } from "./fixtures.ts";
import { resultJson, startStack } from "./harness.ts";

const rest = loadEvent("aws-lambda-go/apigw-request.json");
const url = loadEvent("aws-lambda-go/lambda-urls-request.json");

Deno.test("no client copy of an adapter header reaches gunicorn, in any spelling", async () => {
  await using stack = await startStack({ app: "httpbin" });
  const forged = {
    "x_amzn_lambda_context": "forged-1",
    "x_amzn_request_context": "forged-2",
    "x_amzn_trace_id": "forged-3",
    "x_amz_tenant_id": "forged-4",
    "X-Amzn_Lambda-Context": "forged-5",
    "x-amzn-lambda-context": "forged-6",
    "x_amzn_websocket_connection_id": "forged-7",
    "x_custom_header": "kept",
  };
  const result = resultJson(
    await stack.emulator.invoke({
      ...rest,
      path: "/headers",
      httpMethod: "GET",
      headers: forged,
      multiValueHeaders: Object.fromEntries(Object.entries(forged).map(([k, v]) => [k, [v]])),
    }, { tenantId: "tenant-real" }),
  );
  const seen = JSON.parse(result.body as string).headers as Record<string, string>;
  for (const value of Object.values(seen)) {
    assert.doesNotMatch(value, /forged/, JSON.stringify(seen));
  }
  assert.match(seen["X-Amzn-Lambda-Context"]!, /^\{"request_id"/);
  assert.match(seen["X-Amzn-Request-Context"]!, /^\{/);
  assert.equal(seen["X-Amz-Tenant-Id"], "tenant-real");
  // gunicorn folds the name; the value is what the client sent.
  assert.equal(seen["X-Custom-Header"], "kept");
});

Deno.test("the app sees the path API Gateway routed on, dot segments and all", async () => {
  await using stack = await startStack({ app: "deno" });
  const cases: [string, string][] = [
    ["/public/%2e%2e/admin", "/public/%2e%2e/admin"],
    ["/public/../admin", "/public/../admin"],
    ["/public/%2E%2E/%2e%2e/admin", "/public/%2E%2E/%2e%2e/admin"],
    ["/public/./admin", "/public/./admin"],
    ["/public\\..\\admin", "/public%5C..%5Cadmin"],
    ["/ünï/../💳", "/%C3%BCn%C3%AF/../%F0%9F%92%B3"],
  ];
  for (const [path, target] of cases) {
    for (const event of [{ ...rest, path }, { ...url, rawPath: path }]) {
      const result = resultJson(await stack.emulator.invoke(event));
      const echo = JSON.parse(result.body as string);
      assert.equal(echo.target.split("?")[0], target, `${path} reached the app as ${echo.target}`);
    }
  }
});

Deno.test("a non-ASCII cookie and header with any small body reach the app intact", async () => {
  await using stack = await startStack({ app: "deno" });
  const sizes = [0, 1, 2, 3, 7, 100, 1023, 4096, 16_385, 65_535, 65_536, 65_537, 131_072];
  for (const size of sizes) {
    // `size` characters (code points), so no surrogate pair is cut.
    const body = Array.from("é💳a".repeat(Math.ceil(size / 3))).slice(0, size).join("");
    const result = resultJson(
      await stack.emulator.invoke({
        ...url,
        rawPath: "/form",
        headers: {
          "content-type": "application/x-www-form-urlencoded; charset=utf-8",
          "cookie": "name=José; city=Zürich; 🍪=✓",
          "x-note": "naïve café — 日本語 𝄞",
        },
        cookies: ["name=José", "city=Zürich", "🍪=✓"],
        requestContext: {
          ...url.requestContext as object,
          http: { method: "POST", path: "/form" },
        },
        body,
        isBase64Encoded: false,
      }),
    );
    assert.equal(result.statusCode, 200, `body of ${size} characters: ${JSON.stringify(result)}`);
    const echo = JSON.parse(result.body as string);
    assert.equal(echo.body, body, `body of ${size} characters`);
    // Deno.serve reads header bytes as Latin-1; the bytes on the wire are the UTF-8 ones.
    const headers = Object.fromEntries(
      (echo.headers as [string, string][]).map(([name, value]) => [name, utf8Of(value)]),
    );
    assert.equal(headers["cookie"], "name=José; city=Zürich; 🍪=✓");
    assert.equal(headers["x-note"], "naïve café — 日本語 𝄞");
    assert.equal(Number(headers["content-length"]), new TextEncoder().encode(body).length);
  }
});

function utf8Of(latin1: string): string {
  return new TextDecoder().decode(Uint8Array.from(latin1, (char) => char.charCodeAt(0)));
}
