/**
 * What a saved or replayed event is: the front end it comes from (named as `--event-source`
 * names them) and, for HTTP events, the method and path it carries. `invoke`'s table and the
 * inspector's list show these.
 *
 * @module
 */

import { detectSource } from "../events/detect.ts";

/** An event's front end, method and path. */
export interface EventDescription {
  /** The front end (`sourceOf`: `http-api`, `alb` ...), or `not JSON`. */
  readonly source: string;
  /** The HTTP method, or `EVENT` for a non-HTTP event. */
  readonly method: string;
  /** The HTTP path, or what the event is (`aws:sqs`), or `-`. */
  readonly path: string;
}

const decoder = new TextDecoder();

/** Describes the event in `bytes` (JSON, as Lambda sends it). */
export function describeEvent(bytes: Uint8Array): EventDescription {
  let event: unknown;
  try {
    event = JSON.parse(decoder.decode(bytes));
  } catch {
    return { source: "not JSON", method: "EVENT", path: "-" };
  }
  const source = sourceOf(event);
  const fields = (event ?? {}) as Record<string, unknown>;
  const context = (fields["requestContext"] ?? {}) as Record<string, unknown>;
  const http = (context["http"] ?? {}) as Record<string, unknown>;
  const method = text(fields["httpMethod"]) ?? text(http["method"]) ?? text(fields["method"]);
  const path = text(fields["rawPath"]) ?? text(fields["path"]) ?? text(fields["raw_path"]);
  if (method !== undefined && path !== undefined) return { source, method, path };
  return { source, method: "EVENT", path: recordSource(fields) ?? "-" };
}

/** The front end an event comes from: `alb`, `rest-api`, `pass-through` ... */
export function sourceOf(event: unknown): string {
  const detected = detectSource(event);
  switch (detected.source) {
    case "apiGatewayV2": {
      const context = detected.event["requestContext"] as Record<string, unknown>;
      const domain = String(context["domainName"] ?? "");
      return domain.includes(".lambda-url.") ? "function-url" : "http-api";
    }
    case "apiGatewayV1":
      return "rest-api";
    case "alb":
      return detected.event["multiValueHeaders"] ? "alb-multi-value" : "alb";
    case "vpcLatticeV1":
      return "vpc-lattice-v1";
    case "vpcLatticeV2":
      return "vpc-lattice-v2";
    case "webSocket":
      return "websocket";
    case "passThrough":
      return "pass-through";
  }
}

/** `aws:sqs` and the like, from the first record of a batch event. */
function recordSource(event: Record<string, unknown>): string | undefined {
  const records = event["Records"];
  if (!Array.isArray(records) || records.length === 0) return undefined;
  const first = (records[0] ?? {}) as Record<string, unknown>;
  return text(first["eventSource"]) ?? text(first["EventSource"]);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
