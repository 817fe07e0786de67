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
    clientContext: {
      client: {
        installationId: "",
        appTitle: "x",
        appVersionName: "",
        appVersionCode: "",
        appPackageName: "",
      },
      custom: { k: "v" },
      environment: {},
    },
    cognitoIdentity: { identityId: "id", identityPoolId: "pool" },
    tenantId: "tenant-1",
    payload,
  });
});

Deno.test("parseInvocation() leaves optional headers out", () => {
  const invocation = parseInvocation([
    ["lambda-runtime-aws-request-id", "r"],
    ["lambda-runtime-deadline-ms", "1700000000000"],
    ["lambda-runtime-client-context", ""],
    ["lambda-runtime-cognito-identity", "null"],
  ], payload);
  assert.equal(invocation.traceId, undefined);
  assert.equal(invocation.tenantId, undefined);
  assert.equal(invocation.invokedFunctionArn, undefined);
  assert.equal(invocation.clientContext, null);
  assert.equal(invocation.cognitoIdentity, null);
});

function contextOf(name: string, value: string) {
  const invocation = parseInvocation([
    ["lambda-runtime-aws-request-id", "r"],
    ["lambda-runtime-deadline-ms", "1700000000000"],
    [name, value],
  ], payload);
  return name.endsWith("client-context") ? invocation.clientContext : invocation.cognitoIdentity;
}

Deno.test("parseInvocation() gives the client context lambda_runtime's shape", () => {
  const snake = JSON.stringify({
    client: {
      installation_id: "i-😀",
      app_title: "t",
      app_version_name: "vn",
      app_version_code: "vc",
      app_package_name: "p",
    },
    custom: { k: "v\ud800" },
    environment: { locale: "fr" },
    services: { dropped: true },
  });
  assert.deepEqual(contextOf("lambda-runtime-client-context", snake), {
    client: {
      installationId: "i-😀",
      appTitle: "t",
      appVersionName: "vn",
      appVersionCode: "vc",
      appPackageName: "p",
    },
    custom: { k: "v\ud800" },
    environment: { locale: "fr" },
  });
  // Values LWA would exit on (a number in custom, a partial client) are passed on as they came.
  assert.deepEqual(
    contextOf("lambda-runtime-client-context", '{"client":{"appTitle":7},"custom":{"n":1}}'),
    {
      client: {
        installationId: "",
        appTitle: 7,
        appVersionName: "",
        appVersionCode: "",
        appPackageName: "",
      },
      custom: { n: 1 },
      environment: {},
    },
  );
});

Deno.test("parseInvocation() reads every spelling of the Cognito identity", () => {
  for (
    const value of [
      '{"identityId":"a","identityPoolId":"b"}',
      '{"cognitoIdentityId":"a","cognitoIdentityPoolId":"b","extra":1}',
      '{"identity_id":"a","identity_pool_id":"b"}',
    ]
  ) {
    assert.deepEqual(contextOf("lambda-runtime-cognito-identity", value), {
      identityId: "a",
      identityPoolId: "b",
    });
  }
  assert.deepEqual(contextOf("lambda-runtime-cognito-identity", "{}"), {
    identityId: "",
    identityPoolId: "",
  });
});

Deno.test("parseInvocation() fails one invocation whose context is not a JSON object", () => {
  for (const name of ["lambda-runtime-client-context", "lambda-runtime-cognito-identity"]) {
    for (const value of ["not json", "[1]", '"text"', "{"]) {
      assert.throws(
        () => contextOf(name, value),
        (error) => error instanceof InvocationError && /header is not/.test(error.message),
      );
    }
  }
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
