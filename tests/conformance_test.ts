/**
 * Conformance with the real LWA: every event fixture and the hand-written edge cases below go
 * through the Rust LWA binary (../shared/tools) and through this adapter, each against the same
 * scripted app, with the same invocation headers. The requests the app saw and the results
 * Lambda got must be equal, except for the differences tests/support/lwa_differences.ts lists
 * (the rows of docs/differences-from-lwa.md). An edge case names the differences it exists to
 * show; it must show those and no other, except the everyday ones in `AMBIENT`.
 */

import assert from "node:assert/strict";
import { allEventNames, eventBytes, loadEvent } from "./fixtures.ts";
import { AdapterPair } from "./support/adapter_pair.ts";
import { DIFFERENCES, reconcile } from "./support/lwa_differences.ts";
import { differences, viewOf } from "./support/observation_view.ts";
import { type AppResponse, DEFAULT_RESPONSE } from "./support/recording_app.ts";
import { referenceBinary, skipWith } from "./support/reference_tools.ts";
import { detectSource } from "../src/events/detect.ts";
import type { InvokeOptions } from "../src/emulator/mod.ts";

const LWA = referenceBinary("lwa-lambda-adapter");
const ignore = skipWith(LWA.skip && `conformance with LWA: ${LWA.skip}`);

/** Differences that ordinary events show, so an edge case need not name them. */
const AMBIENT = new Set([
  "field-name-case",
  "content-length-zero",
  "lambda-context-tenant-id",
  "request-context",
  "v2-empty-multivalueheaders",
  "alb-header-mode",
  "pass-through-json-as-written",
  "pass-through-payload-whitespace",
  "vary-spelling",
]);

/**
 * Differences that appear only once the lead's path and header changes land (paths as API
 * Gateway routed them; `_` spellings of adapter headers dropped). Until then their cases accept
 * both outcomes; remove an id from here when its change is merged.
 */
const LANDING = new Set(["dot-segments"]);

interface Case {
  readonly name: string;
  /** An object is JSON-encoded; bytes are sent as they are. */
  readonly event: unknown;
  readonly response?: AppResponse;
  readonly invoke?: InvokeOptions;
  /** The differences this case is here to show; each must appear. Unset for fixtures. */
  readonly shows?: readonly string[];
  /** Differences it may show or not, at random (LWA's query key order). */
  readonly may?: readonly string[];
}

interface Profile {
  readonly name: string;
  readonly env: Record<string, string>;
  readonly cases: readonly Case[];
}

const used = new Set<string>();

// --- events -------------------------------------------------------------------------------

function httpApi(path: string, extra: Record<string, unknown> = {}) {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: "",
    headers: { accept: "*/*", host: "abc.execute-api.us-east-1.amazonaws.com" },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc",
      domainName: "abc.execute-api.us-east-1.amazonaws.com",
      domainPrefix: "abc",
      http: {
        method: "GET",
        path,
        protocol: "HTTP/1.1",
        sourceIp: "192.0.2.1",
        userAgent: "curl/8",
      },
      requestId: "req-1",
      routeKey: "$default",
      stage: "$default",
      time: "01/Jan/2026:00:00:00 +0000",
      timeEpoch: 1767225600000,
    },
    isBase64Encoded: false,
    ...extra,
  };
}

const REST = loadEvent("aws-lambda-rust-runtime/apigw_proxy_request.json");
const ALB = loadEvent("aws-lambda-rust-runtime/alb_request.json");
const SQS = loadEvent("aws-lambda-go/sqs-event.json");
const URL_EVENT = loadEvent("aws-lambda-rust-runtime/lambda_function_url_request.json");
const HTTP_API_V1 = loadEvent("aws-lambda-dotnet/values-get-all-httpapi-request.json");

function respond(
  headers: [string, string][],
  body: string | Uint8Array,
  status = 200,
): AppResponse {
  return { status, headers, body };
}

const text = (body: string, type = "text/plain") => respond([["content-type", type]], body);

// --- profiles -----------------------------------------------------------------------------

