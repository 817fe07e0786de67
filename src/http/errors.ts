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
  override name = "HttpProtocolError";

  /** Creates the error; `options.cause` keeps the underlying error when there is one. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
