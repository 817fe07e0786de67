/**
 * End to end with three real apps (Deno, Express on Node, httpbin on gunicorn) behind the real
 * adapter process, driven by the emulator with real event fixtures.
 */

import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { eventBytes, loadEvent } from "./fixtures.ts";
import { resultJson, startStack } from "./harness.ts";

const v1 = loadEvent("aws-lambda-rust-runtime/apigw_multi_value_proxy_request.json");
const v2 = loadEvent("aws-lambda-go/apigw-v2-request-iam.json");
const url = loadEvent("aws-lambda-go/lambda-urls-request.json");
const alb = loadEvent("aws-lambda-go/alb-lambda-target-request-headers-only.json");
const albMulti = loadEvent("aws-lambda-go/alb-lambda-target-request-multivalue-headers.json");

function bytes(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => i % 256);
}

Deno.test("adapter serves a Deno app for every HTTP source and pass-through", async () => {
  await using stack = await startStack({ app: "deno" });
  const { emulator } = stack;

  const rest = resultJson(
    await emulator.invoke({
      ...v1,
      path: "/items/Año",
      multiValueQueryStringParameters: { q: ["a b", "c&d"] },
    }),
  );
  assert.equal(rest.statusCode, 200);
  const restEcho = JSON.parse(rest.body as string);
  assert.equal(restEcho.method, "POST");
  assert.equal(restEcho.path, "/items/A%C3%B1o");
  assert.equal(restEcho.query, "q=a%20b&q=c%26d");
  assert.equal(restEcho.body, '{\r\n\t"a": 1\r\n}');
  assert.deepEqual((rest.multiValueHeaders as Record<string, string[]>)["content-type"], [
    "application/json",
  ]);

  const http = resultJson(
    await emulator.invoke({ ...v2, rawPath: "/v2/path", rawQueryString: "x=1&y" }),
  );
  const httpEcho = JSON.parse(http.body as string);
  assert.equal(httpEcho.path, "/v2/path");
  assert.equal(httpEcho.query, "x=1&y");
  assert.deepEqual(http.cookies, []);

  const single = resultJson(await emulator.invoke({ ...alb, path: "/_/status/404" }));
  assert.deepEqual(
    {
      statusCode: single.statusCode,
      statusDescription: single.statusDescription,
      body: single.body,
    },
    { statusCode: 404, statusDescription: "404 Not Found", body: "status 404" },
  );

  const sqs = await emulator.invoke(eventBytes("aws-lambda-go/sqs-event.json"));
  const sqsEcho = resultJson(sqs);
  assert.equal(sqsEcho.method, "POST");
  assert.equal(sqsEcho.path, "/events");
  assert.equal(sqsEcho.body, new TextDecoder().decode(eventBytes("aws-lambda-go/sqs-event.json")));
});

Deno.test("adapter round-trips binary bodies and keeps the app's cookies (Deno app)", async () => {
  await using stack = await startStack({ app: "deno" });
  const payload = bytes(70_000);
  const echo = resultJson(
    await stack.emulator.invoke({
      ...url,
      rawPath: "/upload",
      body: payload.toBase64(),
      isBase64Encoded: true,
    }),
  );
  assert.deepEqual(Uint8Array.fromBase64(JSON.parse(echo.body as string).bodyBase64), payload);

  const binary = resultJson(await stack.emulator.invoke({ ...url, rawPath: "/_/bytes/300000" }));
  assert.equal(binary.isBase64Encoded, true);
  assert.deepEqual(Uint8Array.fromBase64(binary.body as string), bytes(300_000));

  const cookies = resultJson(await stack.emulator.invoke({ ...url, rawPath: "/_/cookies" }));
  assert.deepEqual(cookies.cookies, ["a=1; Path=/", "b=2; HttpOnly"]);

  const multi = resultJson(await stack.emulator.invoke({ ...albMulti, path: "/_/cookies" }));
  assert.deepEqual((multi.multiValueHeaders as Record<string, string[]>)["set-cookie"], [
    "a=1; Path=/",
    "b=2; HttpOnly",
  ]);
});

Deno.test("adapter serves an Express app with repeated headers kept apart", async () => {
  await using stack = await startStack({ app: "express" });
  const { emulator } = stack;
  const rest = resultJson(
    await emulator.invoke({
      ...v1,
      path: "/echo",
      multiValueHeaders: { ...v1.multiValueHeaders as object, "X-Repeat": ["one", "two"] },
      headers: { ...v1.headers as object, "X-Repeat": "two" },
    }),
  );
  const echo = JSON.parse(rest.body as string);
  assert.equal(echo.app, "express");
  assert.equal(echo.url, "/echo?name=me&multiValueName=you&multiValueName=me");
  const raw: string[] = echo.rawHeaders;
  const repeats = raw.filter((_, i) => i % 2 === 1 && raw[i - 1] === "x-repeat");
  assert.deepEqual(repeats, ["one", "two"]);
  assert.equal(raw.filter((name) => name === "x-amzn-lambda-context").length, 1);

  const cookies = resultJson(await emulator.invoke({ ...url, rawPath: "/_/cookies" }));
  assert.deepEqual(cookies.cookies, ["session=abc; Path=/; HttpOnly", "theme=dark; Path=/"]);
  assert.equal((cookies.headers as Record<string, string>)["x-multi"], "one, two");

  const binary = resultJson(await emulator.invoke({ ...alb, path: "/_/bytes/1024" }));
  assert.equal(binary.isBase64Encoded, true);
  assert.deepEqual(Uint8Array.fromBase64(binary.body as string), bytes(1024));

  const error = resultJson(await emulator.invoke({ ...url, rawPath: "/_/error" }));
  assert.equal(error.statusCode, 500);
});

