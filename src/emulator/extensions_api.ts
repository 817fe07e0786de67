/**
 * HTTP handlers of the Lambda Extensions API (`/2020-01-01/extension/...`). Status codes and
 * error types follow RAPID, the open-source Runtime Interface Emulator that implements the API:
 * it answers every refusal with 403 and tells the causes apart by `errorType`.
 *
 * @module
 */

import type { Environment } from "./environment.ts";
import type { ExtensionEventType, ExtensionRecord } from "./extensions.ts";
import {
  acceptedResponse,
  errorResponse,
  jsonResponse,
  methodNotAllowed,
  readBodyCapped,
} from "./http_util.ts";
import { closedResponse } from "./runtime_api.ts";

/** The Extensions API version prefix. */
export const EXTENSIONS_API_PREFIX = "/2020-01-01";

/** Lambda allows at most 10 extensions per function. */
export const MAX_EXTENSIONS = 10;

/** Register and error bodies are small JSON documents; nothing legitimate comes near this. */
const MAX_BODY_BYTES = 1024 * 1024;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const decoder = new TextDecoder();

/** Answers an Extensions API request (`path` without the prefix), or `undefined` if unknown. */
export function routeExtensionsApi(
  env: Environment,
  request: Request,
  path: string,
): Promise<Response> | undefined {
  switch (path) {
    case "/extension/register":
      return requireMethod(request, "POST") ?? register(env, request);
    case "/extension/event/next":
      return requireMethod(request, "GET") ?? eventNext(env, request);
    case "/extension/init/error":
      return requireMethod(request, "POST") ?? postError(env, request, "init");
    case "/extension/exit/error":
      return requireMethod(request, "POST") ?? postError(env, request, "exit");
    default:
      return undefined;
  }
}

function requireMethod(request: Request, method: string): Promise<Response> | undefined {
  if (request.method === method) return undefined;
  return Promise.resolve(methodNotAllowed(method, request.method));
}

function forbidden(errorType: string, errorMessage: string): Response {
  return errorResponse(403, errorType, errorMessage);
}

async function register(env: Environment, request: Request): Promise<Response> {
  const name = request.headers.get("Lambda-Extension-Name") ?? "";
  if (name === "") return forbidden("Extension.InvalidExtensionName", "Empty extension name");
  // Registration counts from the request's arrival: init waits while its body is read.
  const closed = env.init.done || env.closed;
  const registered = closed ? () => {} : env.registering();
  try {
    return await completeRegistration(env, request, name, closed);
  } finally {
    registered();
  }
}

async function completeRegistration(
  env: Environment,
  request: Request,
  name: string,
  closed: boolean,
): Promise<Response> {
  const events = parseEvents(await readBodyCapped(request, MAX_BODY_BYTES));
  if (typeof events === "string") return forbidden("InvalidRequestFormat", events);
  const unknown = events.find((event) => event !== "INVOKE" && event !== "SHUTDOWN");
  if (unknown !== undefined) {
    return forbidden(
      "Extension.InvalidEventType",
      `${unknown}: external extensions can subscribe to INVOKE and SHUTDOWN only`,
    );
  }
  // Lambda closes registration when the init phase ends.
  if (closed || env.closed) {
    return forbidden("Extension.RegistrationClosed", "Extension registration closed already");
  }
  if (env.extensions.byName(name)) {
    return forbidden(
      "Extension.InvalidExtensionState",
      "Extension with this name already registered",
    );
  }
  if (env.extensions.all.length >= MAX_EXTENSIONS) {
    return forbidden("Extension.TooManyExtensions", `Extension limit (${MAX_EXTENSIONS}) reached`);
  }
  const record = env.extensions.register(name, events as ExtensionEventType[]);
  env.log(`Extension ${name} registered for [${record.events.join(", ")}]`);
  const { functionName, functionVersion, handler } = env.config;
  return jsonResponse(200, { functionName, functionVersion, handler }, [
    ["Lambda-Extension-Identifier", record.id],
  ]);
}

/** Returns the `events` list, or an error message when the body is not a register request. */
function parseEvents(body: Uint8Array | undefined): string[] | string {
  if (body === undefined) return `Request body exceeds ${MAX_BODY_BYTES} bytes`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(body));
  } catch (error) {
    return `Invalid JSON body: ${(error as Error).message}`;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return "The body must be a JSON object";
  }
  const { events, configurationKeys } = parsed as Record<string, unknown>;
  if (Array.isArray(configurationKeys) && configurationKeys.length > 0) {
    return "configurationKeys are deprecated; use environment variables instead";
  }
  // RAPID accepts a register request without `events` as subscribing to nothing.
  if (events === undefined || events === null) return [];
  if (!Array.isArray(events) || !events.every((event) => typeof event === "string")) {
    return "events must be an array of strings";
  }
  return events;
}

/** Finds the caller's registration, or answers the 403 RAPID gives for a bad identifier. */
function identify(env: Environment, request: Request): ExtensionRecord | Response {
  const id = request.headers.get("Lambda-Extension-Identifier") ?? "";
  if (id === "") {
    return forbidden(
      "Extension.MissingExtensionIdentifier",
      "Missing Lambda-Extension-Identifier header",
    );
  }
  if (!UUID.test(id)) {
    return forbidden("Extension.InvalidExtensionIdentifier", "Invalid Lambda-Extension-Identifier");
  }
  return env.extensions.byId(id.toLowerCase()) ??
    forbidden("Extension.UnknownExtensionIdentifier", `Unknown extension ${id}`);
}

async function eventNext(env: Environment, request: Request): Promise<Response> {
  const record = identify(env, request);
  if (record instanceof Response) return record;
  const event = await env.extensions.next(record, request.signal);
  if (!event) {
    if (!env.closed) env.log(`Extension ${record.name} /event/next caller disconnected`);
    return closedResponse();
  }
  return new Response(event.body, {
    status: 200,
    headers: [
      ["Content-Type", "application/json"],
      ["Lambda-Extension-Event-Identifier", crypto.randomUUID()],
    ],
  });
}

async function postError(
  env: Environment,
  request: Request,
  kind: "init" | "exit",
): Promise<Response> {
  const record = identify(env, request);
  if (record instanceof Response) return record;
  const errorType = request.headers.get("Lambda-Extension-Function-Error-Type") ?? "";
  if (errorType === "") {
    return forbidden("Extension.MissingHeader", "Lambda-Extension-Function-Error-Type not found");
  }
  const body = await readBodyCapped(request, MAX_BODY_BYTES);
  const text = body === undefined ? "" : decoder.decode(body);
  env.extensionErrors.push({ extensionName: record.name, kind, errorType, body: text });
  env.log(`Extension ${record.name} posted an ${kind} error: ${errorType}`);
  if (kind === "init") {
    env.init.fail(
      new Error(
        `Init failed: extension ${record.name} posted /extension/init/error (${errorType})`,
      ),
    );
  }
  return acceptedResponse();
}
