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
  /** `Lambda-Runtime-Aws-Request-Id`. */
  readonly requestId: string;
  /** Epoch milliseconds by which Lambda stops the invocation. */
  readonly deadlineMs: number;
  /** `Lambda-Runtime-Invoked-Function-Arn`. */
  readonly invokedFunctionArn: string | undefined;
  /** `Lambda-Runtime-Trace-Id`, passed to the app as `X-Amzn-Trace-Id`. */
  readonly traceId: string | undefined;
  /** `Lambda-Runtime-Client-Context` (mobile SDK callers) in lambda_runtime's shape, or null. */
  readonly clientContext: ClientContext | null;
  /** `Lambda-Runtime-Cognito-Identity` in lambda_runtime's shape, or null. */
  readonly cognitoIdentity: CognitoIdentity | null;
  /** `Lambda-Runtime-Aws-Tenant-Id`, for tenant-isolated functions. */
  readonly tenantId: string | undefined;
  /**
   * The event's bytes. Whoever converts the event takes them and leaves an empty array, so a
   * large event is not held for the whole invocation.
   */
  payload: Uint8Array;
}

/** The client context as lambda_runtime serialises it, which is what LWA apps read. */
export interface ClientContext {
  /** The mobile client, in camelCase whichever case the caller used. */
  readonly client: {
    readonly installationId: unknown;
    readonly appTitle: unknown;
    readonly appVersionName: unknown;
    readonly appVersionCode: unknown;
    readonly appPackageName: unknown;
  };
  /** The caller's custom values, as sent. */
  readonly custom: unknown;
  /** The caller's environment values, as sent. */
  readonly environment: unknown;
}

/** The Cognito identity as lambda_runtime serialises it. */
export interface CognitoIdentity {
  /** The Cognito identity id, as sent. */
  readonly identityId: unknown;
  /** The Cognito identity pool id, as sent. */
  readonly identityPoolId: unknown;
}

/**
 * Reads the invocation from a `/next` answer. A missing or unreadable deadline, or a client
 * context or identity that is not a JSON object, fails only this invocation (LWA panics on the
 * first and ends its loop on the others, taking the process down).
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
    clientContext: clientContext(jsonObjectHeader(headers, "Lambda-Runtime-Client-Context")),
    cognitoIdentity: cognitoIdentity(
      jsonObjectHeader(headers, "Lambda-Runtime-Cognito-Identity"),
    ),
    tenantId: getHeader(headers, "lambda-runtime-aws-tenant-id") || undefined,
    payload,
  };
}

type JsonObject = Record<string, unknown>;

/** A header holding a JSON object; null when absent, empty or `null`. */
function jsonObjectHeader(headers: HeaderList, name: string): JsonObject | null {
  const value = getHeader(headers, name.toLowerCase());
  if (value === undefined || value === "") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvocationError(ErrorType.InvalidEvent, `The ${name} header is not JSON`);
  }
  if (parsed === null) return null;
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new InvocationError(ErrorType.InvalidEvent, `The ${name} header is not a JSON object`);
  }
  return parsed as JsonObject;
}

/** The first of `names` present in `object`; `fallback` when none is. */
function field(object: JsonObject, names: string[], fallback: unknown): unknown {
  for (const name of names) if (object[name] !== undefined) return object[name];
  return fallback;
}

function objectOrEmpty(value: unknown): JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? value as JsonObject
    : {};
}

/**
 * lambda_runtime's `ClientContext`: `client` with five camelCase fields (read in camelCase or
 * the snake_case the mobile SDKs send; "" when absent, as LWA gives for a missing `client`),
 * `custom` and `environment` ({} when absent); other keys are dropped, as LWA drops them. LWA
 * requires all five client fields and string values, and exits otherwise; here values are
 * passed on as they came.
 */
function clientContext(context: JsonObject | null): ClientContext | null {
  if (context === null) return null;
  const client = objectOrEmpty(context.client);
  const read = (camel: string, snake: string) => field(client, [camel, snake], "");
  return {
    client: {
      installationId: read("installationId", "installation_id"),
      appTitle: read("appTitle", "app_title"),
      appVersionName: read("appVersionName", "app_version_name"),
      appVersionCode: read("appVersionCode", "app_version_code"),
      appPackageName: read("appPackageName", "app_package_name"),
    },
    custom: objectOrEmpty(context.custom),
    environment: objectOrEmpty(context.environment),
  };
}

/** lambda_runtime's `CognitoIdentity`, read in any of the spellings it accepts. */
function cognitoIdentity(identity: JsonObject | null): CognitoIdentity | null {
  if (identity === null) return null;
  return {
    identityId: field(identity, ["identityId", "cognitoIdentityId", "identity_id"], ""),
    identityPoolId: field(
      identity,
      ["identityPoolId", "cognitoIdentityPoolId", "identity_pool_id"],
      "",
    ),
  };
}
