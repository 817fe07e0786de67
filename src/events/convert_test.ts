import assert from "node:assert/strict";
import type { HeaderList } from "../http/types.ts";
import { allEventNames, eventBytes, loadEvent } from "../../tests/fixtures.ts";
import { InvocationError } from "../lambda/errors.ts";
import { DEFAULT_BODY_OPTIONS } from "./body.ts";
import { type ConvertOptions, eventToParts, responseToResult } from "./convert.ts";
import { detectSource } from "./detect.ts";
import type { BufferedResponse, JsonObject } from "./types.ts";
import { getHeaderAll } from "../http/types.ts";

const OPTIONS: ConvertOptions = {
  removeBasePath: undefined,
  passThroughPath: "/events",
  webSocketPathPrefix: "/websocket",
  body: DEFAULT_BODY_OPTIONS,
};
const text = new TextEncoder();

function partsOf(name: string, options = OPTIONS) {
  const event = loadEvent(name);
  return eventToParts(detectSource(event), eventBytes(name), options);
}

function resultOf(event: JsonObject, response: Partial<BufferedResponse>) {
  const full = { status: 200, statusText: "OK", headers: [], body: new Uint8Array(), ...response };
  const bytes = responseToResult(detectSource(event), full, OPTIONS);
  return JSON.parse(new TextDecoder().decode(bytes));
}

Deno.test("detectSource() tells every fixture's source apart", () => {
  const expected: Record<string, string> = {
    "aws-lambda-go/alb-lambda-target-request-headers-only.json": "alb",
    "aws-lambda-go/alb-lambda-target-request-multivalue-headers.json": "alb",
    "aws-lambda-go/apigw-request.json": "apiGatewayV1",
    "aws-lambda-go/apigw-v2-request-iam.json": "apiGatewayV2",
    "aws-lambda-go/lambda-urls-request.json": "apiGatewayV2",
    "aws-lambda-dotnet/values-get-all-httpapi-request.json": "apiGatewayV1",
    "aws-lambda-go/sqs-event.json": "passThrough",
    "aws-lambda-go/s3-event.json": "passThrough",
    "aws-lambda-go/kafka-event.json": "passThrough",
    "powertools-lambda-python/bedrockAgentEvent.json": "passThrough",
    "aws-lambda-rust-runtime/example-eventbridge-event-obj.json": "passThrough",
  };
  for (const [name, source] of Object.entries(expected)) {
    assert.equal(detectSource(loadEvent(name)).source, source, name);
  }
  assert.equal(detectSource([1, 2]).source, "passThrough");
  assert.equal(detectSource("text").source, "passThrough");
  assert.equal(detectSource(null).source, "passThrough");
});

Deno.test("eventToParts() keeps every REST v1 multi-value header and query value", () => {
  const { parts, requestContext } = partsOf(
    "aws-lambda-rust-runtime/apigw_multi_value_proxy_request.json",
  );
  assert.equal(parts.method, "POST");
  assert.equal(parts.path, "/hello/world");
  assert.equal(parts.query, "name=me&multiValueName=you&multiValueName=me");
  assert.deepEqual(parts.headers.slice(0, 3), [
    ["accept", "*/*"],
    ["accept-encoding", "gzip, deflate"],
    ["cache-control", "no-cache"],
  ]);
  assert.equal(parts.headers.length, 19);
  assert.equal(new TextDecoder().decode(parts.body), '{\r\n\t"a": 1\r\n}');
  assert.equal(requestContext?.["requestId"], "deef4878-7910-11e6-8f14-25afc3e9ae33");
});

Deno.test("eventToParts() encodes REST v1 query values exactly once", () => {
  const event = {
    ...loadEvent("aws-lambda-rust-runtime/apigw_proxy_request.json"),
    multiValueQueryStringParameters: { "q": ["a b", "100%", "x&y=z", "ü"] },
  };
  const { parts } = eventToParts(detectSource(event), new Uint8Array(), OPTIONS);
  assert.equal(parts.query, "q=a%20b&q=100%25&q=x%26y%3Dz&q=%C3%BC");
});

