// deno-lint-ignore-file no-console -- the demo prints what came back
/**
 * `deno task demo`: starts the Lambda emulator, the demo app (examples/demo/app.ts) and the
 * adapter, sends a few real sample events through them and prints what came back.
 *
 * @module
 */

import { startEmulator } from "../src/emulator/mod.ts";
import { loadEvent } from "../tests/fixtures.ts";
import { adapterCommand, Child, freePort, startApp } from "../tests/harness.ts";

const rest = loadEvent("aws-lambda-rust-runtime/apigw_proxy_request.json");
const httpApi = loadEvent("aws-lambda-go/apigw-v2-request-no-authorizer.json");
const functionUrl = loadEvent("aws-lambda-go/lambda-urls-request.json");
const alb = loadEvent("aws-lambda-go/alb-lambda-target-request-headers-only.json");
const sqs = loadEvent<{ Records: Record<string, unknown>[] }>("aws-lambda-go/sqs-event.json");

const EVENTS: [string, unknown][] = [
  ["API Gateway REST API, GET /", { ...rest, path: "/", httpMethod: "GET" }],
  ["HTTP API, POST /api/items", {
    ...httpApi,
    rawPath: "/api/items",
    requestContext: {
      ...httpApi.requestContext as object,
      http: { method: "POST", path: "/api/items" },
    },
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "tea" }),
    isBase64Encoded: false,
  }],
  ["Function URL, GET /logo.png", { ...functionUrl, rawPath: "/logo.png", rawQueryString: "" }],
  ["Application Load Balancer, GET /api/items", { ...alb, path: "/api/items" }],
  ["SQS batch of two messages (one fails)", {
    Records: [
      { ...sqs.Records[0], messageId: "msg-1", body: "hello" },
      { ...sqs.Records[0], messageId: "msg-2", body: "please fail" },
    ],
  }],
];

function show(label: string, body: Uint8Array) {
  const text = new TextDecoder().decode(body);
  console.log(`\n== ${label}`);
  try {
    const result = JSON.parse(text);
    if (result && typeof result === "object" && "statusCode" in result) {
      const { body: payload, isBase64Encoded, ...rest } = result;
      console.log(JSON.stringify(rest));
      console.log(isBase64Encoded ? `body (base64): ${payload}` : `body: ${payload.trimEnd()}`);
      return;
    }
  } catch {
    // Not JSON: printed as is below.
  }
  console.log(`result: ${text}`);
}

async function main() {
  await using emulator = await startEmulator({ functionName: "demo" });
  const port = freePort();
  const app = new URL("../examples/demo/app.ts", import.meta.url).pathname;
  await using _app = await startApp("deno", port, {}, app);
  await using adapter = new Child("adapter", adapterCommand(), {
    env: {
      AWS_LAMBDA_RUNTIME_API: emulator.runtimeApi,
      AWS_LWA_PORT: `${port}`,
      AWS_LAMBDA_FUNCTION_NAME: "demo",
    },
  });
  const init = await emulator.waitForInit();
  console.log(
    `Emulator, demo app on port ${port} and adapter are up (init ${
      init.durationMs.toFixed(0)
    } ms).`,
  );
  for (const [label, event] of EVENTS) {
    const result = await emulator.invoke(event);
    if (result.kind === "response") show(label, result.body);
    else console.log(`\n== ${label}\n${JSON.stringify(result)}`);
  }
  console.log("\nAdapter log:");
  for (const line of adapter.lines) console.log(`  ${line}`);
}

if (import.meta.main) await main();
