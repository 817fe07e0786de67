/**
 * The adapter against a flaky Lambda: Runtime API and Extensions API faults injected by a proxy
 * between the adapter and the emulator (issue 9, points 4, 6 and 7).
 */

import assert from "node:assert/strict";
import { startEmulator } from "../src/emulator/mod.ts";
import { adapterCommand, Child, resultJson, startApp } from "./harness.ts";
import { type FaultProxy, startFaultProxy } from "./support/fault_proxy.ts";

const url = {
  version: "2.0",
  rawPath: "/hello",
  rawQueryString: "",
  headers: { host: "x.lambda-url.us-east-1.on.aws" },
  requestContext: { http: { method: "GET", path: "/hello" }, domainName: "x.lambda-url" },
  isBase64Encoded: false,
};

/** Emulator, fault proxy, Deno echo app and the adapter talking through the proxy. */
async function faultyStack() {
  const emulator = await startEmulator({ functionTimeoutMs: 5000, extensions: 1 });
  const proxy = await startFaultProxy(emulator.runtimeApi);
  const app = await startApp("deno");
  const appPort = app.port;
  const adapter = new Child("adapter", adapterCommand(), {
    env: {
      AWS_LAMBDA_RUNTIME_API: proxy.address,
      AWS_LWA_PORT: `${appPort}`,
      AWS_LAMBDA_FUNCTION_NAME: "faults",
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
    },
  });
  await emulator.waitForInit();
  return {
    emulator,
    proxy,
    adapter,
    async [Symbol.asyncDispose]() {
      await adapter[Symbol.asyncDispose]();
      await app[Symbol.asyncDispose]();
      await proxy.close();
      await emulator.close();
    },
  };
}

/** Invokes once and checks the app answered. */
async function invokeOk(stack: Awaited<ReturnType<typeof faultyStack>>, path = "/hello") {
  const result = await stack.emulator.invoke({ ...url, rawPath: path });
  const json = resultJson(result);
  assert.equal(json.statusCode, 200, JSON.stringify(json));
  return json;
}

function count(proxy: FaultProxy, pattern: RegExp): number {
  return proxy.forwarded.filter((line) => pattern.test(line)).length;
}

Deno.test("adapter rides out Extensions API blips: a 500, a reset, a bad answer", async () => {
  await using stack = await faultyStack();
  await invokeOk(stack);
  const next = /^GET \/2020-01-01\/extension\/event\/next/;
  stack.proxy.inject(next, { kind: "status", status: 500, body: "boom" });
  stack.proxy.inject(next, { kind: "reset" });
  stack.proxy.inject(next, { kind: "body", body: "this is not JSON" });
  // The long poll parked on the emulator ends when the proxy resets it: the next ones get faults.
  await stack.proxy.outage(0);
  for (let i = 0; i < 5; i++) await invokeOk(stack);
  await stack.adapter.waitForLine(/Extensions API failed while waiting/);
  assert.equal(stack.emulator.initErrors.length, 0);
  assert.doesNotMatch(stack.adapter.output(), /terminating|Extension registration failed/);
  assert.equal(stack.adapter.process.pid > 0, true);
  await invokeOk(stack);
});

Deno.test("adapter rides out a 50 ms Runtime API outage and serves on", async () => {
  await using stack = await faultyStack();
  await invokeOk(stack);
  await stack.proxy.outage(50);
  for (let i = 0; i < 3; i++) await invokeOk(stack);
  assert.doesNotMatch(stack.adapter.output(), /terminating|is gone/);
});

Deno.test("adapter never posts a result twice when the connection resets after the post", async () => {
  await using stack = await faultyStack();
  await invokeOk(stack);
  stack.proxy.inject(/^POST .*\/response$/, { kind: "resetAfterForward" });
  const before = count(stack.proxy, /^POST .*\/response$/);
  const json = await invokeOk(stack, "/once");
  assert.equal(json.statusCode, 200);
  // The emulator got the result once, and the adapter did not send it again.
  await invokeOk(stack);
  assert.equal(count(stack.proxy, /^POST .*\/response$/), before + 2);
  assert.match(stack.adapter.output(), /reporting the result to the Runtime API failed/);
});

Deno.test("adapter exits within its shutdown grace while a result post hangs", async () => {
  await using stack = await faultyStack();
  await invokeOk(stack);
  stack.proxy.inject(/^POST .*\/response$/, { kind: "hang" });
  await invokeOk(stack, "/hang");
  const started = Date.now();
  stack.adapter.kill("SIGTERM");
  const status = await stack.adapter.status();
  const tookMs = Date.now() - started;
  // Lambda sends SIGKILL 2 s after SIGTERM; the adapter must be gone before.
  assert.ok(tookMs < 2000, `exit took ${tookMs} ms:\n${stack.adapter.output()}`);
  assert.equal(status.code, 0);
  assert.match(stack.adapter.output(), /shutting down/);
});
