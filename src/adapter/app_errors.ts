/**
 * Turns whatever went wrong while calling the app into a readable invocation error.
 *
 * @module
 */

import { describeError, ErrorType, InvocationError } from "../lambda/errors.ts";
import { HttpProtocolError } from "../http/errors.ts";

/** Classifies `error`; `signal` is the invocation's deadline signal. */
export function failureOf(error: unknown, signal: AbortSignal, budgetMs: number): InvocationError {
  if (error instanceof InvocationError) return error;
  if (signal.aborted) {
    return new InvocationError(
      ErrorType.AppTimeout,
      `The app did not answer within the invocation's remaining ${budgetMs} ms`,
      { cause: error },
    );
  }
  if (error instanceof HttpProtocolError) {
    return new InvocationError(
      ErrorType.AppInvalidResponse,
      `The app's answer is not valid HTTP/1.1: ${error.message}`,
      { cause: error },
    );
  }
  if (error instanceof Deno.errors.ConnectionRefused) {
    return new InvocationError(
      ErrorType.AppUnreachable,
      `The app refused the connection: ${describeError(error)}`,
      { cause: error },
    );
  }
  if (
    error instanceof Deno.errors.ConnectionReset || error instanceof Deno.errors.BrokenPipe ||
    error instanceof Deno.errors.UnexpectedEof || error instanceof Deno.errors.ConnectionAborted
  ) {
    return new InvocationError(
      ErrorType.AppUnreachable,
      `The app closed the connection before its answer was complete: ${describeError(error)}`,
      { cause: error },
    );
  }
  if (error instanceof TypeError) {
    return new InvocationError(
      ErrorType.InvalidRequest,
      `The request cannot be sent: ${describeError(error)}`,
      { cause: error },
    );
  }
  return new InvocationError(ErrorType.Internal, describeError(error), { cause: error });
}
