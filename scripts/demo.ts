// deno-lint-ignore-file no-console -- the demo prints what came back
/**
 * `deno task demo`: runs `lambda-adapter emulate` with the demo app (examples/demo/app.ts): the
 * Lambda emulator, the adapter and the app start as they would in Lambda. Then it sends a few
 * plain HTTP requests through the front door (as a Function URL) and a few real sample events
 * (REST API, ALB, SQS) through the Runtime Interface Emulator endpoint, and prints what came back.
 *
 * @module
 */

import { RIE_PATH } from "../src/cli/front_door.ts";
import { eventBytes } from "../tests/fixtures.ts";
import { startEmulate } from "../tests/harness.ts";

const app = new URL("../examples/demo/app.ts", import.meta.url).pathname;
const sqs = JSON.parse(new TextDecoder().decode(eventBytes("aws-lambda-go/sqs-event.json")));
const rest = JSON.parse(
  new TextDecoder().decode(eventBytes("aws-lambda-rust-runtime/apigw_proxy_request.json")),
);
const alb = JSON.parse(
  new TextDecoder().decode(eventBytes("aws-lambda-go/alb-lambda-target-request-headers-only.json")),
);

function section(title: string) {
  console.log(`\n== ${title}`);
}

/** Headers that change on every run or only manage the connection. */
const HIDDEN = new Set(["date", "connection", "keep-alive"]);

async function showResponse(response: Response) {
  const type = response.headers.get("content-type") ?? "";
  const headers = [...response.headers].filter(([name]) => !HIDDEN.has(name))
    .map(([name, value]) => `${name}: ${value}`).join("; ");
  console.log(`${response.status} ${headers}`);
  if (/^(text|application\/json)/.test(type)) console.log((await response.text()).trimEnd());
  else console.log(`(${(await response.arrayBuffer()).byteLength} bytes of ${type})`);
}

async function main() {
  await using emulate = await startEmulate({
    app: [Deno.execPath(), "run", "--allow-net", "--allow-env", app],
    args: ["--function-name", "demo"],
  });
  const url = emulate.url;
  console.log(`lambda-adapter emulate is up: front door ${url}, app examples/demo/app.ts`);

  section("curl " + `${url}/  (front door, as a Function URL)`);
  await showResponse(await fetch(`${url}/`));
  section(`curl -X POST ${url}/api/items -d '{"name":"tea"}'`);
  await showResponse(
    await fetch(`${url}/api/items`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "tea" }),
    }),
  );
  section(`curl ${url}/logo.png  (a binary body, base64 through Lambda and back)`);
  await showResponse(await fetch(`${url}/logo.png`));

  const events: [string, unknown][] = [
    ["API Gateway REST API event, GET /api/items", {
      ...rest,
      path: "/api/items",
      httpMethod: "GET",
    }],
    ["ALB event, GET /", { ...alb, path: "/" }],
    ["SQS event with two messages, one of which the app fails", {
      Records: [
        { ...sqs.Records[0], messageId: "msg-1", body: "hello" },
        { ...sqs.Records[0], messageId: "msg-2", body: "please fail" },
      ],
    }],
  ];
  for (const [title, event] of events) {
    section(`${title}  (raw event to ${RIE_PATH})`);
    const response = await fetch(`${url}${RIE_PATH}`, {
      method: "POST",
      body: JSON.stringify(event),
    });
    console.log(await response.text());
  }

  emulate.child.kill("SIGINT");
  await emulate.child.status();
  section("what emulate printed (its own lines, [app] and [adapter] output)");
  for (const line of emulate.child.lines) console.log(`  ${line}`);
}

if (import.meta.main) await main();
