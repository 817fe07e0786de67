/**
 * Client of the Lambda Extensions API (`/2020-01-01/extension/...`).
 *
 * The adapter registers as an external extension: that is what makes Lambda run it beside the
 * app, send the app SIGTERM at shutdown and allow a shutdown phase (LWA#202).
 *
 * @module
 */

import { getHeader, type HttpClient } from "../http/types.ts";

const VERSION = "/2020-01-01";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Thrown when the Extensions API answers with a status other than 200. */
export class ExtensionApiError extends Error {
  /** The Extensions API's HTTP status. */
  readonly status: number;

  /** Describes `call` answered with `status` and (the start of) `body`. */
  constructor(call: string, status: number, body: string) {
    super(`Extensions API ${call} answered ${status}${body ? `: ${body.slice(0, 500)}` : ""}`);
    this.name = "ExtensionApiError";
    this.status = status;
  }
}

/** An event from `/extension/event/next`. */
export type ExtensionEvent =
  | { eventType: "SHUTDOWN"; shutdownReason: string; deadlineMs: number }
  | { eventType: "INVOKE"; requestId: string; deadlineMs: number }
  | { eventType: string };

/**
 * Registers the extension. Lambda requires `name` to be the executable's file name in
 * `/opt/extensions`.
 *
 * @returns the extension identifier for later calls
 */
export async function registerExtension(
  client: HttpClient,
  options: { basePath: string; name: string; events: readonly string[] },
  signal?: AbortSignal,
): Promise<string> {
  const response = await client({
    method: "POST",
    target: `${options.basePath}${VERSION}/extension/register`,
    headers: [["lambda-extension-name", options.name], ["content-type", "application/json"]],
    body: encoder.encode(JSON.stringify({ events: options.events })),
  }, signal);
  const body = decoder.decode(await response.bytes(65536));
  if (response.status !== 200) {
    throw new ExtensionApiError("register", response.status, body);
  }
  const id = getHeader(response.headers, "lambda-extension-identifier");
  if (!id) throw new Error("Extension registration answered without Lambda-Extension-Identifier");
  return id;
}

/** Waits for the next event; for an extension that subscribed to nothing this never returns. */
export async function nextExtensionEvent(
  client: HttpClient,
  options: { basePath: string; id: string },
  signal?: AbortSignal,
): Promise<ExtensionEvent> {
  const response = await client({
    method: "GET",
    target: `${options.basePath}${VERSION}/extension/event/next`,
    headers: [["lambda-extension-identifier", options.id]],
  }, signal);
  const body = decoder.decode(await response.bytes(65536));
  if (response.status !== 200) throw new ExtensionApiError("event/next", response.status, body);
  const event: unknown = JSON.parse(body);
  if (typeof event !== "object" || event === null || !("eventType" in event)) {
    throw new SyntaxError(
      `Extension event/next answered without an eventType: ${body.slice(0, 200)}`,
    );
  }
  return event as ExtensionEvent;
}
