/**
 * Dispatches an invocation payload to its event source's converter pair.
 *
 * @module
 */

import { removeBasePath } from "../app_request.ts";
import * as alb from "./alb.ts";
import * as apiGatewayV1 from "./api_gateway_v1.ts";
import * as apiGatewayV2 from "./api_gateway_v2.ts";
import type { Detected } from "./detect.ts";
import { objectField } from "./fields.ts";
import * as passThrough from "./pass_through.ts";
import type { BodyOptions, BufferedResponse, HttpParts, JsonObject } from "./types.ts";

/** The settings conversion reads. */
export interface ConvertOptions {
  readonly removeBasePath: string | undefined;
  readonly passThroughPath: string;
  readonly body: BodyOptions;
}

const encoder = new TextEncoder();

/** The request parts and the `requestContext` to hand the app (null for non-HTTP events). */
export function eventToParts(
  detected: Detected,
  payload: Uint8Array,
  options: ConvertOptions,
): { parts: HttpParts; requestContext: JsonObject | null } {
  if (detected.source === "passThrough") {
    return { parts: passThrough.toRequest(payload, options.passThroughPath), requestContext: null };
  }
  const parts = converter(detected.source).toRequest(detected.event);
  parts.path = removeBasePath(parts.path, options.removeBasePath);
  return { parts, requestContext: objectField(detected.event, "requestContext") ?? null };
}

/** The serialised Lambda result for the app's buffered response. */
export function responseToResult(
  detected: Detected,
  response: BufferedResponse,
  options: ConvertOptions,
): Uint8Array {
  switch (detected.source) {
    case "passThrough":
      return passThrough.toResult(response);
    default: {
      const result = converter(detected.source).toResult(response, detected.event, options.body);
      return encoder.encode(JSON.stringify(result));
    }
  }
}

function converter(source: "apiGatewayV1" | "apiGatewayV2" | "alb") {
  switch (source) {
    case "apiGatewayV1":
      return apiGatewayV1;
    case "apiGatewayV2":
      return apiGatewayV2;
    case "alb":
      return alb;
  }
}
