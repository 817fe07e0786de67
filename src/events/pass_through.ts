/**
 * Every event that is not HTTP (SQS, SNS, S3, DynamoDB, Kinesis, Kafka, EventBridge, Bedrock
 * Agent, a direct invoke ...): POSTed as JSON to `AWS_LWA_PASS_THROUGH_PATH`; the app's body is
 * the result.
 *
 * @module
 */

import { decodeUtf8 } from "./body.ts";
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
 * The invocation result: the app's body when it is JSON, byte for byte. LWA re-serialises it
 * with keys sorted and turns anything else into `null`; here an empty body is `null` and text
 * that is not JSON becomes a JSON string, so a direct caller still sees what the app said.
 * Bytes that are not UTF-8 cannot be a JSON result and give `null`, as in LWA.
 */
export function toResult(response: BufferedResponse): Uint8Array {
  const text = decodeUtf8(response.body);
  if (text === undefined || text.trim() === "") return NULL;
  try {
    JSON.parse(text);
    return response.body;
  } catch {
    return encoder.encode(JSON.stringify(text));
  }
}
