/**
 * The streamed answer: the app's body passed to the Runtime API as it arrives, compressed chunk
 * by chunk when enabled.
 *
 * @module
 */

import {
  compressedHeaders,
  compressionStream,
  isCompressible,
  negotiateEncoding,
  type Zlib,
} from "./compression.ts";
import type { InvocationError } from "../lambda/errors.ts";
import {
  getHeaderAll,
  type HeaderList,
  type IncomingResponse,
  type OutgoingRequest,
} from "../http/types.ts";
import { STREAMING_CONTENT_TYPE, streamingPayload } from "./streaming.ts";

/** A stream outcome, plus a promise for logging once it has ended. */
export interface StreamedResult {
  /** Always `stream`. */
  readonly kind: "stream";
  /** The prelude, its 8 NUL bytes, then the body (compressed if enabled). */
  readonly body: ReadableStream<Uint8Array>;
  /** The streaming content type Lambda reads the prelude by. */
  readonly contentType: string;
  /** The error trailers, read once the body has ended (empty when it ended well). */
  readonly trailers: () => HeaderList;
  /** The app's status. */
  readonly status: number;
  /** Settles once the body has ended: the bytes passed on and the error, if any. */
  readonly done: Promise<{ bytes: number; error: InvocationError | undefined }>;
  /** Body bytes passed on so far. */
  readonly sent: () => number;
}

/** Wraps the app's response as a streaming result. */
export function streamedResult(
  request: OutgoingRequest,
  response: IncomingResponse,
  options: { zlib: Zlib | undefined; classify: (error: unknown) => InvocationError },
): StreamedResult {
  let headers = response.headers;
  let source = response.body;
  const { zlib } = options;
  if (zlib && isCompressible(request.method, response.status, headers)) {
    const encoding = negotiateEncoding(getHeaderAll(request.headers, "accept-encoding").join(","));
    headers = compressedHeaders(headers, encoding);
    if (encoding) source = source.pipeThrough(compressionStream(zlib, encoding));
  }
  const payload = streamingPayload(response.status, headers, source, {
    classify: options.classify,
  });
  return {
    kind: "stream",
    body: payload.body,
    contentType: STREAMING_CONTENT_TYPE,
    trailers: payload.trailers,
    status: response.status,
    done: payload.done,
    sent: payload.sent,
  };
}
