/**
 * The buffered answer: the app's body read whole (up to Lambda's limit), compressed when
 * enabled, and shaped as the event source's result.
 *
 * @module
 */

import {
  compressBody,
  compressedHeaders,
  isCompressible,
  MIN_SIZE,
  negotiateEncoding,
  type Zlib,
} from "./compression.ts";
import { ErrorType, InvocationError } from "../lambda/errors.ts";
import { type ConvertOptions, responseToResult } from "../events/convert.ts";
import type { Detected } from "../events/detect.ts";
import { getHeaderAll, type IncomingResponse, type OutgoingRequest } from "../http/types.ts";

/** Lambda's limit for a buffered response (its 413 names 6291556 bytes). */
export const MAX_BUFFERED_PAYLOAD = 6_291_556;
/** With compression on, a larger body may still fit once compressed. */
const MAX_COMPRESSIBLE_BODY = 8 * MAX_BUFFERED_PAYLOAD;

/** Reads the app's answer and returns the serialised Lambda result. */
export async function bufferedResult(
  detected: Detected,
  request: OutgoingRequest,
  response: IncomingResponse,
  options: { convert: ConvertOptions; zlib: Zlib | undefined },
): Promise<Uint8Array> {
  const { zlib } = options;
  const compressible = zlib !== undefined &&
    isCompressible(request.method, response.status, response.headers);
  let body = await response.bytes(compressible ? MAX_COMPRESSIBLE_BODY : MAX_BUFFERED_PAYLOAD);
  let headers = response.headers;
  if (compressible) {
    const accepted = negotiateEncoding(getHeaderAll(request.headers, "accept-encoding").join(","));
    const encoding = body.byteLength >= MIN_SIZE ? accepted : undefined;
    headers = compressedHeaders(headers, encoding);
    if (encoding) body = compressBody(zlib, body, encoding);
  }
  const payload = responseToResult(detected, { ...response, headers, body }, options.convert);
  if (payload.byteLength > MAX_BUFFERED_PAYLOAD) {
    throw new InvocationError(
      ErrorType.ResponseTooLarge,
      `The result is ${payload.byteLength} bytes, more than Lambda's ${MAX_BUFFERED_PAYLOAD}-byte ` +
        "limit for a buffered response; set AWS_LWA_INVOKE_MODE=response_stream to stream " +
        "responses of up to 200 MB",
    );
  }
  return payload;
}
