/**
 * Random binary bodies survive every source byte for byte, in both directions.
 */

import assert from "node:assert/strict";
import { buildAppRequest } from "../src/adapter/app_request.ts";
import { convertOptions, loadConfig } from "../src/config/config.ts";
import { eventToParts, responseToResult } from "../src/events/convert.ts";
import { detectSource } from "../src/events/detect.ts";
import type { JsonObject } from "../src/events/types.ts";
import { createLogger } from "../src/util/log.ts";
import { loadEvent } from "./fixtures.ts";
import { Random } from "./random.ts";

const { config } = loadConfig({ AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001" });
const options = convertOptions(config);
const log = createLogger({ level: "off" });
const invocation = {
  requestId: "r",
  deadlineMs: 1_900_000_000_000,
  invokedFunctionArn: undefined,
  traceId: undefined,
  clientContext: null,
  cognitoIdentity: null,
  tenantId: undefined,
  payload: new Uint8Array(),
};

/** One base event per source and the names of its body fields. */
const SOURCES: [string, string, string, string][] = [
  ["apiGatewayV1", "aws-lambda-rust-runtime/apigw_proxy_request.json", "body", "isBase64Encoded"],
  ["apiGatewayV2", "aws-lambda-go/apigw-v2-request-iam.json", "body", "isBase64Encoded"],
  ["apiGatewayV2", "aws-lambda-go/lambda-urls-request.json", "body", "isBase64Encoded"],
  ["alb", "aws-lambda-go/alb-lambda-target-request-headers-only.json", "body", "isBase64Encoded"],
  [
    "alb",
    "aws-lambda-go/alb-lambda-target-request-multivalue-headers.json",
    "body",
    "isBase64Encoded",
  ],
  ["vpcLatticeV1", "powertools-lambda-python/vpcLatticeEvent.json", "body", "is_base64_encoded"],
  ["vpcLatticeV2", "powertools-lambda-python/vpcLatticeV2Event.json", "body", "isBase64Encoded"],
  [
    "webSocket",
    "aws-lambda-go/apigw-websocket-request-send-message.json",
    "body",
    "isBase64Encoded",
  ],
];

Deno.test("random binary bodies round-trip byte-exact through every source", async (t) => {
  const random = new Random();
  for (const [source, fixture, bodyKey, flagKey] of SOURCES) {
    await t.step(`${source} (${fixture}) seed ${random.seed}`, () => {
      const base = loadEvent<JsonObject>(fixture);
      for (let i = 0; i < 40; i++) {
        const length = random.pick([0, 1, 2, 3, 255, 4096, random.int(200_000)]);
        const bytes = random.bytes(length);
        const event = { ...base, [bodyKey]: bytes.toBase64(), [flagKey]: true };
        const detected = detectSource(event);
        assert.equal(detected.source, source);
        const { parts, requestContext } = eventToParts(detected, new Uint8Array(), options);
        const request = buildAppRequest(parts, requestContext, invocation, { config, log });
        assert.deepEqual(request.body, bytes, `request body, length ${length}`);

        const type = random.pick(["application/octet-stream", "image/png", "text/plain", ""]);
        const response = {
          status: 200,
          statusText: "OK",
          headers: type ? [["content-type", type]] as [string, string][] : [],
          body: bytes,
        };
        const result = JSON.parse(
          new TextDecoder().decode(responseToResult(detected, response, options)),
        );
        const back = result.isBase64Encoded
          ? Uint8Array.fromBase64(result.body)
          : new TextEncoder().encode(result.body);
        assert.deepEqual(back, bytes, `response body, ${type || "no type"}, length ${length}`);
      }
    });
  }
});