const DEFAULT_CASES: Case[] = [
  {
    name: "pass-through: a text answer (Express sendStatus) is null",
    event: SQS,
    response: text("OK", "text/plain; charset=utf-8"),
  },
  {
    name: "pass-through: a JSON answer is the result, as written",
    event: SQS,
    response: text(
      '{"batchItemFailures": [ {"itemIdentifier": "b"} ], "a": 1.0}',
      "application/json",
    ),
    shows: ["pass-through-json-as-written"],
  },
  {
    name: "pass-through: JSON sent as octet-stream is null",
    event: SQS,
    response: text("{}", "application/octet-stream"),
  },
  {
    name: "pass-through: compressed JSON is null",
    event: SQS,
    response: respond([["content-type", "application/json"], ["content-encoding", "gzip"]], "{}"),
  },
  {
    name: "pass-through: a UTF-8 BOM is dropped",
    event: SQS,
    response: respond([["content-type", "application/json"]], '\ufeff{"a":"é😀"}'),
  },
  {
    name: "pass-through: the charset is honoured",
    event: SQS,
    response: respond(
      [["content-type", "application/json; charset=iso-8859-1"]],
      new Uint8Array([0x22, 0x63, 0x61, 0x66, 0xe9, 0x22]),
    ),
  },
  {
    name: "pass-through: an empty answer is null",
    event: { any: "event" },
    response: respond([], ""),
  },
  {
    name: "text body: a leading UTF-8 BOM is dropped",
    event: httpApi("/bom"),
    response: text("\ufeffhello"),
  },
  {
    name: "REST: a repeated request header",
    event: {
      ...REST,
      multiValueHeaders: { "X-Repeat": ["one", "two"] },
      headers: { ...REST.headers as object, "X-Repeat": "two" },
    },
    shows: ["repeated-request-headers"],
  },
  {
    name: "REST: query values encoded once, in order",
    event: {
      ...REST,
      queryStringParameters: { q: "c&d", z: "é+" },
      multiValueQueryStringParameters: { z: ["é+"], q: ["a b", "c&d"] },
    },
    shows: ["query-encoding"],
  },
  {
    name: "HTTP API: repeated response headers",
    event: httpApi("/multi"),
    response: respond([
      ["content-type", "text/plain"],
      ["x-multi", "1"],
      ["x-multi", "2"],
    ], "multi"),
    shows: ["repeated-response-headers"],
  },
  {
    name: "ALB single-value: repeated response headers and cookies",
    event: ALB,
    response: respond([
      ["content-type", "text/plain"],
      ["x-multi", "1"],
      ["x-multi", "2"],
      ["set-cookie", "a=1"],
      ["set-cookie", "b=2"],
    ], "multi"),
    shows: ["repeated-response-headers"],
  },
  {
    name: "ALB: statusDescription of a code without a phrase",
    event: ALB,
    response: respond([["content-type", "text/plain"]], "x", 299),
    shows: ["status-description"],
  },
  {
    name: "ALB: statusDescription of 418",
    event: ALB,
    response: respond([["content-type", "text/plain"]], "teapot", 418),
  },
  {
    name: "path: dot segments",
    event: httpApi("/a/b/../c/./d"),
    shows: ["dot-segments"],
  },
  {
    name: "path: encoded dot segments",
    event: httpApi("/a/%2e%2e/b/%2E/c"),
    shows: ["dot-segments"],
  },
  {
    name: "path: non-ASCII, spaces and reserved characters are percent-encoded",
    event: httpApi('/Año 1234/"q"/{x}|^`'),
  },
  {
    name: "client copies of adapter headers",
    event: httpApi("/spoof", {
      headers: {
        host: "abc.execute-api.us-east-1.amazonaws.com",
        "x-amzn-lambda-context": "{}",
        "x-amzn-request-context": "{}",
        "x-amzn-trace-id": "Root=forged",
        "x-amz-tenant-id": "forged",
        "x_amzn_lambda_context": "{}",
      },
    }),
    shows: ["client-copies-of-adapter-headers"],
  },
  {
    name: "hop-by-hop request headers",
    event: httpApi("/hop", {
      headers: {
        host: "abc.execute-api.us-east-1.amazonaws.com",
        connection: "keep-alive, x-private",
        "keep-alive": "timeout=5",
        "x-private": "1",
        te: "trailers",
        upgrade: "h2c",
      },
    }),
    shows: ["hop-by-hop-request-headers"],
  },
  {
    name: "hop-by-hop response headers",
    event: httpApi("/hop"),
    response: respond([
      ["content-type", "text/plain"],
      ["connection", "keep-alive"],
      ["keep-alive", "timeout=5"],
    ], "hop"),
    shows: ["hop-by-hop-response-headers"],
  },
  {
    name: "request context with non-ASCII values",
    event: httpApi("/context", {
      requestContext: {
        ...httpApi("/context").requestContext,
        authorizer: { lambda: { name: "Zoë 😀" } },
      },
    }),
    shows: ["context-header-ascii"],
  },
  {
    name: "client context and Cognito identity in snake_case",
    event: httpApi("/context"),
    invoke: {
      clientContext: JSON.stringify({
        client: {
          installation_id: "i-1",
          app_title: "Title",
          app_version_name: "1.0",
          app_version_code: "1",
          app_package_name: "com.example",
        },
        custom: { k: "v" },
        environment: { locale: "fr" },
      }),
      cognitoIdentity: JSON.stringify({ cognitoIdentityId: "id-1", cognitoIdentityPoolId: "p-1" }),
    },
  },
  {
    name: "client context in camelCase without environment",
    event: httpApi("/context"),
    invoke: {
      clientContext: JSON.stringify({
        client: {
          installationId: "i-1",
          appTitle: "t",
          appVersionName: "1.0",
          appVersionCode: "1",
          appPackageName: "p",
        },
        custom: {},
      }),
      cognitoIdentity: JSON.stringify({ identityId: "id-1", identityPoolId: "p-1" }),
    },
  },
  {
    name: "a client context with non-ASCII text",
    event: httpApi("/context"),
    invoke: { clientContext: JSON.stringify({ custom: { title: "Título" } }) },
    shows: ["lwa-exits"],
  },
  {
    name: "a client context with a number",
    event: httpApi("/context"),
    invoke: { clientContext: JSON.stringify({ custom: { n: 1 } }) },
    shows: ["lwa-exits"],
  },
  {
    name: "a Cognito identity without its pool",
    event: httpApi("/context"),
    invoke: { cognitoIdentity: JSON.stringify({ identityId: "id-1" }) },
    shows: ["lwa-exits"],
  },
  {
    name: "a payload that is not UTF-8",
    event: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
    shows: ["error-types"],
  },
  {
    name: "a text body that is not UTF-8",
    event: httpApi("/latin1"),
    response: respond(
      [["content-type", "text/plain; charset=iso-8859-1"]],
      new Uint8Array([0x63, 0x61, 0x66, 0xe9]),
    ),
    shows: ["text-not-utf8"],
  },
  {
    name: "bytes without a content type",
    event: httpApi("/bytes"),
    response: respond([], new Uint8Array([0xff, 0x00, 0x80, 0x41])),
    shows: ["text-not-utf8"],
  },
  {
    name: "an upper-case media type",
    event: httpApi("/upper"),
    response: text("hello", "TEXT/PLAIN"),
    shows: ["media-type-case"],
  },
  {
    name: "binary response",
    event: httpApi("/png"),
    response: respond([["content-type", "image/png"]], new Uint8Array([0x89, 0x50, 0x4e, 0x47])),
  },
  {
    name: "204 without a body",
    event: httpApi("/empty"),
    response: respond([], "", 204),
  },
  {
    name: "a redirect is not followed",
    event: httpApi("/old"),
    response: respond([["location", "/new"]], "", 302),
  },
  {
    name: "request body, base64 and text",
    event: httpApi("/upload", {
      requestContext: {
        ...httpApi("/upload").requestContext,
        http: { ...httpApi("/upload").requestContext.http, method: "POST" },
      },
      body: new Uint8Array([0, 1, 2, 0xff, 0xfe]).toBase64(),
      isBase64Encoded: true,
    }),
  },
  {
    name: "invalid base64 body",
    event: { ...REST, body: "not base64!", isBase64Encoded: true },
    shows: ["error-types"],
  },
  {
    name: "a payload that is not JSON",
    event: new TextEncoder().encode("not json"),
    shows: ["error-types"],
  },
  {
    name: "a client's x-amz-tenant-id on a function without tenants",
    event: httpApi("/tenant", {
      headers: { host: "abc.execute-api.us-east-1.amazonaws.com", "x-amz-tenant-id": "forged" },
    }),
    shows: ["client-copies-of-adapter-headers"],
  },
];

