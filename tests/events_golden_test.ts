/**
 * Every HTTP-source fixture through both directions, compared with a reviewed golden file in
 * tests/fixtures/golden/: the request the app gets (method, target, every header field in order,
 * repeated ones included, body bytes) and the Lambda result for one fixed app response.
 *
 * After a deliberate change: UPDATE_GOLDEN=1 deno test -A tests/events_golden_test.ts, then
 * review the diff of tests/fixtures/golden/ before committing it.
 */

import assert from "node:assert/strict";
import { buildAppRequest } from "../src/adapter/app_request.ts";
import { convertOptions, loadConfig } from "../src/config/config.ts";
import { eventToParts, responseToResult } from "../src/events/convert.ts";
import { detectSource } from "../src/events/detect.ts";
import type { BufferedResponse } from "../src/events/types.ts";
import type { Invocation } from "../src/lambda/invocation.ts";
import { createLogger } from "../src/util/log.ts";
import { allEventNames, eventBytes, loadEvent } from "./fixtures.ts";

const GOLDEN = new URL("./fixtures/golden/", import.meta.url);
const UPDATE = Deno.env.get("UPDATE_GOLDEN") === "1";

const { config } = loadConfig({
  AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001",
  AWS_LAMBDA_FUNCTION_NAME: "golden",
  AWS_LAMBDA_FUNCTION_VERSION: "7",
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
});
const options = convertOptions(config);
const log = createLogger({ level: "off" });

const INVOCATION: Omit<Invocation, "payload"> = {
  requestId: "11111111-2222-3333-4444-555555555555",
  deadlineMs: 1_900_000_000_000,
  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:golden",
  traceId: "Root=1-00000000-000000000000000000000001;Parent=0000000000000002;Sampled=1",
  clientContext: null,
  cognitoIdentity: null,
  tenantId: undefined,
};

/** One app answer with everything a converter must handle: cookies, repeats, UTF-8 text. */
const RESPONSE: BufferedResponse = {
  status: 201,
  statusText: "Created",
  headers: [
    ["Content-Type", "text/plain; charset=utf-8"],
    ["Set-Cookie", "a=1; Path=/; HttpOnly"],
    ["Set-Cookie", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"],
    ["X-Repeat", "one"],
    ["X-Repeat", "two"],
    ["Content-Length", "10"],
    ["Connection", "keep-alive"],
  ],
  body: new TextEncoder().encode("hello ✓!"),
};

function goldenName(fixture: string): string {
  return fixture.replace("/", "__");
}

function render(fixture: string) {
  const payload = eventBytes(fixture);
  const detected = detectSource(loadEvent(fixture));
  if (detected.source === "passThrough") return undefined;
  try {
    const { parts, requestContext } = eventToParts(detected, payload, options);
    const request = buildAppRequest(parts, requestContext, { ...INVOCATION, payload }, {
      config,
      log,
    });
    const body = request.body as Uint8Array;
    const result = JSON.parse(
      new TextDecoder().decode(responseToResult(detected, RESPONSE, options)),
    );
    return {
      source: detected.source,
      request: {
        method: request.method,
        target: request.target,
        headers: request.headers.map(([name, value]) => `${name}: ${value}`),
        body: new TextDecoder().decode(body),
        bodyBase64: body.toBase64(),
      },
      result,
    };
  } catch (error) {
    return { source: detected.source, error: (error as Error).message };
  }
}

const fixtures = allEventNames().filter((name) => !name.startsWith("aws-sam-cli/"));

Deno.test("every HTTP fixture converts exactly as its golden file says", async (t) => {
  let compared = 0;
  const sources = new Set<string>();
  for (const fixture of fixtures) {
    const actual = render(fixture);
    if (!actual) continue;
    sources.add(actual.source);
    compared++;
    const file = new URL(`${goldenName(fixture)}`, GOLDEN);
    await t.step(fixture, async () => {
      if (UPDATE) {
        await Deno.mkdir(GOLDEN, { recursive: true });
        await Deno.writeTextFile(file, JSON.stringify(actual, null, 2) + "\n");
        return;
      }
      const expected = JSON.parse(await Deno.readTextFile(file));
      assert.deepEqual(actual, expected);
    });
  }
  assert.ok(compared >= 70, `compared ${compared}`);
  assert.deepEqual([...sources].sort(), [
    "alb",
    "apiGatewayV1",
    "apiGatewayV2",
    "vpcLatticeV1",
    "vpcLatticeV2",
    "webSocket",
  ]);
});

Deno.test("the golden folder holds no stale file", async () => {
  const expected = new Set(
    fixtures.filter((fixture) => render(fixture) !== undefined).map(goldenName),
  );
  for await (const entry of Deno.readDir(GOLDEN)) {
    assert.ok(expected.has(entry.name), `stale golden file ${entry.name}`);
  }
});
