/**
 * API Gateway WebSocket APIs (LWA#11, declined upstream), under this convention:
 *
 * - every route is a `POST` to `{AWS_LWA_WEBSOCKET_PATH_PREFIX}/{route}`, where `{route}` is the
 *   route key without its `$`: `/websocket/connect`, `/websocket/disconnect`,
 *   `/websocket/default`, or a custom route such as `/websocket/sendMessage`;
 * - the adapter adds `x-amzn-websocket-route-key`, `x-amzn-websocket-connection-id`,
 *   `x-amzn-websocket-event-type` (CONNECT, MESSAGE, DISCONNECT) and
 *   `x-amzn-websocket-callback-url` (`https://{domainName}/{stage}/@connections/{id}`, where the
 *   app can POST later messages to the client, signed with SigV4; the adapter keeps no state);
 * - `$connect` carries the handshake's headers and query; a message carries its body;
 * - the app's answer is the route response (on `$connect`, a status other than 2xx refuses the
 *   connection), in the REST proxy format.
 *
 * @module
 */

import type { HeaderList } from "../http/types.ts";
import { restHeaders, restQuery } from "./api_gateway_v1.ts";
import { bodyField, invalid, objectField, requiredString, stringField } from "./fields.ts";
import type { HttpParts, JsonObject } from "./types.ts";

export { toResult } from "./api_gateway_v1.ts";

/** The request a WebSocket route event describes. */
export function toRequest(event: JsonObject, pathPrefix: string): HttpParts {
  const context = objectField(event, "requestContext")!;
  const routeKey = requiredString(context, "routeKey", "requestContext.routeKey");
  const connectionId = requiredString(context, "connectionId", "requestContext.connectionId");
  const eventType = requiredString(context, "eventType", "requestContext.eventType");
  const adapterHeaders: HeaderList = [
    ["x-amzn-websocket-route-key", routeKey],
    ["x-amzn-websocket-connection-id", connectionId],
    ["x-amzn-websocket-event-type", eventType],
  ];
  const domainName = stringField(context, "domainName", "requestContext.domainName");
  const stage = stringField(context, "stage", "requestContext.stage");
  if (domainName && stage && !domainName.includes("*")) {
    adapterHeaders.push([
      "x-amzn-websocket-callback-url",
      `https://${domainName}/${stage}/@connections/${encodeURIComponent(connectionId)}`,
    ]);
  }
  for (const [name, value] of adapterHeaders) {
    // deno-lint-ignore no-control-regex -- these values become header fields
    if (/[\x00-\x1f\x7f]/.test(value)) {
      invalid("requestContext", `${name} holds a control character`);
    }
  }
  // Route keys come from the API's own definition, but are encoded anyway (dots included) so
  // none can reach outside the prefix, even for an app that resolves `..` itself.
  const route = encodeURIComponent(routeKey.startsWith("$") ? routeKey.slice(1) : routeKey)
    .replaceAll(".", "%2E");
  return {
    method: "POST",
    path: `${pathPrefix}/${route}`,
    query: restQuery(event),
    headers: restHeaders(event),
    body: bodyField(event, "body", "isBase64Encoded"),
    adapterHeaders,
  };
}
