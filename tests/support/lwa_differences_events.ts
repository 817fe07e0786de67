/**
 * Differences in which events are HTTP, and in how bad input and failures end (docs/differences-from-lwa.md,
 * "Which events are HTTP" and "Errors and bad input"). Each takes over the whole case.
 *
 * @module
 */

import {
  adopt,
  type Difference,
  isObject,
  lwaPassedThrough,
  passThroughPath,
  result,
  same,
} from "./lwa_difference_kit.ts";

/** The entries, in the order they are tried. */
export const EVENT_DIFFERENCES: readonly Difference[] = [
  {
    // WebSocket events: LWA POSTs those without `httpMethod` to /events and reads synthetic
    // ones that carry it as REST requests; here they follow the WebSocket convention.
    id: "websocket-events",
    reconcile: (lwa, ours, c) => {
      const request = ours.requests[0];
      const convention = ours.requests.length === 1 && request!.method === "POST" &&
        request!.target.startsWith("/websocket/") &&
        request!.headers["x-amzn-websocket-route-key"] !== undefined;
      return c.source === "webSocket" && convention && !same(lwa, ours) && adopt(lwa, ours);
    },
  },
  {
    id: "vpc-lattice-events",
    reconcile: (lwa, ours, c) =>
      c.source.startsWith("vpcLattice") && lwaPassedThrough(lwa, c) && adopt(lwa, ours),
  },
  {
    // lambda_http rejects a field of the wrong type (a string where `headers` belongs, an mTLS
    // `validity` without dates) and LWA then POSTs the HTTP event to /events.
    id: "untyped-http-events",
    reconcile: (lwa, ours, c) =>
      c.source !== "passThrough" && lwaPassedThrough(lwa, c) && ours.requests.length === 1 &&
      ours.requests[0]!.target !== passThroughPath(c) && adopt(lwa, ours),
  },
  {
    // An HTTP event with a field that cannot be an HTTP request (SAM's `{{{method}}}`): LWA
    // POSTs it to /events; here the invocation fails naming the field.
    id: "broken-http-events",
    reconcile: (lwa, ours, c) =>
      lwaPassedThrough(lwa, c) && ours.requests.length === 0 &&
      result(ours, "error")?.errorType === "LambdaAdapter.InvalidRequest" && adopt(lwa, ours),
  },
  {
    // lambda_http builds a URL from `Host` (which LWA then ignores) and panics on one that is
    // not a host name, such as the `<url-id>` placeholder of a Function URL sample.
    id: "host-not-a-hostname",
    reconcile: (lwa, ours) =>
      lwa.requests.length === 0 &&
      /InvalidDomainCharacter/.test(result(lwa, "error")?.errorMessage ?? "") &&
      ours.requests.length === 1 && adopt(lwa, ours),
  },
  {
    // LWA's loop ends, and the process exits, on a Lambda-Runtime-* header that is not visible
    // ASCII or a client context or identity not of lambda_runtime's exact shape, and on a
    // payload that is not UTF-8. Here only that invocation is affected, if at all.
    id: "lwa-exits",
    reconcile: (lwa, ours) =>
      lwa.result.kind === "crash" &&
      (ours.result.kind === "response" ||
        result(ours, "error")?.errorType === "LambdaAdapter.InvalidEvent") &&
      adopt(lwa, ours),
  },
  {
    // The event's own Content-Length (API Gateway passes the client's) frames LWA's request: a
    // value that does not match the body fails it. Here the client frames the body it sends.
    id: "event-framing-headers",
    reconcile: (lwa, ours, c) => {
      const headers = isObject(c.event) && isObject(c.event.headers) ? c.event.headers : {};
      const framed = Object.keys(headers).some((name) =>
        ["content-length", "transfer-encoding"].includes(name.toLowerCase())
      );
      return framed && lwa.requests.length <= 1 && ours.requests.length === 1 &&
        result(lwa, "error")?.errorMessage === "client error (SendRequest)" && adopt(lwa, ours);
    },
  },
  {
    // Bad input: LWA reports a panic ("Lambda panicked: failed to decode aws base64 ...") or a
    // Rust type name; here a named `LambdaAdapter.*` error.
    id: "error-types",
    reconcile: (lwa, ours) => {
      const [a, b] = [result(lwa, "error"), result(ours, "error")];
      if (!a || !b || same(a, b)) return false;
      if (b.errorType === "LambdaAdapter.ErrorStatus" && a.errorMessage !== b.errorMessage) {
        // The reference build predates LWA#668, which put the body into the message.
        const status = JSON.parse(b.errorMessage).statusCode;
        if (a.errorMessage !== `Request failed with configured error status code: ${status}`) {
          return false;
        }
      }
      ours.result = structuredClone(a);
      return true;
    },
  },
];
