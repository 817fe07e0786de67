/**
 * Client of the Lambda Extensions API (`/2020-01-01/extension/...`).
 *
 * The adapter registers as an external extension: that is what makes Lambda run it beside the
 * app, send the app SIGTERM at shutdown and allow a shutdown phase (LWA#202).
 *
 * @module
 */

import { readBody } from "../http/read_body.ts";
import { getHeader, type HttpClient } from "../http/types.ts";

const VERSION = "/2020-01-01";
const encoder = new TextEncoder();

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
): Promise<string> {
  const response = await client({
    method: "POST",
    target: `${options.basePath}${VERSION}/extension/register`,
    headers: [["lambda-extension-name", options.name], ["content-type", "application/json"]],
    body: encoder.encode(JSON.stringify({ events: options.events })),
  });
  const body = new TextDecoder().decode(await readBody(response.body, 65536));
  if (response.status !== 200) {
    throw new Error(`Extension registration failed with status ${response.status}: ${body}`);
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
  const body = new TextDecoder().decode(await readBody(response.body));
  if (response.status !== 200) {
    throw new Error(`Extension event/next failed with status ${response.status}: ${body}`);
  }
  return JSON.parse(body) as ExtensionEvent;
}
