/**
 * HTTP handlers of the Lambda Runtime API (`/2018-06-01/runtime/...`), translating requests to
 * the environment's state machine. Status codes and error types follow the AWS Runtime API
 * reference and the open-source Runtime Interface Emulator (RAPID) where the reference is
 * silent.
 *
 * @module
 */

import type { Environment } from "./environment.ts";
import { parseErrorFields } from "./error_fields.ts";
import { nextHeaders } from "./invocation_spec.ts";
import { acceptedResponse, errorResponse, methodNotAllowed, readBodyCapped } from "./http_util.ts";
import type { ResultOutcome, RuntimeResult } from "./scheduler.ts";
import { isStreamingResponse, receiveStream } from "./stream_response.ts";

/** The Runtime API version prefix. */
export const RUNTIME_API_PREFIX = "/2018-06-01";

/** Lambda's synchronous response payload limit: 6 MB plus 100 bytes of framing allowance. */
export const MAX_RESPONSE_BYTES = 6_291_556;

const INVOCATION_PATH = "/runtime/invocation/";
const decoder = new TextDecoder();

/**
 * Answers a Runtime API request (`path` without the version prefix), or `undefined` if unknown.
 * `trailers` are the request's chunked trailers, which a streaming response reports errors in.
 */
export function routeRuntimeApi(
  env: Environment,
  request: Request,
  path: string,
  trailers: Promise<Headers> = Promise.resolve(new Headers()),
): Promise<Response> | undefined {
  if (path === "/runtime/invocation/next") {
    if (request.method !== "GET") return Promise.resolve(methodNotAllowed("GET", request.method));
    return next(env, request);
  }
  if (path === "/runtime/init/error") {
    if (request.method !== "POST") return Promise.resolve(methodNotAllowed("POST", request.method));
    return initError(env, request);
  }
  if (!path.startsWith(INVOCATION_PATH)) return undefined;
  const rest = path.slice(INVOCATION_PATH.length);
  const slash = rest.lastIndexOf("/");
  const action = rest.slice(slash + 1);
  if (slash <= 0 || (action !== "response" && action !== "error")) return undefined;
  if (request.method !== "POST") return Promise.resolve(methodNotAllowed("POST", request.method));
  const requestId = decodeSegment(rest.slice(0, slash));
  if (requestId === undefined) return Promise.resolve(outcomeResponse("unknown", ""));
  if (action === "response" && isStreamingResponse(request.headers)) {
    return postStream(env, request, requestId, trailers);
  }
  return postResult(env, request, requestId, action);
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

async function next(env: Environment, request: Request): Promise<Response> {
  env.recordRuntimeNext();
  const invocation = await env.scheduler.next(request.signal);
  if (invocation) {
    return new Response(invocation.payload, {
      status: 200,
      headers: nextHeaders(invocation, invocation.deadlineMs),
    });
  }
  if (!env.closed) env.log("Runtime /next caller disconnected before an invocation arrived");
  return closedResponse();
}

/**
 * What a long poll gets when the emulator closes: the API reference documents 500 as a
 * non-recoverable container error after which the caller should exit promptly.
 */
export function closedResponse(): Response {
  return errorResponse(500, "EmulatorClosed", "The emulator is shutting down; exit promptly");
}

async function postResult(
  env: Environment,
  request: Request,
  requestId: string,
  action: "response" | "error",
): Promise<Response> {
  // Refuse before reading so an unknown id never costs a body read.
  const state = env.scheduler.check(requestId);
  if (state !== "accepted") return outcomeResponse(state, requestId);
  const body = await readBodyCapped(request, MAX_RESPONSE_BYTES);
  if (body === undefined) {
    // The invocation stays open: the runtime may still post an error, else the deadline ends it.
    env.stats.rejectedResponses++;
    env.log(`${requestId} ${action} payload exceeded ${MAX_RESPONSE_BYTES} bytes`);
    return errorResponse(
      413,
      "RequestEntityTooLarge",
      `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
    );
  }
  const headers = new Headers(request.headers);
  const result: RuntimeResult = action === "response"
    ? { kind: "response", body, headers }
    : parseErrorPost(body, headers);
  const outcome = env.scheduler.complete(requestId, result);
  return outcome === "accepted" ? acceptedResponse() : outcomeResponse(outcome, requestId);
}

/**
 * A streaming response: read as it arrives and answered 202 once its body has ended, as for a
 * buffered one. The deadline still applies; if it passes first, the invocation ends as a
 * timeout, the runtime gets 410 at once and the rest of its stream is drained unrecorded.
 */
async function postStream(
  env: Environment,
  request: Request,
  requestId: string,
  trailers: Promise<Headers>,
): Promise<Response> {
  const claim = env.scheduler.claim(requestId);
  if (typeof claim === "string") return outcomeResponse(claim, requestId);
  const { keepStreamBody, onStream, liveStream } = claim.invocation;
  const result = await receiveStream(request, trailers, {
    keepBody: keepStreamBody,
    onStream,
    whole: liveStream === "whole",
    stopped: claim.stopped,
    now: () => env.config.clock.now(),
  });
  const outcome = result === undefined ? "timedOut" : claim.complete(result);
  if (outcome === "accepted") return acceptedResponse();
  if (env.closed) return closedResponse();
  if (outcome === "timedOut") env.log(`${requestId} timed out mid-stream; the rest is discarded`);
  return outcomeResponse(outcome, requestId);
}

function outcomeResponse(outcome: ResultOutcome, requestId: string): Response {
  switch (outcome) {
    case "alreadyCompleted":
      return errorResponse(
        400,
        "InvalidStateTransition",
        `Invocation ${requestId} already has a result`,
      );
    case "timedOut":
      return errorResponse(410, "InvocationTimedOut", `Invocation ${requestId} timed out`);
    default:
      return errorResponse(400, "InvalidRequestID", "Invalid request ID");
  }
}

/** Reads `{"errorType","errorMessage"}` leniently; the raw body is kept either way. */
export function parseErrorPost(body: Uint8Array, headers: Headers): RuntimeResult {
  const fields = parseErrorFields(body);
  const headerType = headers.get("Lambda-Runtime-Function-Error-Type") || undefined;
  return {
    kind: "error",
    errorType: fields.errorType ?? headerType ?? "Unknown",
    errorMessage: fields.errorMessage ?? "",
    body,
    headers,
  };
}

async function initError(env: Environment, request: Request): Promise<Response> {
  // RAPID refuses an init error once the runtime has left the init state.
  if (env.init.done) {
    return errorResponse(403, "InvalidStateTransition", "Init has already completed");
  }
  const body = await readBodyCapped(request, MAX_RESPONSE_BYTES);
  if (body === undefined) {
    return errorResponse(
      413,
      "RequestEntityTooLarge",
      `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
    );
  }
  const headerType = request.headers.get("Lambda-Runtime-Function-Error-Type") || undefined;
  const errorType = headerType ?? parseErrorFields(body).errorType ?? "Unknown";
  env.initErrors.push({ errorType, body: decoder.decode(body) });
  env.log(`Runtime posted an init error: ${errorType}`);
  env.init.fail(new Error(`Init failed: the runtime posted /runtime/init/error (${errorType})`));
  return acceptedResponse();
}