const PAGE = "<!doctype html><p>" + "lambda adapter compresses this page. ".repeat(60);

function accepting(encoding: string) {
  return httpApi("/page", {
    headers: { host: "abc.execute-api.us-east-1.amazonaws.com", "accept-encoding": encoding },
  });
}

const COMPRESSION_CASES: Case[] = [
  {
    name: "gzip",
    event: accepting("gzip"),
    response: text(PAGE, "text/html"),
    shows: ["compressed-bytes", "vary-spelling"],
  },
  {
    name: "br",
    event: accepting("gzip, br"),
    response: text(PAGE, "text/html"),
  },
  {
    name: "q-values",
    event: accepting("br;q=0.5, gzip"),
    response: text(PAGE, "text/html"),
    shows: ["compressed-bytes"],
  },
  { name: "identity only", event: accepting("identity"), response: text(PAGE, "text/html") },
  { name: "under 32 bytes", event: accepting("gzip"), response: text("short", "text/html") },
  { name: "an image", event: accepting("gzip"), response: text(PAGE, "image/png") },
  {
    name: "SVG",
    event: accepting("gzip"),
    response: text(PAGE, "image/svg+xml"),
    shows: ["compressed-bytes"],
  },
  {
    name: "already encoded",
    event: accepting("gzip"),
    response: respond([["content-type", "text/html"], ["content-encoding", "br"]], PAGE),
  },
  { name: "no accept-encoding", event: httpApi("/page"), response: text(PAGE, "text/html") },
];

