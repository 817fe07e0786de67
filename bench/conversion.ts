// deno-lint-ignore-file no-console -- a benchmark script prints its report
/**
 * Conversion benchmark: events per second through each source's converters (parse, detect,
 * request, result), and MB/s for 1 MiB and 6 MiB binary bodies, each against a baseline that
 * only parses the event JSON.
 *
 * Run: deno run -A bench/conversion.ts   (part of `deno task bench`)
 *
 * @module
 */

import { buildAppRequest } from "../src/adapter/app_request.ts";
import { convertOptions, loadConfig } from "../src/config/config.ts";
import { eventToParts, responseToResult } from "../src/events/convert.ts";
import { detectSource } from "../src/events/detect.ts";
import type { BufferedResponse } from "../src/events/types.ts";
import { createLogger } from "../src/util/log.ts";
import { eventBytes, loadEvent } from "../tests/fixtures.ts";
import { median } from "./stats.ts";

const { config } = loadConfig({ AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001" });
const options = convertOptions(config);
const log = createLogger({ level: "off" });
const decoder = new TextDecoder();
const invocation = {
  requestId: "r",
  deadlineMs: 1_900_000_000_000,
  invokedFunctionArn: "arn",
  traceId: "Root=1-0-0",
  clientContext: null,
  cognitoIdentity: null,
  tenantId: undefined,
};
const SMALL: BufferedResponse = {
  status: 200,
  statusText: "OK",
  headers: [["content-type", "application/json"], ["set-cookie", "a=1"]],
  body: new TextEncoder().encode('{"ok":true}'),
};

/** Runs `fn` in batches for about `ms` and returns the median time per call in ms. */
function time(fn: () => void, ms = 400): number {
  for (let i = 0; i < 20; i++) fn();
  const perCall: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const started = performance.now();
    let calls = 0;
    do {
      fn();
      calls++;
    } while (performance.now() - started < 5);
    perCall.push((performance.now() - started) / calls);
  }
  return median(perCall);
}

function convert(payload: Uint8Array, response: BufferedResponse): number {
  const detected = detectSource(JSON.parse(decoder.decode(payload)));
  const { parts, requestContext } = eventToParts(detected, payload, options);
  const request = buildAppRequest(parts, requestContext, { ...invocation, payload }, {
    config,
    log,
  });
  return responseToResult(detected, response, options).byteLength + request.headers.length;
}

function parseOnly(payload: Uint8Array): number {
  return Object.keys(JSON.parse(decoder.decode(payload))).length;
}

const SOURCES: [string, string][] = [
  ["REST v1", "aws-lambda-rust-runtime/apigw_proxy_request.json"],
  ["HTTP API v2", "aws-lambda-go/apigw-v2-request-iam.json"],
  ["Function URL", "aws-lambda-go/lambda-urls-request.json"],
  ["ALB", "aws-lambda-go/alb-lambda-target-request-headers-only.json"],
  ["ALB multi-value", "aws-lambda-go/alb-lambda-target-request-multivalue-headers.json"],
  ["VPC Lattice v1", "powertools-lambda-python/vpcLatticeEvent.json"],
  ["VPC Lattice v2", "powertools-lambda-python/vpcLatticeV2EventWithHeaders.json"],
  ["WebSocket", "aws-lambda-go/apigw-websocket-request-send-message.json"],
  ["SQS (pass-through)", "aws-lambda-go/sqs-event.json"],
];

console.log(`# Conversion benchmark (${new Date().toISOString()}, deno ${Deno.version.deno})\n`);
console.log(
  "| source | event bytes | parse only (events/s) | full conversion (events/s) | ratio |",
);
console.log("|---|---|---|---|---|");
for (const [label, fixture] of SOURCES) {
  const payload = eventBytes(fixture);
  const base = time(() => parseOnly(payload));
  const full = time(() => convert(payload, SMALL));
  console.log(
    `| ${label} | ${payload.byteLength} | ${Math.round(1000 / base)} | ${
      Math.round(1000 / full)
    } | ${(full / base).toFixed(2)} |`,
  );
}

console.log("\n| binary body | direction | parse only (MB/s) | full conversion (MB/s) | ratio |");
console.log("|---|---|---|---|---|");
const url = loadEvent("aws-lambda-go/lambda-urls-request.json");
for (const [label, size] of [["1 MiB", 1 << 20], ["6 MiB", 6 << 20]] as const) {
  const bytes = new Uint8Array(size).map((_, i) => (i * 31) % 256);
  const event = new TextEncoder().encode(
    JSON.stringify({ ...url, body: bytes.toBase64(), isBase64Encoded: true }),
  );
  const small = new TextEncoder().encode(JSON.stringify(url));
  const binary: BufferedResponse = {
    status: 200,
    statusText: "OK",
    headers: [["content-type", "application/octet-stream"]],
    body: bytes,
  };
  const mb = size / 1e6;
  const requestBase = time(() => parseOnly(event), 1500);
  const requestFull = time(() => convert(event, SMALL), 1500);
  console.log(
    `| ${label} | event to request | ${(mb / (requestBase / 1000)).toFixed(0)} | ${
      (mb / (requestFull / 1000)).toFixed(0)
    } | ${(requestFull / requestBase).toFixed(2)} |`,
  );
  const resultJson = responseToResult(detectSource(url), binary, options);
  const responseBase = time(() => parseOnly(resultJson), 1500);
  const responseFull = time(() => convert(small, binary), 1500);
  console.log(
    `| ${label} | response to result | ${(mb / (responseBase / 1000)).toFixed(0)} | ${
      (mb / (responseFull / 1000)).toFixed(0)
    } | ${(responseFull / responseBase).toFixed(2)} |`,
  );
}
