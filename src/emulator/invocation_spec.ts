/**
 * Turns an `invoke()` call into the fixed description of one invocation.
 *
 * @module
 */

import { type EmulatorConfig, requirePositive } from "./config.ts";
import { generateTraceId } from "./trace_id.ts";
import type { InvokeOptions, ResponseStream } from "./types.ts";

/** Everything `/runtime/invocation/next` reports about one invocation, fixed at `invoke()`. */
export interface InvocationSpec {
  /** `Lambda-Runtime-Aws-Request-Id`. */
  readonly requestId: string;
  /** The event, as the runtime receives it. */
  readonly payload: Uint8Array<ArrayBuffer>;
  /** The function timeout for this invocation. */
  readonly timeoutMs: number;
  /** `Lambda-Runtime-Trace-Id`. */
  readonly traceId: string;
  /** `Lambda-Runtime-Invoked-Function-Arn`. */
  readonly invokedFunctionArn: string;
  /** `Lambda-Runtime-Client-Context`, raw. */
  readonly clientContext: string | undefined;
  /** `Lambda-Runtime-Cognito-Identity`, raw. */
  readonly cognitoIdentity: string | undefined;
  /** `Lambda-Runtime-Aws-Tenant-Id`. */
  readonly tenantId: string | undefined;
  /** `[name, value]` pairs applied after the standard headers; `null` removes the header. */
  readonly headerOverrides: ReadonlyArray<readonly [string, string | null]>;
  /** Whether a streaming response's body is kept in the result. */
  readonly keepStreamBody: boolean;
  /** Receives a streaming response's body live. */
  readonly onStream: ((stream: ResponseStream) => void) | undefined;
  /** Whether `onStream`'s body keeps the prelude and its NULs. */
  readonly liveStream: "body" | "whole";
}

const encoder = new TextEncoder();

/**
 * Encodes the event: strings and bytes go out verbatim so tests can send invalid JSON or invalid
 * UTF-8. `undefined` becomes `{}`, the event Lambda delivers for an Invoke without payload.
 */
export function encodeEvent(event: unknown): Uint8Array<ArrayBuffer> {
  if (event instanceof Uint8Array) {
    // A view of a SharedArrayBuffer cannot be a response body; copy only that rare case.
    return event.buffer instanceof ArrayBuffer
      ? event as Uint8Array<ArrayBuffer>
      : new Uint8Array(event);
  }
  if (typeof event === "string") return encoder.encode(event);
  if (event === undefined) return encoder.encode("{}");
  const json = JSON.stringify(event);
  if (json === undefined) throw new TypeError(`Cannot encode a ${typeof event} as a JSON event`);
  return encoder.encode(json);
}

/** The ARN Lambda reports when a function is invoked by name in a made-up account. */
export function defaultFunctionArn(config: EmulatorConfig): string {
  return `arn:aws:lambda:${config.region}:000000000000:function:${config.functionName}`;
}

/**
 * Builds the spec and validates what would otherwise fail later inside the HTTP handler: a
 * header override `Headers` refuses (such as a value with a line break) throws a `TypeError`
 * here, so `invoke()` rejects instead of the runtime seeing a 500.
 */
export function buildInvocationSpec(
  event: unknown,
  options: InvokeOptions,
  config: EmulatorConfig,
): InvocationSpec {
  const timeoutMs = options.timeoutMs ?? config.functionTimeoutMs;
  requirePositive("timeoutMs", timeoutMs);
  const headerOverrides = Object.entries(options.headers ?? {});
  const probe = new Headers();
  for (const [name, value] of headerOverrides) {
    if (value !== null) probe.set(name, value);
  }
  return {
    requestId: options.requestId ?? crypto.randomUUID(),
    payload: encodeEvent(event),
    timeoutMs,
    traceId: options.traceId ?? generateTraceId(config.clock.epochMs()),
    invokedFunctionArn: options.invokedFunctionArn ?? defaultFunctionArn(config),
    clientContext: options.clientContext,
    cognitoIdentity: options.cognitoIdentity,
    tenantId: options.tenantId,
    headerOverrides,
    keepStreamBody: options.keepStreamBody ?? true,
    onStream: options.onStream,
    liveStream: options.liveStream ?? "body",
  };
}

/** The `/runtime/invocation/next` headers for a spec handed out with the given deadline. */
export function nextHeaders(spec: InvocationSpec, deadlineMs: number): Headers {
  const headers = new Headers([
    ["Content-Type", "application/json"],
    ["Lambda-Runtime-Aws-Request-Id", spec.requestId],
    ["Lambda-Runtime-Deadline-Ms", String(deadlineMs)],
    ["Lambda-Runtime-Invoked-Function-Arn", spec.invokedFunctionArn],
    ["Lambda-Runtime-Trace-Id", spec.traceId],
  ]);
  if (spec.clientContext !== undefined) {
    headers.set("Lambda-Runtime-Client-Context", spec.clientContext);
  }
  if (spec.cognitoIdentity !== undefined) {
    headers.set("Lambda-Runtime-Cognito-Identity", spec.cognitoIdentity);
  }
  if (spec.tenantId !== undefined) headers.set("Lambda-Runtime-Aws-Tenant-Id", spec.tenantId);
  for (const [name, value] of spec.headerOverrides) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  return headers;
}
