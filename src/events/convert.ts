/**
 * Dispatches an invocation payload to its event source's converter pair.
 *
 * @module
 */

import * as alb from "./alb.ts";
import * as apiGatewayV1 from "./api_gateway_v1.ts";
import * as apiGatewayV2 from "./api_gateway_v2.ts";
import type { Detected } from "./detect.ts";
import { objectField } from "./fields.ts";
import * as passThrough from "./pass_through.ts";
import { serializeResult } from "./result_json.ts";
import { removeBasePath } from "./target.ts";
import type { BodyOptions, BufferedResponse, HttpParts, HttpResult, JsonObject } from "./types.ts";
import * as vpcLattice from "./vpc_lattice.ts";
import * as webSocket from "./websocket.ts";

/** The settings conversion reads. */
export interface ConvertOptions {
  /** A prefix taken off every HTTP path (`AWS_LWA_REMOVE_BASE_PATH`). */
  readonly removeBasePath: string | undefined;
  /** Where non-HTTP events are POSTed. */
  readonly passThroughPath: string;
  /** The prefix of WebSocket route paths. */
  readonly webSocketPathPrefix: string;
  /** How result bodies are written. */
  readonly body: BodyOptions;
}

type HttpSource = Exclude<Detected["source"], "passThrough">;
type ToRequest = (event: JsonObject, options: ConvertOptions) => HttpParts;
type ToResult = (response: BufferedResponse, event: JsonObject, options: BodyOptions) => HttpResult;

const CONVERTERS: Record<HttpSource, { toRequest: ToRequest; toResult: ToResult }> = {
  alb,
  apiGatewayV2,
  vpcLatticeV2: { toRequest: vpcLattice.toRequestV2, toResult: vpcLattice.toResult },
  vpcLatticeV1: { toRequest: vpcLattice.toRequestV1, toResult: vpcLattice.toResult },
  webSocket: {
    toRequest: (event, options) => webSocket.toRequest(event, options.webSocketPathPrefix),
    toResult: webSocket.toResult,
  },
  apiGatewayV1,
};

/**
 * The request parts and the `requestContext` to hand the app (null for non-HTTP events).
 *
 * @example
 * ```ts
 * import { eventToParts } from "./convert.ts";
 * import { detectSource } from "./detect.ts";
 * import { DEFAULT_BODY_OPTIONS } from "./body.ts";
 *
 * const payload = new TextEncoder().encode(JSON.stringify({
 *   version: "2.0",
 *   rawPath: "/orders",
 *   rawQueryString: "page=2",
 *   headers: { accept: "application/json" },
 *   requestContext: { http: { method: "GET", path: "/orders" } },
 *   isBase64Encoded: false,
 * }));
 * const { parts } = eventToParts(detectSource(JSON.parse(new TextDecoder().decode(payload))), payload, {
 *   removeBasePath: undefined,
 *   passThroughPath: "/events",
 *   webSocketPathPrefix: "/websocket",
 *   body: DEFAULT_BODY_OPTIONS,
 * });
 * console.log(parts.method, parts.path, parts.query); // GET /orders page=2
 * ```
 */
export function eventToParts(
  detected: Detected,
  payload: Uint8Array,
  options: ConvertOptions,
): { parts: HttpParts; requestContext: JsonObject | null } {
  if (detected.source === "passThrough") {
    return { parts: passThrough.toRequest(payload, options.passThroughPath), requestContext: null };
  }
  const parts = CONVERTERS[detected.source].toRequest(detected.event, options);
  if (detected.source !== "webSocket") {
    parts.path = removeBasePath(parts.path, options.removeBasePath);
  }
  return { parts, requestContext: objectField(detected.event, "requestContext") ?? null };
}

/**
 * The serialised Lambda result for the app's buffered response, in the shape of the event's
 * source (an ALB result for an ALB event ...), or the app's JSON body for a non-HTTP event.
 */
export function responseToResult(
  detected: Detected,
  response: BufferedResponse,
  options: ConvertOptions,
): Uint8Array {
  if (detected.source === "passThrough") return passThrough.toResult(response);
  const { toResult } = CONVERTERS[detected.source];
  const { event } = detected;
  return serializeResult(
    (forceBase64) =>
      toResult(response, event, forceBase64 ? { ...options.body, forceBase64 } : options.body),
    response.body,
  );
}