Deno.test("adapter serves httpbin on gunicorn without decompressing or following redirects", async () => {
  await using stack = await startStack({ app: "httpbin" });
  const { emulator } = stack;
  const anything = resultJson(
    await emulator.invoke({
      ...v2,
      rawPath: "/anything/x",
      rawQueryString: "a=1&a=2&b=%2B",
      requestContext: {
        ...v2.requestContext as object,
        http: { ...(v2.requestContext as { http: object }).http, method: "PUT" },
      },
      body: "payload",
      isBase64Encoded: false,
    }),
  );
  const echo = JSON.parse(anything.body as string);
  assert.equal(echo.method, "PUT");
  assert.deepEqual(echo.args, { a: ["1", "2"], b: "+" });
  assert.equal(echo.data, "payload");
  assert.ok(echo.headers["X-Amzn-Request-Context"]);

  const gzip = resultJson(await emulator.invoke({ ...alb, path: "/gzip" }));
  assert.equal(gzip.isBase64Encoded, true);
  assert.equal((gzip.headers as Record<string, string>)["content-encoding"], "gzip");
  const unzipped = JSON.parse(gunzipSync(Uint8Array.fromBase64(gzip.body as string)).toString());
  assert.equal(unzipped.gzipped, true);

  const redirect = resultJson(await emulator.invoke({ ...alb, path: "/redirect/1" }));
  assert.equal(redirect.statusCode, 302);
  assert.equal((redirect.headers as Record<string, string>).location, "/get");

  const teapot = resultJson(await emulator.invoke({ ...url, rawPath: "/status/418" }));
  assert.equal(teapot.statusCode, 418);
});

Deno.test("adapter hands the app the invocation context and logs Lambda's JSON shape", async () => {
  await using stack = await startStack({
    app: "deno",
    env: { AWS_LAMBDA_LOG_FORMAT: "JSON", AWS_LAMBDA_LOG_LEVEL: "DEBUG" },
  });
  const result = await stack.emulator.invoke({ ...url, rawPath: "/ctx" }, {
    requestId: "ctx-1",
    clientContext: JSON.stringify({ client: { appTitle: "app" }, custom: { k: "v" }, env: {} }),
    cognitoIdentity: JSON.stringify({ identityId: "id-1", identityPoolId: "pool-1" }),
    tenantId: "tenant-9",
    traceId: "Root=1-67891233-abcdef012345678912345678;Sampled=1",
  });
  const headers = new Map<string, string>(JSON.parse(resultJson(result).body as string).headers);
  const context = JSON.parse(headers.get("x-amzn-lambda-context")!);
  assert.equal(context.request_id, "ctx-1");
  assert.deepEqual(context.client_context.custom, { k: "v" });
  assert.deepEqual(context.identity, { identityId: "id-1", identityPoolId: "pool-1" });
  assert.equal(context.tenant_id, "tenant-9");
  assert.equal(context.env_config.function_name, "e2e");
  assert.equal(headers.get("x-amz-tenant-id"), "tenant-9");
  assert.equal(
    headers.get("x-amzn-trace-id"),
    "Root=1-67891233-abcdef012345678912345678;Sampled=1",
  );
  const line = await stack.adapter.waitForLine(/"invocation done"/);
  const entry = JSON.parse(line);
  assert.equal(entry.level, "DEBUG");
  assert.equal(entry.requestId, "ctx-1");
  assert.match(entry.timestamp, /^\d{4}-\d\d-\d\dT/);
});

Deno.test("adapter drives an app through WebSocket routes and VPC Lattice (Express)", async () => {
  await using stack = await startStack({ app: "express" });
  const { emulator } = stack;
  const connect = loadEvent("aws-lambda-go/apigw-websocket-request.json");
  const message = loadEvent("aws-lambda-go/apigw-websocket-request-send-message.json");
  const disconnect = loadEvent(
    "aws-lambda-rust-runtime/example-apigw-websocket-request-disconnect-route.json",
  );
  const seen = [];
  for (const event of [connect, message, disconnect]) {
    const result = resultJson(await emulator.invoke(event));
    assert.equal(result.statusCode, 200);
    const echo = JSON.parse(result.body as string);
    const raw: string[] = echo.rawHeaders;
    const header = (name: string) => raw[raw.indexOf(name) + 1];
    seen.push([echo.method, echo.url.split("?")[0], header("x-amzn-websocket-event-type")]);
    assert.equal(
      header("x-amzn-websocket-connection-id"),
      (event.requestContext as { connectionId: string }).connectionId,
    );
  }
  assert.deepEqual(seen, [
    ["POST", "/websocket/connect", "CONNECT"],
    ["POST", "/websocket/default", "MESSAGE"],
    ["POST", "/websocket/disconnect", "DISCONNECT"],
  ]);

  const lattice = resultJson(
    await emulator.invoke(loadEvent("powertools-lambda-python/vpcLatticeV2EventWithHeaders.json")),
  );
  assert.equal(lattice.statusDescription, "200 OK");
  const echo = JSON.parse(lattice.body as string);
  assert.equal(echo.url, "/newpath?parameter1=value1&parameter1=value2&parameter2=value");
  assert.equal(echo.body, '{"message": "Hello from Lambda!"}');
});
