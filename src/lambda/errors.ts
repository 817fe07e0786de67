/**
 * The one error a caller is expected to catch: a failure of a single invocation, reported to
 * the Runtime API as `{errorType, errorMessage}` while the adapter goes on serving.
 *
 * LWA reports every such failure with the Rust type name
 * `&alloc::boxed::Box<dyn core::error::Error + ...>` as `errorType`; these names say what
 * went wrong, so a Step Functions `Catch` or a log filter can tell the cases apart.
 *
 * @module
 */

import { truncateUtf8 } from "../util/bytes.ts";

/**
 * Longest `errorMessage`, in UTF-8 bytes. Messages can quote what a client or the app sent
 * (a 1 MiB header name, a huge error page), and all of it would be posted to Lambda and logged.
 */
export const ERROR_MESSAGE_LIMIT = 4096;

/** The `errorType` values the adapter reports. */
export const ErrorType = {
  /** The payload is not UTF-8 JSON, or the Runtime API sent a broken invocation. */
  InvalidEvent: "LambdaAdapter.InvalidEvent",
  /** The event looks like an HTTP event but a field is missing, mistyped or not valid HTTP. */
  InvalidRequest: "LambdaAdapter.InvalidRequest",
  /** The app refused or dropped the connection, or never became ready. */
  AppUnreachable: "LambdaAdapter.AppUnreachable",
  /** The app did not answer before the invocation's deadline. */
  AppTimeout: "LambdaAdapter.AppTimeout",
  /** The app answered with something that is not valid HTTP/1.1. */
  AppInvalidResponse: "LambdaAdapter.AppInvalidResponse",
  /** The app's status is listed in `AWS_LWA_ERROR_STATUS_CODES`. */
  ErrorStatus: "LambdaAdapter.ErrorStatus",
  /** The result exceeds what Lambda accepts in this invoke mode. */
  ResponseTooLarge: "LambdaAdapter.ResponseTooLarge",
  /** A setting cannot be read; reported to `/runtime/init/error` before exiting. */
  InvalidConfig: "LambdaAdapter.InvalidConfig",
  /** A bug in the adapter; the invocation fails and the adapter goes on. */
  Internal: "LambdaAdapter.InternalError",
} as const;

/** One of the {@link ErrorType} values. */
export type ErrorTypeName = typeof ErrorType[keyof typeof ErrorType];

/** A failure of one invocation, reported through `/invocation/{id}/error`. */
export class InvocationError extends Error {
  /** The `errorType` reported to Lambda. */
  readonly errorType: ErrorTypeName;

  /** Creates the error; a message over {@link ERROR_MESSAGE_LIMIT} bytes is cut, with a note. */
  constructor(errorType: ErrorTypeName, message: string, options?: ErrorOptions) {
    super(truncateUtf8(message, ERROR_MESSAGE_LIMIT), options);
    this.name = "InvocationError";
    this.errorType = errorType;
  }
}

/** Describes any thrown value in one line, following `cause` chains. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const text = error.message || error.name;
  const cause = error.cause === undefined ? "" : `: ${describeError(error.cause)}`;
  return text + cause;
}
