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
import { isLatticeV2 } from "./vpc_lattice.ts";
import type { JsonObject, SourceName } from "./types.ts";

/** The detected source and, for HTTP sources, the event as an object. */
export type Detected =
  | { source: Exclude<SourceName, "passThrough">; event: JsonObject }
  | { source: "passThrough" };

/**
 * Detects the source, in this order:
 * 0. API Gateway Lambda authorizers (`type` REQUEST or TOKEN with `methodArn` or `routeArn`):
 *    pass-through, since they answer with a policy document, not an HTTP response. A REQUEST
 *    authorizer event otherwise looks like the request it guards.
 * 1. ALB: `requestContext.elb`.
 * 2. HTTP API v2 and Function URL: `requestContext.http`. Not `rawPath`: a REST event behind a
 *    custom-domain base-path mapping carries `rawPath` too (hono commit 45b081b9).
 * 3. VPC Lattice v2: `version` "2.0" with `requestContext.serviceArn` (LWA#789).
 * 4. VPC Lattice v1: `raw_path` with `method`.
 * 5. API Gateway WebSocket: `requestContext.connectionId` with `eventType` (LWA#11). Some carry
 *    `httpMethod`, even `null`, but they are not REST requests.
 * 6. REST v1 (and HTTP APIs on payload 1.0): `httpMethod` with `requestContext`. A Bedrock
 *    Agent event has `httpMethod` but no `requestContext`, and stays pass-through.
 * 7. Anything else: pass-through.
 */
export function detectSource(event: unknown): Detected {
  if (!isObject(event) || isAuthorizer(event)) return { source: "passThrough" };
  const context = event["requestContext"];
  if (isObject(context)) {
    if (Object.hasOwn(context, "elb")) return { source: "alb", event };
    if (Object.hasOwn(context, "http")) return { source: "apiGatewayV2", event };
    if (isLatticeV2(event)) return { source: "vpcLatticeV2", event };
  }
  if (Object.hasOwn(event, "raw_path") && Object.hasOwn(event, "method")) {
    return { source: "vpcLatticeV1", event };
  }
  if (isObject(context)) {
    if (Object.hasOwn(context, "connectionId") && Object.hasOwn(context, "eventType")) {
      return { source: "webSocket", event };
    }
  }
  if (Object.hasOwn(event, "httpMethod") && Object.hasOwn(event, "requestContext")) {
    return { source: "apiGatewayV1", event };
  }
  return { source: "passThrough" };
}

function isAuthorizer(event: JsonObject): boolean {
  const type = event["type"];
  return (type === "REQUEST" || type === "TOKEN") &&
    (typeof event["methodArn"] === "string" || typeof event["routeArn"] === "string");
}
