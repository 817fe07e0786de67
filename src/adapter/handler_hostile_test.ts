import assert from "node:assert/strict";
import { loadEvent } from "../../tests/fixtures.ts";
import { fakeResponse } from "../../tests/support/http_response.ts";
import { handlerFor, invocation } from "../../tests/support/invocations.ts";
import type { HttpClient } from "../http/types.ts";

const text = new TextEncoder();
const ok: HttpClient = () => Promise.resolve(fakeResponse(200, [], "ok"));

function setup(client: HttpClient, env: Record<string, string> = {}) {
  return handlerFor(client, { env });
}

Deno.test("createInvocationHandler() fails lone surrogates with the field named", async (t) => {
  const rest = loadEvent("aws-lambda-go/apigw-request.json");
  const v2 = loadEvent("aws-lambda-go/apigw-v2-request-no-authorizer.json");
  const ws = loadEvent("aws-lambda-go/apigw-websocket-request.json");
  const context = ws.requestContext as Record<string, unknown>;
  const cases: [string, unknown, RegExp][] = [
    ["REST query key", { ...rest, multiValueQueryStringParameters: { "k\ud800": ["v"] } }, /key/],
    ["REST query value", {
      ...rest,
      multiValueQueryStringParameters: null,
      queryStringParameters: { k: "v\udc00" },
    }, /queryStringParameters\.k/],
    ["REST multi query value", {
      ...rest,
      multiValueQueryStringParameters: { k: ["ok", "\ud83d"] },
    }, /multiValueQueryStringParameters\.k/],
    ["WebSocket connectionId", {
      ...ws,
      requestContext: { ...context, connectionId: "abc\ud800" },
    }, /requestContext\.connectionId/],
    ["v2 path", { ...v2, rawPath: "/a\ud800" }, /rawPath/],
    ["v2 header value", { ...v2, headers: { "x-name": "Jos\udce9" } }, /headers\.x-name/],
    ["v2 cookie", { ...v2, cookies: ["a=\ud800"] }, /cookies/],
    ["v2 body", { ...v2, body: "text \udfff" }, /body/],
  ];
  for (const [name, event, field] of cases) {
    await t.step(name, async () => {
      const outcome = await setup(ok).handle(invocation(JSON.stringify(event)));
      assert.equal(outcome.kind, "error", name);
      if (outcome.kind !== "error") return;
      assert.equal(outcome.errorType, "LambdaAdapter.InvalidRequest");
      assert.match(outcome.errorMessage, field);
      assert.match(outcome.errorMessage, /lone surrogate/);
    });
  }
});

Deno.test("createInvocationHandler() caps attacker-sized error messages, saying how much was cut", async () => {
  const v2 = loadEvent("aws-lambda-go/apigw-v2-request-no-authorizer.json");
  const hugeName = "bad name ✓💳".repeat(80_000);
  const { handle, lines } = setup(ok);
  const outcome = await handle(invocation({ ...v2, headers: { [hugeName]: "x" } }));
  assert.equal(outcome.kind, "error");
  if (outcome.kind !== "error") return;
  assert.equal(outcome.errorType, "LambdaAdapter.InvalidRequest");
  const bytes = text.encode(outcome.errorMessage).length;
  assert.ok(bytes < 4200, `errorMessage is ${bytes} bytes`);
  assert.match(outcome.errorMessage, /\[\d+ more bytes cut\]$/);
  for (const line of lines) assert.ok(text.encode(line).length < 9000, "log line capped");

  const page = "<p>Überfehler 💥</p>".repeat(50_000);
  const failing = setup(() => Promise.resolve(fakeResponse(503, [], page)), {
    AWS_LWA_ERROR_STATUS_CODES: "500-599",
  });
  const status = await failing.handle(invocation(v2));
  assert.equal(status.kind, "error");
  if (status.kind !== "error") return;
  const message = JSON.parse(status.errorMessage);
  assert.equal(message.statusCode, 503);
  assert.match(message.body, /^<p>Überfehler 💥<\/p>/);
  assert.ok(text.encode(status.errorMessage).length <= 4096);
});

Deno.test("createInvocationHandler() takes a far deadline at its word, and leaves no timer", async () => {
  // The test's op sanitizer fails it if any invocation leaves its deadline timer pending.
  const v2 = loadEvent("aws-lambda-go/apigw-v2-request-no-authorizer.json");
  const { handle } = setup(ok);
  for (const ahead of [15 * 60_000, 2 ** 31 + 5000, 2 ** 40, 1e30]) {
    const outcome = await handle(invocation(v2, { deadlineMs: Date.now() + ahead }));
    assert.equal(outcome.kind, "response", `deadline ${ahead} ms ahead`);
  }
  const past = await handle(invocation(v2, { deadlineMs: Date.now() - 1000 }));
  assert.equal(past.kind, "error");
  if (past.kind === "error") assert.equal(past.errorType, "LambdaAdapter.AppTimeout");
});
