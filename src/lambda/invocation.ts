/**
 * One invocation as the Runtime API hands it out: the `Lambda-Runtime-*` headers of `/next`
 * and the payload.
 *
 * @module
 */

import { ErrorType, InvocationError } from "./errors.ts";
import { getHeader, type HeaderList } from "../http/types.ts";

/** The context of one invocation; built per request, never shared between invocations. */
export interface Invocation {
  readonly requestId: string;
  /** Epoch milliseconds by which Lambda stops the invocation. */
  readonly deadlineMs: number;
  readonly invokedFunctionArn: string | undefined;
  readonly traceId: string | undefined;
  /** Parsed `Lambda-Runtime-Client-Context` (mobile SDK callers), or null. */
  readonly clientContext: unknown;
  /** Parsed `Lambda-Runtime-Cognito-Identity`, or null. */
  readonly cognitoIdentity: unknown;
  readonly tenantId: string | undefined;
  readonly payload: Uint8Array;
}

/**
 * Reads the invocation from a `/next` answer. A missing or unreadable deadline fails only this
 * invocation (LWA panics on it and takes the process down).
 *
 * @throws {InvocationError} with the request id in `requestId`, when the headers are broken
 */
export function parseInvocation(headers: HeaderList, payload: Uint8Array): Invocation {
  const requestId = getHeader(headers, "lambda-runtime-aws-request-id") ?? "";
  const deadlineText = getHeader(headers, "lambda-runtime-deadline-ms");
  const deadlineMs = Number(deadlineText);
  if (deadlineText === undefined || !/^\d+$/.test(deadlineText.trim()) || deadlineMs <= 0) {
    throw new InvocationError(
      ErrorType.InvalidEvent,
      deadlineText === undefined
        ? "The Runtime API sent no Lambda-Runtime-Deadline-Ms header"
        : `The Runtime API sent an unreadable Lambda-Runtime-Deadline-Ms: ${
          JSON.stringify(deadlineText)
        }`,
    );
  }
  return {
    requestId,
    deadlineMs,
    invokedFunctionArn: getHeader(headers, "lambda-runtime-invoked-function-arn"),
    traceId: getHeader(headers, "lambda-runtime-trace-id") || undefined,
    clientContext: parseJsonHeader(getHeader(headers, "lambda-runtime-client-context")),
    cognitoIdentity: parseJsonHeader(getHeader(headers, "lambda-runtime-cognito-identity")),
    tenantId: getHeader(headers, "lambda-runtime-aws-tenant-id") || undefined,
    payload,
  };
}

/** JSON header values; an unreadable one is passed on as its raw string rather than dropped. */
function parseJsonHeader(value: string | undefined): unknown {
  if (value === undefined || value === "") return null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