Deno.test("eventToParts() passes v2 rawQueryString as sent and joins cookies once", () => {
  const { parts } = partsOf("aws-lambda-rust-runtime/lambda_function_url_request.json");
  assert.equal(parts.method, "GET");
  assert.equal(parts.path, "/my/path");
  assert.equal(parts.query, "parameter1=value1&parameter1=value2&parameter2=value");
  assert.deepEqual(getHeaderAll(parts.headers, "cookie"), ["test=hi"]);
  const { parts: many } = partsOf("aws-lambda-dotnet/cookies-get-multiple-httpapi-v2-request.json");
  const cookies = getHeaderAll(many.headers, "cookie");
  assert.equal(cookies.length, 1);
  assert.match(cookies[0]!, /; /);
});

Deno.test("eventToParts() passes ALB query values undecoded and decodes base64 bodies", () => {
  const { parts } = partsOf(
    "aws-lambda-rust-runtime/alb_multi_value_request_encoded_query_parameters.json",
  );
  assert.equal(parts.query, "myKey=%3FshowAll%3Dtrue&myKey=%3FshowAll%3Dfalse");
  assert.deepEqual(getHeaderAll(parts.headers, "cookie"), ["name1=value1", "name2=value2"]);
  const binary = partsOf("aws-lambda-dotnet/values-put-binary-alb-request.json").parts;
  assert.equal(binary.method, "PUT");
  assert.equal(new TextDecoder().decode(binary.body), "Greetings, programs!");
});

Deno.test("eventToParts() POSTs non-HTTP events byte-exact to the pass-through path", () => {
  const { parts, requestContext } = partsOf("aws-lambda-go/sqs-event.json");
  assert.deepEqual(
    { method: parts.method, path: parts.path, query: parts.query, headers: parts.headers },
    { method: "POST", path: "/events", query: "", headers: [["content-type", "application/json"]] },
  );
  assert.deepEqual(parts.body, eventBytes("aws-lambda-go/sqs-event.json"));
  assert.equal(requestContext, null);
});

Deno.test("eventToParts() strips the base path on whole segments", () => {
  const options = { ...OPTIONS, removeBasePath: "/hello" };
  const event = loadEvent("aws-lambda-rust-runtime/apigw_proxy_request.json");
  for (
    const [path, expected] of [["/hello", "/"], ["/hello/world", "/world"], [
      "/helloworld",
      "/helloworld",
    ]]
  ) {
    const detected = detectSource({ ...event, path });
    assert.equal(eventToParts(detected, new Uint8Array(), options).parts.path, expected);
  }
});

Deno.test("eventToParts() fails a broken HTTP event with the field named", async (t) => {
  const base = loadEvent("aws-lambda-go/apigw-v2-request-no-authorizer.json");
  const cases: [string, JsonObject, RegExp][] = [
    ["v2 http not an object", { ...base, requestContext: { http: "GET" } }, /requestContext\.http/],
    ["bad base64", { ...base, body: "%%%", isBase64Encoded: true }, /not valid base64/],
    ["CR/LF in a header", { ...base, headers: { "x-a": "1\r\nx-b: 2" } }, /control character/],
    ["bad header name", { ...base, headers: { "bad name": "1" } }, /not a valid header name/],
    ["numeric header", { ...base, headers: { "x-a": 1 } }, /headers\.x-a.*a number/],
    ["cookies not strings", { ...base, cookies: [1] }, /cookies/],
    ["bad method", { ...base, requestContext: { http: { method: "G T" } } }, /not an HTTP method/],
  ];
  for (const [name, event, message] of cases) {
    await t.step(name, () => {
      assert.throws(
        () => eventToParts(detectSource(event), new Uint8Array(), OPTIONS),
        (error) => error instanceof InvocationError && message.test(error.message),
      );
    });
  }
});

Deno.test("responseToResult() shapes REST v1 results with every value", () => {
  const event = loadEvent("aws-lambda-rust-runtime/apigw_proxy_request.json");
  const result = resultOf(event, {
    status: 201,
    headers: [
      ["Content-Type", "text/plain"],
      ["Set-Cookie", "a=1"],
      ["set-cookie", "b=2"],
      ["X-Multi", "x"],
      ["x-multi", "y"],
      ["Transfer-Encoding", "chunked"],
    ],
    body: text.encode("hello"),
  });
  assert.deepEqual(result, {
    statusCode: 201,
    headers: {},
    multiValueHeaders: {
      "content-type": ["text/plain"],
      "set-cookie": ["a=1", "b=2"],
      "x-multi": ["x", "y"],
    },
    body: "hello",
    isBase64Encoded: false,
  });
});

