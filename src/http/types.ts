/**
 * The HTTP/1.1 message shapes the adapter uses toward the app and toward the Lambda Runtime API.
 *
 * Why not web `Request`/`Response`: `Headers` joins repeated fields into one comma-separated
 * value (only `Set-Cookie` survives as separate values), `Request` refuses a body on GET and
 * HEAD, and Deno's `fetch` replaces `Host`, adds `Accept-Encoding: gzip,br` and then
 * decompresses the answer. An adapter must pass all of these through untouched, so the messages
 * keep an ordered list of raw header fields instead.
 *
 * @module
 */

/** Header fields in wire order; a repeated field appears once per value. */
export type HeaderList = [name: string, value: string][];

/** A {@link HeaderList} that is only read. */
export type ReadonlyHeaderList = readonly (readonly [name: string, value: string])[];

/** A request in origin form, ready to be written to a connection. */
export interface OutgoingRequest {
  /** Method token, e.g. `GET`. */
  method: string;
  /** Origin-form request target: an already encoded path plus an optional `?query`. */
  target: string;
  /** Header fields sent as given, in order. `Host` and `Content-Length` are added when absent. */
  headers: HeaderList;
  /**
   * The body. A `Uint8Array` is sent with `Content-Length`; a `ReadableStream` is sent with
   * `Transfer-Encoding: chunked`, one chunk per stream chunk, flushed as it arrives.
   */
  body?: Uint8Array | ReadableStream<Uint8Array> | null;
  /**
   * Called once after a streamed body ends; the fields it returns are written as chunked
   * trailers (the Lambda Runtime API reports mid-stream errors this way).
   */
  trailers?: () => HeaderList | Promise<HeaderList>;
}

/** A response whose body is read from the connection as the caller consumes it. */
export interface IncomingResponse {
  /** The status code. */
  readonly status: number;
  /** Reason phrase as sent, possibly empty. */
  readonly statusText: string;
  /** The fields in wire order. */
  readonly headers: HeaderList;
  /**
   * The body bytes as a stream, unframed (chunked encoding removed, nothing decompressed),
   * created on first use. Read the body through this or through `bytes()`, not both.
   */
  readonly body: ReadableStream<Uint8Array>;
  /**
   * Reads the whole body into one buffer, sized by `Content-Length` when the app sent one.
   *
   * @throws {BodyTooLargeError} past `limit` bytes; nothing more is read and the connection is
   * closed
   */
  bytes(limit?: number): Promise<Uint8Array>;
  /** Gives up the body; the connection is closed unless the body had already arrived whole. */
  discard(): void;
}

/** Sends one request and resolves when the response head has arrived. */
export type HttpClient = (
  request: OutgoingRequest,
  signal?: AbortSignal,
) => Promise<IncomingResponse>;

/**
 * Whether a request body is a stream. Tested without naming the global `ReadableStream`: the
 * first use of that name loads Deno's web streams, about 18 ms, which must stay off the cold
 * start of an adapter that never streams.
 */
export function isStreamBody(
  body: OutgoingRequest["body"],
): body is ReadableStream<Uint8Array> {
  return body !== null && body !== undefined && !(body instanceof Uint8Array);
}

/** Returns the first value of a header field, compared case-insensitively. */
export function getHeader(headers: ReadonlyHeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of headers) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}

/** Returns every value of a header field, compared case-insensitively, in order. */
export function getHeaderAll(headers: ReadonlyHeaderList, name: string): string[] {
  const lower = name.toLowerCase();
  const values: string[] = [];
  for (const [key, value] of headers) {
    if (key.toLowerCase() === lower) values.push(value);
  }
  return values;
}

/** Returns a copy of the list without the fields named in `names` (lowercase names). */
export function withoutHeaders(headers: HeaderList, names: ReadonlySet<string>): HeaderList {
  return headers.filter(([key]) => !names.has(key.toLowerCase()));
}
