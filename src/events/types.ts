/**
 * Shapes shared by the event-source modules. Each source module exports the same pair:
 * `toRequest(event)` turning its event into {@link HttpParts}, and `toResult(response, event)`
 * turning the app's buffered answer into that source's Lambda result.
 *
 * @module
 */

import type {
  ALBResult,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
} from "aws-lambda";
import type { HeaderList } from "../http/types.ts";

/** A JSON object as parsed from an event; every field is untrusted until read through fields.ts. */
export type JsonObject = Record<string, unknown>;

/** The parts of the HTTP request an event describes, before the adapter adds its own headers. */
export interface HttpParts {
  /** The request method, as the source gives it (checked to be a token). */
  method: string;
  /** The path as the source gives it, not yet normalised or encoded. */
  path: string;
  /** The query without `?`, encoded as it will be sent (or as the source sent it). */
  query: string;
  /** Lowercase names, one entry per value. */
  headers: HeaderList;
  /** The body bytes (base64 already decoded). */
  body: Uint8Array;
  /** Fields the adapter itself sets for this source; client copies of them are dropped. */
  adapterHeaders?: HeaderList;
}

/** The app's answer with its body read completely (buffered mode). */
export interface BufferedResponse {
  /** The app's status code. */
  status: number;
  /** The app's reason phrase (may be empty). */
  statusText: string;
  /** The app's fields in wire order. */
  headers: HeaderList;
  /** The whole body, as the app sent it. */
  body: Uint8Array;
}

/**
 * The result a VPC Lattice target returns (AWS, "Using AWS Lambda with VPC Lattice": the same for
 * event versions 1 and 2). Written here because `@types/aws-lambda` (8.10.164) has no VPC Lattice
 * types at all.
 */
export interface VpcLatticeResult {
  /** The app's status. */
  statusCode: number;
  /** `"200 OK"`: the status and its canonical phrase. */
  statusDescription?: string;
  /** One value a field name; repeated fields joined with ", ". */
  headers?: Record<string, string>;
  /** The body, text or base64. */
  body?: string;
  /** Whether `body` is base64. */
  isBase64Encoded?: boolean;
}

/**
 * A result for one of the HTTP sources, in that source's own shape. Its `body` holds the
 * `BODY` marker (result_json.ts) until `serializeResult` writes the app's bytes in its place.
 */
export type HttpResult =
  | APIGatewayProxyResult
  | APIGatewayProxyStructuredResultV2
  | ALBResult
  | VpcLatticeResult;

/** How the result body is written: text when it is text, base64 otherwise. */
export interface BodyOptions {
  /** Media types (`image/*`, `application/pdf`) always sent base64 (LWA#451). */
  readonly binaryMediaTypes: readonly string[];
  /** Send the body base64 whatever its type: it is not UTF-8 (set by `serializeResult`). */
  readonly forceBase64?: boolean;
}

/** The event sources the adapter tells apart. */
export type SourceName =
  | "alb"
  | "apiGatewayV2"
  | "vpcLatticeV2"
  | "vpcLatticeV1"
  | "webSocket"
  | "apiGatewayV1"
  | "passThrough";
