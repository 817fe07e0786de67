/**
 * What the conformance suite runs: the shape of a case and a profile, and the events and app
 * answers the hand-written cases are built from.
 *
 * @module
 */

import { loadEvent } from "../fixtures.ts";
import type { InvokeOptions } from "../../src/emulator/mod.ts";
import type { AppResponse } from "./recording_app.ts";

/** One event to run through both adapters. */
export interface Case {
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

/** Settings both adapters run with, and the cases run under them. */
export interface Profile {
  readonly name: string;
  readonly env: Record<string, string>;
  readonly cases: readonly Case[];
}

/** A minimal HTTP API (payload 2.0) event for `path`; `extra` replaces top-level fields. */
export function httpApi(path: string, extra: Record<string, unknown> = {}) {
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

/** Fixtures the edge cases start from. */
export const REST = loadEvent("aws-lambda-rust-runtime/apigw_proxy_request.json");
export const ALB = loadEvent("aws-lambda-rust-runtime/alb_request.json");
export const SQS = loadEvent("aws-lambda-go/sqs-event.json");
export const URL_EVENT = loadEvent("aws-lambda-rust-runtime/lambda_function_url_request.json");
export const HTTP_API_V1 = loadEvent("aws-lambda-dotnet/values-get-all-httpapi-request.json");

/** The app answers `status` with these fields and this body. */
export function respond(
  headers: [string, string][],
  body: string | Uint8Array,
  status = 200,
): AppResponse {
  return { status, headers, body };
}

/** The app answers 200 with a body of one media type. */
export const text = (body: string, type = "text/plain") => respond([["content-type", type]], body);
