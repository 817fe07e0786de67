import assert from "node:assert/strict";
import { InvocationError } from "./errors.ts";
import { parseInvocation } from "./invocation.ts";

const payload = new TextEncoder().encode("{}");

Deno.test("parseInvocation() reads every Lambda-Runtime-* header", () => {
  const invocation = parseInvocation([
    ["Lambda-Runtime-Aws-Request-Id", "8476a536-e9f4-11e8-9739-2dfe598c3fcd"],
    ["Lambda-Runtime-Deadline-Ms", "1542409706888"],
    ["Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-2:123456789012:function:fn"],
    ["Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1"],
    ["Lambda-Runtime-Client-Context", '{"client":{"appTitle":"x"},"custom":{"k":"v"}}'],
    ["Lambda-Runtime-Cognito-Identity", '{"identityId":"id","identityPoolId":"pool"}'],
    ["Lambda-Runtime-Aws-Tenant-Id", "tenant-1"],
  ], payload);
  assert.deepEqual(invocation, {
    requestId: "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
    deadlineMs: 1542409706888,
    invokedFunctionArn: "arn:aws:lambda:us-east-2:123456789012:function:fn",
    traceId: "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1",
    clientContext: { client: { appTitle: "x" }, custom: { k: "v" } },
    cognitoIdentity: { identityId: "id", identityPoolId: "pool" },
    tenantId: "tenant-1",
    payload,
  });
});

Deno.test("parseInvocation() leaves optional headers out and keeps unreadable JSON as text", () => {
  const invocation = parseInvocation([
    ["lambda-runtime-aws-request-id", "r"],
    ["lambda-runtime-deadline-ms", "1700000000000"],
    ["lambda-runtime-client-context", "not json"],
  ], payload);
  assert.equal(invocation.traceId, undefined);
  assert.equal(invocation.tenantId, undefined);
  assert.equal(invocation.invokedFunctionArn, undefined);
  assert.equal(invocation.clientContext, "not json");
  assert.equal(invocation.cognitoIdentity, null);
});

Deno.test("parseInvocation() fails a missing or unreadable deadline", () => {
  for (const deadline of [undefined, "", "soon", "-5", "12.5"]) {
    const headers: [string, string][] = [["lambda-runtime-aws-request-id", "r"]];
    if (deadline !== undefined) headers.push(["lambda-runtime-deadline-ms", deadline]);
    assert.throws(
      () => parseInvocation(headers, payload),
      (error) => error instanceof InvocationError && /Deadline-Ms/.test(error.message),
    );
  }
});
