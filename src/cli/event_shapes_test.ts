import assert from "node:assert/strict";
import { convertOptions, loadConfig } from "../config/config.ts";
import { eventToParts, responseToResult } from "../events/convert.ts";
import { detectSource } from "../events/detect.ts";
import { EVENT_SOURCES, type FrontDoorRequest, requestToEvent } from "./event_shapes.ts";
import { failureResponse, resultToResponse } from "./result_to_response.ts";
import { requestTarget } from "../events/target.ts";
import { getHeaderAll } from "../http/types.ts";

const { config } = loadConfig({ AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001" });
const options = convertOptions(config);
const identity = {
  region: "eu-west-1",
  accountId: "123456789012",
  functionName: "demo",
  requestId: "req-1",
  now: new Date("2026-11-25T12:00:00Z"),
};
const EXPECTED_SOURCE = {
  "function-url": "apiGatewayV2",
  "http-api": "apiGatewayV2",
  "rest-api": "apiGatewayV1",
  "alb": "alb",
  "alb-multi-value": "alb",
  "vpc-lattice-v2": "vpcLatticeV2",
} as const;

Deno.test("requestToEvent() builds events the adapter turns back into the same request", async (t) => {
  const request: FrontDoorRequest = {
    method: "POST",
    target: "/items/a%20b?x=1&y=two%20words&x=3",
    headers: [
      ["Host", "localhost:9000"],
      ["Content-Type", "application/octet-stream"],
      ["Cookie", "a=1; b=2"],
      ["X-Trace", "t"],
    ],
    body: new Uint8Array([0, 1, 2, 250]),
    sourceIp: "127.0.0.1",
  };
  for (const source of EVENT_SOURCES) {
    await t.step(source, () => {
      const event = requestToEvent(source, request, identity);
      const detected = detectSource(JSON.parse(JSON.stringify(event)));
      assert.equal(detected.source, EXPECTED_SOURCE[source]);
      const { parts } = eventToParts(detected, new Uint8Array(), options);
      assert.equal(parts.method, "POST");
      const target = new URL(requestTarget(parts.path, parts.query), "http://app");
      assert.equal(target.pathname, "/items/a%20b");
      const pairs = [...target.searchParams].sort();
      // A map-shaped query groups repeated keys; ALB without multi-value keeps the last value.
      assert.deepEqual(
        pairs,
        source === "alb"
          ? [["x", "3"], ["y", "two words"]]
          : [["x", "1"], ["x", "3"], ["y", "two words"]],
      );
      if (source === "function-url" || source === "http-api") {
        assert.equal(target.search, "?x=1&y=two%20words&x=3");
      }
      assert.deepEqual(parts.body, request.body);
      const cookie = getHeaderAll(parts.headers, "cookie").join("; ");
      assert.equal(cookie, "a=1; b=2");
      assert.ok(parts.headers.some(([name, value]) => name === "x-trace" && value === "t"));
    });
  }
});

Deno.test("resultToResponse() reads back what the adapter answered, for every source", async (t) => {
  const response = {
    status: 201,
    statusText: "Created",
    headers: [
      ["content-type", "image/png"],
      ["set-cookie", "a=1"],
      ["set-cookie", "b=2"],
      ["x-one", "1"],
    ] as [string, string][],
    body: new Uint8Array([137, 80, 78, 71, 0, 255]),
  };
  for (const source of EVENT_SOURCES) {
    await t.step(source, () => {
      const event = requestToEvent(source, {
        method: "GET",
        target: "/",
        headers: [],
        body: new Uint8Array(),
        sourceIp: "127.0.0.1",
      }, identity);
      const detected = detectSource(event);
      const back = resultToResponse(source, responseToResult(detected, response, options));
      assert.equal(back.status, 201);
      assert.deepEqual(back.body, response.body);
      const cookies = getHeaderAll(back.headers, "set-cookie");
      // ALB without multi-value headers and Lattice keep one field per name (see README).
      if (source === "alb") assert.deepEqual(cookies, ["a=1"]);
      else if (source === "vpc-lattice-v2") assert.deepEqual(cookies, ["a=1, b=2"]);
      else assert.deepEqual(cookies, ["a=1", "b=2"]);
      assert.ok(back.headers.some(([name, value]) => name === "x-one" && value === "1"));
    });
  }
});

Deno.test("resultToResponse() answers like the front end for failures and bare results", () => {
  const bare = new TextEncoder().encode('{"hello":"world"}');
  assert.deepEqual(resultToResponse("function-url", bare), {
    status: 200,
    headers: [["content-type", "application/json"]],
    body: bare,
  });
  assert.equal(resultToResponse("rest-api", bare).status, 502);
  assert.equal(resultToResponse("alb", new TextEncoder().encode("not json")).status, 502);
  assert.equal(failureResponse("function-url").status, 502);
});
