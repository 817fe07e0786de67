/**
 * Shapes shared by the event-source modules. Each source module exports the same pair:
 * `toRequest(event)` turning its event into {@link HttpParts}, and `toResult(response, event)`
 * turning the app's buffered answer into that source's Lambda result.
 *
 * @module
 */

import type { HeaderList } from "../http/types.ts";

/** A JSON object as parsed from an event; every field is untrusted until read through fields.ts. */
export type JsonObject = Record<string, unknown>;

/** The parts of the HTTP request an event describes, before the adapter adds its own headers. */
export interface HttpParts {
  method: string;
  /** The path as the source gives it, not yet normalised or encoded. */
  path: string;
  /** The query without `?`, encoded as it will be sent (or as the source sent it). */
  query: string;
  /** Lowercase names, one entry per value. */
  headers: HeaderList;
  body: Uint8Array;
  /** Fields the adapter itself sets for this source; client copies of them are dropped. */
  adapterHeaders?: HeaderList;
}

/** The app's answer with its body read completely (buffered mode). */
export interface BufferedResponse {
  status: number;
  statusText: string;
  headers: HeaderList;
  body: Uint8Array;
}

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
