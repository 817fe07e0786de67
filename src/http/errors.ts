/**
 * Errors raised by the HTTP/1.1 client.
 *
 * @module
 */

/**
 * The peer sent something that is not valid HTTP/1.1 (RFC 9112): a bad status line or header
 * line, a bad chunk size, conflicting framing, a head over the size limit, or a body shorter
 * than declared. Connection failures are not wrapped in this class; they stay the platform
 * errors (`Deno.errors.ConnectionReset`, `Deno.errors.UnexpectedEof`, ...).
 */
export class HttpProtocolError extends Error {
  /** Always `HttpProtocolError`. */
  override name = "HttpProtocolError";

  /** Creates the error; `options.cause` keeps the underlying error when there is one. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Thrown when a body is longer than the caller allows; the rest of it is never read. */
export class BodyTooLargeError extends RangeError {
  /** The limit that was passed, in bytes. */
  readonly limit: number;

  /** Creates the error for a body over `limit` bytes. */
  constructor(limit: number) {
    super(`The body is larger than ${limit} bytes`);
    this.name = "BodyTooLargeError";
    this.limit = limit;
  }
}
