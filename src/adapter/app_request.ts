/**
 * Builds the request to the app from an event's {@link HttpParts}: the path and query as sent on
 * the wire, and the headers the adapter owns.
 *
 * @module
 */

import type { AdapterConfig } from "../config/config.ts";
import { HOP_BY_HOP } from "../http/headers.ts";
import { requestTarget } from "../events/target.ts";
import type { HttpParts, JsonObject } from "../events/types.ts";
import type { HeaderList, OutgoingRequest } from "../http/types.ts";
import type { Invocation } from "../lambda/invocation.ts";
import type { Logger } from "../util/log.ts";

/**
 * Fields only the adapter may set. A client could send its own copy through API Gateway to
 * spoof its identity or tenant (LWA#286; LWA keeps a client's `x-amz-tenant-id` when the
 * invocation has none), so every incoming copy is dropped, and so is any `x-amzn-websocket-*`
 * field (the WebSocket convention's own headers). Hop-by-hop fields (RFC 9110 7.6.1)
 * describe the client's connection, not ours; framing is set by the HTTP client.
 *
 * Names are compared with `_` read as `-`: WSGI, CGI and Rack servers fold the two together, so
 * gunicorn would merge a client's `x_amzn_lambda_context: forged` into the trusted header the
 * app reads (nginx drops underscore names by default for this reason).
 */
const DROPPED = new Set([
  "x-amzn-request-context",
  "x-amzn-lambda-context",
  "x-amzn-trace-id",
  "x-amz-tenant-id",
  "content-length",
  ...HOP_BY_HOP,
]);

/** What the request builder needs from the config. */
export type RequestConfig = Pick<
  AdapterConfig,
  "authorizationSource" | "lambda"
>;

/** Assembles the outgoing request for one invocation. */
export function buildAppRequest(
  parts: HttpParts,
  requestContext: JsonObject | null,
  invocation: Invocation,
  options: { config: RequestConfig; log: Logger },
): OutgoingRequest {
  const { config, log } = options;
  const headers: HeaderList = parts.headers.filter(([name]) => !isAdapterOwned(name));
  if (parts.adapterHeaders) headers.push(...parts.adapterHeaders);
  joinCookies(headers);
  if (config.authorizationSource) {
    moveToAuthorization(headers, config.authorizationSource, log);
  }
  headers.push(["x-amzn-request-context", asciiJson(requestContext)]);
  headers.push(["x-amzn-lambda-context", asciiJson(lambdaContext(invocation, config))]);
  if (invocation.traceId) headers.push(["x-amzn-trace-id", invocation.traceId]);
  if (invocation.tenantId) headers.push(["x-amz-tenant-id", invocation.tenantId]);
  return {
    method: parts.method,
    target: requestTarget(parts.path, parts.query),
    headers,
    body: parts.body,
  };
}

/** Whether `name` (lowercase) is, once `_` is read as `-`, a field only the adapter sets. */
export function isAdapterOwned(name: string): boolean {
  const canonical = name.includes("_") ? name.replaceAll("_", "-") : name;
  return DROPPED.has(canonical) || canonical.startsWith("x-amzn-websocket-");
}

/**
 * Browsers on HTTP/2 send each cookie as its own field, and ALB with multi-value headers passes
 * them on that way; an HTTP/1.1 server expects one Cookie line, and several are joined with ","
 * by some (gunicorn) and so misread. RFC 9113 8.2.3 says to join them with "; ".
 */
function joinCookies(headers: HeaderList): void {
  let first = -1;
  for (let index = 0; index < headers.length; index++) {
    if (headers[index]![0] !== "cookie") continue;
    if (first < 0) {
      first = index;
      continue;
    }
    headers[first]![1] += `; ${headers[index]![1]}`;
    headers.splice(index--, 1);
  }
}

function moveToAuthorization(headers: HeaderList, source: string, log: Logger): void {
  let value: string | undefined;
  for (let index = headers.length - 1; index >= 0; index--) {
    if (headers[index]![0] === source) {
      value = headers[index]![1];
      headers.splice(index, 1);
    }
  }
  if (value === undefined) {
    log.warn(`"${source}" header not found in request headers`);
    return;
  }
  for (let index = headers.length - 1; index >= 0; index--) {
    if (headers[index]![0] === "authorization") headers.splice(index, 1);
  }
  headers.push(["authorization", value]);
}

/** The `x-amzn-lambda-context` document, with LWA's field names and order. */
function lambdaContext(invocation: Invocation, config: RequestConfig) {
  return {
    request_id: invocation.requestId,
    deadline: invocation.deadlineMs,
    invoked_function_arn: invocation.invokedFunctionArn ?? "",
    xray_trace_id: invocation.traceId ?? null,
    client_context: invocation.clientContext,
    identity: invocation.cognitoIdentity,
    tenant_id: invocation.tenantId ?? null,
    env_config: {
      function_name: config.lambda.functionName,
      memory: config.lambda.memoryMb,
      version: config.lambda.functionVersion,
      log_stream: config.lambda.logStream,
      log_group: config.lambda.logGroup,
    },
  };
}

/** JSON with every non-ASCII character escaped, so the header value is plain ASCII. */
export function asciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (!NON_ASCII.test(json)) return json;
  return json.replace(
    NON_ASCII_ALL,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

const NON_ASCII = /[\u007f-\uffff]/;
const NON_ASCII_ALL = /[\u007f-\uffff]/g;