Deno.test("responseToResult() moves v2 Set-Cookie values into cookies", () => {
  const event = loadEvent("aws-lambda-go/lambda-urls-request.json");
  const result = resultOf(event, {
    headers: [["set-cookie", "a=1; Path=/"], ["set-cookie", "b=2"], ["vary", "a"], ["vary", "b"]],
    body: new Uint8Array([0, 1, 2, 255]),
  });
  assert.deepEqual(result, {
    statusCode: 200,
    headers: { vary: "a, b" },
    body: "AAEC/w==",
    isBase64Encoded: true,
    cookies: ["a=1; Path=/", "b=2"],
  });
});

Deno.test("responseToResult() mirrors the ALB header mode", () => {
  const single = resultOf(loadEvent("aws-lambda-go/alb-lambda-target-request-headers-only.json"), {
    status: 404,
    headers: [["content-type", "application/json"], ["set-cookie", "a=1"], ["set-cookie", "b=2"]],
    body: text.encode("{}"),
  });
  assert.deepEqual(single, {
    statusCode: 404,
    statusDescription: "404 Not Found",
    headers: { "content-type": "application/json", "set-cookie": "a=1" },
    body: "{}",
    isBase64Encoded: false,
  });
  const multi = resultOf(
    loadEvent("aws-lambda-go/alb-lambda-target-request-multivalue-headers.json"),
    { headers: [["set-cookie", "a=1"], ["set-cookie", "b=2"]] },
  );
  assert.deepEqual(multi, {
    statusCode: 200,
    statusDescription: "200 OK",
    multiValueHeaders: { "set-cookie": ["a=1", "b=2"] },
    body: "",
    isBase64Encoded: false,
  });
});

Deno.test("responseToResult() gives LWA's pass-through result: the JSON as written, else null", async (t) => {
  const detected = detectSource(loadEvent("aws-lambda-go/sqs-event.json"));
  const json = '{"batchItemFailures": [ {"itemIdentifier":"b"} ], "a":1.0}';
  const cases: [string, HeaderList, Uint8Array, string][] = [
    ["JSON as written", [["content-type", "application/json"]], text.encode(json), json],
    ["no content type", [], text.encode("[1, 2]"), "[1, 2]"],
    ["JSON sent as text/plain", [["content-type", "text/plain"]], text.encode("7"), "7"],
    [
      "Express sendStatus(200)",
      [["content-type", "text/plain; charset=utf-8"]],
      text.encode("OK"),
      "null",
    ],
    ["empty", [], new Uint8Array(), "null"],
    ["invalid JSON", [["content-type", "application/json"]], text.encode("{"), "null"],
    ["binary type", [["content-type", "application/octet-stream"]], text.encode("{}"), "null"],
    [
      "compressed",
      [["content-type", "application/json"], ["content-encoding", "br"]],
      text.encode("{}"),
      "null",
    ],
    [
      "BOM dropped",
      [],
      new Uint8Array([0xef, 0xbb, 0xbf, ...text.encode('{"a":"é"}')]),
      '{"a":"é"}',
    ],
    [
      "charset honoured",
      [["content-type", "application/json; charset=latin1"]],
      new Uint8Array([0x22, 0xe9, 0x22]),
      '"é"',
    ],
    ["astral and escaped lone surrogate", [], text.encode('["😀","\\ud800"]'), '["😀","\\ud800"]'],
  ];
  for (const [name, headers, body, expected] of cases) {
    await t.step(name, () => {
      const response = { status: 500, statusText: "", headers, body };
      const result = new TextDecoder().decode(responseToResult(detected, response, OPTIONS));
      assert.equal(result, expected);
    });
  }
});

Deno.test("eventToParts() converts every HTTP fixture, failing only the broken ones", () => {
  // These two powertools fixtures claim isBase64Encoded but carry "Hello from Lambda!".
  const broken = new Set([
    "powertools-lambda-python/apiGatewayProxyEventAnotherPath.json",
    "powertools-lambda-python/apiGatewayProxyEvent_noVersionAuth.json",
  ]);
  let converted = 0;
  for (const name of allEventNames()) {
    if (name.startsWith("aws-sam-cli/")) continue; // Mustache templates, not events
    const detected = detectSource(loadEvent(name));
    if (detected.source === "passThrough") continue;
    if (broken.has(name)) {
      assert.throws(() => eventToParts(detected, eventBytes(name), OPTIONS), /not valid base64/);
      continue;
    }
    eventToParts(detected, eventBytes(name), OPTIONS);
    converted++;
  }
  assert.ok(converted >= 50, `converted ${converted}`);
});
