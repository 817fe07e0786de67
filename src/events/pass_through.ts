/**
 * Every event that is not HTTP (SQS, SNS, S3, DynamoDB, Kinesis, Kafka, EventBridge, Bedrock
 * Agent, a direct invoke ...): POSTed as JSON to `AWS_LWA_PASS_THROUGH_PATH`; the app's body is
 * the result.
 *
 * @module
 */

import { decodeTextLossy, DEFAULT_BODY_OPTIONS, isTextResponse } from "./body.ts";
import type { BufferedResponse, HttpParts } from "./types.ts";

const NULL = new TextEncoder().encode("null");
const encoder = new TextEncoder();

/** The POST carrying the event's exact bytes (whitespace and key order kept). */
export function toRequest(payload: Uint8Array, path: string): HttpParts {
  return {
    method: "POST",
    path,
    query: "",
    headers: [["content-type", "application/json"]],
    body: payload,
  };
}

/**
 * The invocation result, as LWA gives it (lambda_http, `RequestOrigin::PassThrough`): the app's
 * status and headers are dropped; a text body (LWA's text rules, BOM dropped, charset honoured)
 * that is JSON is the result; anything else (an empty body, `OK`, binary, compressed) is `null`.
 * A non-JSON answer must not become a result that Lambda reads as a batch response
 * (`ReportBatchItemFailures`) or a caller reads as data.
 *
 * Unlike LWA, which re-serialises the JSON with keys sorted and whitespace removed, the text is
 * kept as the app wrote it: the value is the same, and numbers keep their digits (serde and
 * JavaScript would each rewrite `1.0` or a 20-digit integer in their own way).
 */
export function toResult(response: BufferedResponse): Uint8Array {
  if (!isTextResponse(response.headers, DEFAULT_BODY_OPTIONS)) return NULL;
  const text = decodeTextLossy(response.headers, response.body);
  try {
    JSON.parse(text);
  } catch {
    return NULL;
  }
  return encoder.encode(text);
}
