import assert from "node:assert/strict";
import { buildAppRequest, isAdapterOwned } from "./app_request.ts";
import type { HttpParts } from "../events/types.ts";
import { getHeaderAll } from "../http/types.ts";
import type { Invocation } from "../lambda/invocation.ts";
import { createLogger } from "../util/log.ts";

const INVOCATION: Invocation = {
  requestId: "req-1",
  deadlineMs: 1_800_000_000_000,
  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:fn",
  traceId: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
  clientContext: null,
  cognitoIdentity: null,
  tenantId: "tenant-7",
  payload: new Uint8Array(),
};
const CONFIG = {
  authorizationSource: undefined,
  lambda: {
    functionName: "fn",
    functionVersion: "1",
    memoryMb: 256,
    logGroup: "g",
    logStream: "s",
  },
};

function parts(headers: [string, string][]): HttpParts {
  return { method: "GET", path: "/a", query: "b=1", headers, body: new Uint8Array() };
}

function capture() {
  const lines: string[] = [];
  return { lines, log: createLogger({ write: (line) => lines.push(line) }) };
}

Deno.test("buildAppRequest() drops client copies of the adapter's headers and sets its own", () => {
  const { log } = capture();
  const request = buildAppRequest(
    parts([
      ["x-amzn-request-context", "spoofed"],
      ["x-amzn-lambda-context", "spoofed"],
      ["x-amzn-trace-id", "spoofed"],
      ["x-amz-tenant-id", "other-tenant"],
      ["connection", "close"],
      ["content-length", "99"],
      ["accept", "a"],
      ["accept", "b"],
    ]),
    { requestId: "api-req", note: "é" },
    INVOCATION,
    { config: CONFIG, log },
  );
  assert.equal(request.target, "/a?b=1");
  assert.deepEqual(getHeaderAll(request.headers, "accept"), ["a", "b"]);
  assert.deepEqual(getHeaderAll(request.headers, "x-amz-tenant-id"), ["tenant-7"]);
  assert.deepEqual(getHeaderAll(request.headers, "x-amzn-trace-id"), [INVOCATION.traceId]);
  assert.deepEqual(getHeaderAll(request.headers, "connection"), []);
  assert.deepEqual(getHeaderAll(request.headers, "content-length"), []);
  const context = getHeaderAll(request.headers, "x-amzn-request-context");
  assert.deepEqual(context, ['{"requestId":"api-req","note":"\\u00e9"}']);
  assert.deepEqual(JSON.parse(context[0]!), { requestId: "api-req", note: "é" });
  const lambda = getHeaderAll(request.headers, "x-amzn-lambda-context");
  assert.equal(lambda.length, 1);
  assert.deepEqual(JSON.parse(lambda[0]!), {
    request_id: "req-1",
    deadline: 1_800_000_000_000,
    invoked_function_arn: INVOCATION.invokedFunctionArn,
    xray_trace_id: INVOCATION.traceId,
    client_context: null,
    identity: null,
    tenant_id: "tenant-7",
    env_config: { function_name: "fn", memory: 256, version: "1", log_stream: "s", log_group: "g" },
  });
});

Deno.test("buildAppRequest() drops a client's tenant and trace ids when Lambda gives none", () => {
  const { log } = capture();
  const request = buildAppRequest(
    parts([["x-amz-tenant-id", "forged"], ["x-amzn-trace-id", "forged"]]),
    null,
    { ...INVOCATION, tenantId: undefined, traceId: undefined },
    { config: CONFIG, log },
  );
  assert.deepEqual(getHeaderAll(request.headers, "x-amz-tenant-id"), []);
  assert.deepEqual(getHeaderAll(request.headers, "x-amzn-trace-id"), []);
  assert.deepEqual(getHeaderAll(request.headers, "x-amzn-request-context"), ["null"]);
});

Deno.test("buildAppRequest() moves the authorization source into Authorization", () => {
  const { log, lines } = capture();
  const config = { ...CONFIG, authorizationSource: "x-auth" };
  const request = buildAppRequest(
    parts([["authorization", "AWS4-HMAC-SHA256 sigv4"], ["x-auth", "Bearer token"]]),
    null,
    INVOCATION,
    { config, log },
  );
  assert.deepEqual(getHeaderAll(request.headers, "authorization"), ["Bearer token"]);
  assert.deepEqual(getHeaderAll(request.headers, "x-auth"), []);
  const missing = buildAppRequest(parts([]), null, INVOCATION, { config, log });
  assert.deepEqual(getHeaderAll(missing.headers, "authorization"), []);
  assert.match(lines.join("\n"), /"x-auth" header not found/);
});

Deno.test("buildAppRequest() joins separate Cookie fields into one, as RFC 9113 8.2.3 says", () => {
  const { log } = capture();
  const request = buildAppRequest(
    parts([["cookie", "a=1"], ["accept", "x"], ["cookie", "b=2"], ["cookie", "c=3"]]),
    null,
    INVOCATION,
    { config: CONFIG, log },
  );
  assert.deepEqual(getHeaderAll(request.headers, "cookie"), ["a=1; b=2; c=3"]);
  assert.deepEqual(request.headers.slice(0, 2), [["cookie", "a=1; b=2; c=3"], ["accept", "x"]]);
});

Deno.test("buildAppRequest() drops client headers that spell the adapter's with _ for -", () => {
  // Issue 9, point 2: WSGI, CGI and Rack servers fold _ and - together, so any of these would
  // reach the app as the trusted header.
  const forged = [
    "x_amzn_lambda_context",
    "x_amzn_request_context",
    "x_amzn_trace_id",
    "x_amz_tenant_id",
    "x-amzn_lambda-context",
    "x_amzn-request_context",
    "x_amzn_websocket_connection_id",
    "x-amzn-websocket_route_key",
    "content_length",
    "transfer_encoding",
    "keep_alive",
  ];
  const { log } = capture();
  const request = buildAppRequest(
    parts([...forged.map((name): [string, string] => [name, "forged ✗"]), ["x_custom", "kept"]]),
    { requestId: "api-req" },
    INVOCATION,
    { config: CONFIG, log },
  );
  const names = request.headers.map(([name]) => name);
  for (const name of forged) assert.equal(names.includes(name), false, name);
  assert.deepEqual(getHeaderAll(request.headers, "x_custom"), ["kept"]);
  for (const [, value] of request.headers) assert.doesNotMatch(value, /forged/);
  assert.equal(isAdapterOwned("x_amz_tenant_id"), true);
  assert.equal(isAdapterOwned("x_amz_tenant"), false);
  assert.equal(isAdapterOwned("x-amzn-requestid"), false);
});