/** Fixtures that pin a difference (the docs name them); every other fixture may show any. */
const FIXTURE_SHOWS: Record<string, Pick<Case, "shows" | "may">> = {
  "aws-lambda-go/sqs-event.json": {
    shows: [
      "field-name-case",
      "lambda-context-tenant-id",
      "pass-through-payload-whitespace",
      "pass-through-json-as-written",
    ],
  },
  "aws-lambda-rust-runtime/apigw_proxy_request.json": {
    shows: ["content-length-zero", "request-context"],
  },
  "aws-lambda-go/apigw-v2-request-iam.json": {
    shows: ["cookie-join", "v2-empty-multivalueheaders"],
  },
  // LWA's query key order is random, so query-encoding shows here only sometimes.
  "aws-lambda-rust-runtime/alb_multi_value_request.json": {
    shows: ["repeated-request-headers", "alb-header-mode"],
    may: ["query-encoding"],
  },
  "aws-lambda-rust-runtime/apigw_v2_sam_local.json": {
    shows: ["cookie-join", "hop-by-hop-request-headers"],
  },
  "aws-lambda-go/apigw-websocket-request.json": { shows: ["websocket-events"] },
  "aws-lambda-go/apigw-websocket-request-send-message.json": { shows: ["websocket-events"] },
  "powertools-lambda-python/vpcLatticeV2Event.json": { shows: ["vpc-lattice-events"] },
  "aws-lambda-dotnet/mtls-request-httpapi-v2.json": { shows: ["untyped-http-events"] },
  "aws-sam-cli/AwsProxy.json": { shows: ["broken-http-events"] },
  "aws-lambda-go/lambda-urls-request.json": { shows: ["host-not-a-hostname"] },
  "aws-lambda-dotnet/cookies-get-multiple-httpapi-v2-request.json": {
    shows: ["event-framing-headers"],
  },
  "powertools-lambda-python/apiGatewayProxyEventAnotherPath.json": { shows: ["error-types"] },
};

