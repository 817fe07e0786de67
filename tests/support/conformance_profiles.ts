/**
 * The profiles of the conformance suite: the settings both adapters run with and the cases run
 * under each, every event fixture included.
 *
 * @module
 */

import { allEventNames, eventBytes } from "../fixtures.ts";
import {
  ALB,
  type Case,
  HTTP_API_V1,
  httpApi,
  type Profile,
  respond,
  REST,
  SQS,
  text,
  URL_EVENT,
} from "./conformance_events.ts";
import { HTTP_CASES } from "./conformance_cases_http.ts";
import { INVOCATION_CASES } from "./conformance_cases_invocation.ts";

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

/** Every profile the suite runs, each with its own pair of adapters. */
export const PROFILES: Profile[] = [
  {
    name: "default settings",
    env: {},
    cases: [
      ...allEventNames().map((name) => ({
        name,
        event: eventBytes(name),
        ...FIXTURE_SHOWS[name],
      })),
      ...INVOCATION_CASES,
      ...HTTP_CASES,
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
