import assert from "node:assert/strict";
import { loadEvent } from "../../tests/fixtures.ts";
import { describeEvent } from "./event_source.ts";

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

Deno.test("describeEvent() names the front end, method and path of HTTP events", () => {
  const cases: [string, string, string, string][] = [
    ["aws-lambda-go/lambda-urls-request.json", "function-url", "POST", "/my/path"],
    ["aws-lambda-go/apigw-v2-request-no-authorizer.json", "http-api", "GET", "/"],
    ["aws-lambda-go/alb-lambda-target-request-headers-only.json", "alb", "GET", "/"],
    ["aws-lambda-go/apigw-request.json", "rest-api", "POST", "/hello/world"],
  ];
  for (const [name, source, method, path] of cases) {
    assert.deepEqual(describeEvent(bytes(loadEvent(name))), { source, method, path }, name);
  }
});

Deno.test("describeEvent() says what a non-HTTP event is, and what is not JSON", () => {
  assert.deepEqual(describeEvent(bytes(loadEvent("aws-lambda-go/sqs-event.json"))), {
    source: "pass-through",
    method: "EVENT",
    path: "aws:sqs",
  });
  assert.deepEqual(describeEvent(bytes({ hello: "w\u00f6rld \u{1F600}" })), {
    source: "pass-through",
    method: "EVENT",
    path: "-",
  });
  assert.deepEqual(describeEvent(new Uint8Array([0xff, 0x7b])), {
    source: "not JSON",
    method: "EVENT",
    path: "-",
  });
});