const PROFILES: Profile[] = [
  {
    name: "default settings",
    env: {},
    cases: [
      ...allEventNames().map((name) => ({
        name,
        event: eventBytes(name),
        ...FIXTURE_SHOWS[name],
      })),
      ...DEFAULT_CASES,
    ],
  },
  {
    name: "AWS_LWA_REMOVE_BASE_PATH=/prod",
    env: { AWS_LWA_REMOVE_BASE_PATH: "/prod" },
    cases: [
      { name: "/prod/x", event: httpApi("/prod/x") },
      { name: "/prod", event: httpApi("/prod") },
      { name: "/other/prod", event: httpApi("/other/prod") },
      { name: "/prod/prod/x", event: httpApi("/prod/prod/x"), shows: ["base-path-segments"] },
      { name: "/production/x", event: httpApi("/production/x"), shows: ["base-path-segments"] },
    ],
  },
  {
    name: "AWS_LWA_REMOVE_BASE_PATH=/prod/",
    env: { AWS_LWA_REMOVE_BASE_PATH: "/prod/" },
    cases: [
      { name: "/prod/x", event: httpApi("/prod/x") },
      { name: "/prod", event: httpApi("/prod"), shows: ["base-path-segments"] },
    ],
  },
  {
    // Values LWA reads, written oddly: each must mean here what it means there.
    name: "settings written as LWA accepts them",
    env: {
      AWS_LWA_PASS_THROUGH_PATH: "sqs events",
      AWS_LWA_READINESS_CHECK_PATH: "/health check",
      AWS_LWA_AUTHORIZATION_SOURCE: "X-Auth-Token",
      AWS_LWA_ERROR_STATUS_CODES: "500, 502-504,,",
      AWS_LWA_ASYNC_INIT: "False",
      AWS_LWA_INVOKE_MODE: "Buffered",
    },
    cases: [
      { name: "pass-through path without its slash", event: SQS },
      {
        name: "authorization source",
        event: httpApi("/auth", {
          headers: {
            host: "abc.execute-api.us-east-1.amazonaws.com",
            authorization: "AWS4-HMAC-SHA256 sigv4",
            "x-auth-token": "Bearer t",
          },
        }),
      },
      {
        name: "error status",
        event: httpApi("/fail"),
        response: respond([["content-type", "text/plain"]], "Bad Gateway ✗", 502),
        shows: ["error-types"],
      },
      {
        name: "status not listed",
        event: httpApi("/missing"),
        response: text("gone", "text/plain"),
      },
    ],
  },
  {
    name: "AWS_LWA_ENABLE_COMPRESSION=true",
    env: { AWS_LWA_ENABLE_COMPRESSION: "true" },
    cases: COMPRESSION_CASES,
  },
  {
    name: "AWS_LWA_ENABLE_COMPRESSION=true with response_stream",
    env: { AWS_LWA_ENABLE_COMPRESSION: "true", AWS_LWA_INVOKE_MODE: "response_stream" },
    cases: [
      {
        name: "gzip while streaming",
        event: {
          ...URL_EVENT,
          headers: { ...URL_EVENT.headers as object, "accept-encoding": "gzip" },
        },
        response: { status: 200, headers: [["content-type", "text/html"]], chunks: [PAGE, PAGE] },
        shows: ["compressed-bytes"],
      },
    ],
  },
  {
    name: "AWS_LWA_INVOKE_MODE=response_stream",
    env: { AWS_LWA_INVOKE_MODE: "response_stream" },
    cases: [
      {
        name: "Function URL stream",
        event: URL_EVENT,
        response: {
          status: 201,
          headers: [["content-type", "text/plain"], ["set-cookie", "a=1"], ["set-cookie", "b=2"]],
          chunks: ["hello ", "world"],
        },
      },
      {
        name: "stream with repeated headers",
        event: URL_EVENT,
        response: {
          status: 200,
          headers: [["content-type", "text/plain"], ["x-multi", "1"], ["x-multi", "2"]],
          chunks: ["x"],
        },
        shows: ["stream-prelude-repeated-headers"],
      },
      {
        name: "stream without a content type",
        event: URL_EVENT,
        response: { status: 200, chunks: [new Uint8Array([0, 1, 2])] },
      },
      { name: "REST stream", event: REST, response: text("rest streamed") },
      {
        name: "HTTP API payload 1.0 streams, as REST does",
        event: HTTP_API_V1,
        response: text("v1 streamed"),
      },
      { name: "ALB", event: ALB, response: text("alb"), shows: ["streaming-sources"] },
      {
        name: "SQS",
        event: SQS,
        response: text("{}", "application/json"),
        shows: ["streaming-sources"],
      },
      {
        name: "the app fails mid-body",
        event: URL_EVENT,
        response: { ...text("0123456789".repeat(10)), cutAfter: 10 },
        shows: ["stream-error-trailers"],
      },
    ],
  },
];

