/**
 * Tells event sources apart by the keys only one of them carries.
 *
 * lambda_http (and so LWA) instead tries a full typed parse per source in turn and silently
 * treats any failure as a non-HTTP event, so an HTTP event with one odd field is POSTed to the
 * pass-through path. Keying on the presence of a field (not on its type) sends a broken HTTP
 * event to its own converter, which then names the broken field.
 *
 * @module
 */

import { isObject } from "./fields.ts";
import type { JsonObject, SourceName } from "./types.ts";

/** The detected source and, for HTTP sources, the event as an object. */
export type Detected =
  | { source: Exclude<SourceName, "passThrough">; event: JsonObject }
  | { source: "passThrough" };

/**
 * Detects the source, in this order:
 * 1. ALB: `requestContext.elb`.
 * 2. HTTP API v2 and Function URL: `requestContext.http`. Not `rawPath`: a REST event behind a
 *    custom-domain base-path mapping carries `rawPath` too (hono commit 45b081b9).
 * 3. API Gateway WebSocket: `requestContext.connectionId` with `eventType`. Some carry
 *    `httpMethod` (even `null`) but are not REST requests; until they get their own converter
 *    they are pass-through, as in LWA.
 * 4. REST v1 (and HTTP APIs on payload 1.0): `httpMethod` with `requestContext`. A Bedrock
 *    Agent event has `httpMethod` but no `requestContext`, and must stay pass-through.
 * 5. Anything else: pass-through.
 */
export function detectSource(event: unknown): Detected {
  if (!isObject(event)) return { source: "passThrough" };
  const context = event["requestContext"];
  if (isObject(context)) {
    if (Object.hasOwn(context, "elb")) return { source: "alb", event };
    if (Object.hasOwn(context, "http")) return { source: "apiGatewayV2", event };
    if (Object.hasOwn(context, "connectionId") && Object.hasOwn(context, "eventType")) {
      return { source: "passThrough" };
    }
  }
  if (Object.hasOwn(event, "httpMethod") && Object.hasOwn(event, "requestContext")) {
    return { source: "apiGatewayV1", event };
  }
  return { source: "passThrough" };
}