// --- running ------------------------------------------------------------------------------

const TRACE = "Root=1-67700000-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=0";

function payload(event: unknown): Uint8Array {
  return event instanceof Uint8Array ? event : new TextEncoder().encode(JSON.stringify(event));
}

function parsed(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

async function runProfile(t: Deno.TestContext, profile: Profile): Promise<void> {
  await using pair = new AdapterPair(LWA.path, profile.env);
  await pair.start();
  await t.step("readiness probe", () => {
    const probe = (side: typeof pair.lwa) => {
      const first = side.app.probes[0]!;
      const names = first.headers.map(([name]) => name.toLowerCase()).sort();
      return { method: first.method, target: first.target, names, body: first.body.length };
    };
    assert.deepEqual(probe(pair.ours), probe(pair.lwa));
  });
  for (const testCase of profile.cases) {
    await t.step(testCase.name, async () => {
      const bytes = payload(testCase.event);
      const event = parsed(bytes);
      const response = testCase.response ?? DEFAULT_RESPONSE;
      const options: InvokeOptions = {
        requestId: crypto.randomUUID(),
        traceId: TRACE,
        headers: { "Lambda-Runtime-Deadline-Ms": `${Date.now() + 600_000}` },
        ...testCase.invoke,
      };
      const observed = await pair.run(bytes, options, response);
      const context = { event, source: detectSource(event).source, env: profile.env, response };
      const lwaView = viewOf(observed.lwa, pair.lwa.app.port);
      const oursView = viewOf(observed.ours, pair.ours.app.port);
      const outcome = reconcile(lwaView, oursView, context);
      const left = differences(outcome.lwa, outcome.ours);
      for (const id of outcome.used) used.add(id);
      if (Deno.env.get("CONFORMANCE_REPORT")) {
        // deno-lint-ignore no-console -- asked for: which differences each case shows
        console.log(`[${profile.name}] ${testCase.name}: ${outcome.used.join(", ") || "-"}`);
      }
      if (left.length > 0) {
        assert.fail(
          `differences no row of docs/differences-from-lwa.md explains:\n${left.join("\n")}`,
        );
      }
      if (testCase.shows === undefined) return;
      const shown = new Set(outcome.used);
      const missing = testCase.shows.filter((id) => !shown.has(id) && !LANDING.has(id));
      const extra = outcome.used.filter((id) =>
        !testCase.shows!.includes(id) && !testCase.may?.includes(id) && !AMBIENT.has(id)
      );
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
    });
  }
}

for (const profile of PROFILES) {
  Deno.test({
    name: `conformance with LWA: ${profile.name}`,
    ignore,
    fn: (t) => runProfile(t, profile),
  });
}

Deno.test("conformance with LWA: every listed difference is named by a case", () => {
  const named = new Set(PROFILES.flatMap((profile) => profile.cases.flatMap((c) => c.shows ?? [])));
  assert.deepEqual(DIFFERENCES.map(({ id }) => id).filter((id) => !named.has(id)), []);
});

Deno.test({
  name: "conformance with LWA: every listed difference is shown by some case",
  ignore,
  fn() {
    const unused = DIFFERENCES.map(({ id }) => id).filter((id) =>
      !used.has(id) && !LANDING.has(id)
    );
    assert.deepEqual(unused, []);
  },
});
