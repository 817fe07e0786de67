/**
 * Every way this adapter may differ from LWA, as the conformance suite checks it: one entry per
 * row of docs/differences-from-lwa.md (same id). Each entry recognises its own difference in a
 * pair of observations and reconciles the two views; whatever is left must be equal. An entry
 * only accepts the precise relation it describes (LWA's `Content-Length: 0` on a request with
 * no body, not any missing `Content-Length`), so an unlisted difference still fails.
 *
 * @module
 */

import { brotliDecompressSync, gunzipSync } from "node:zlib";
import type { AppResponse } from "./recording_app.ts";
import type { RequestView, ResultView, View } from "./observation_view.ts";

/** What an entry may look at besides the two views. */
export interface CaseContext {
  /** The event as JSON, or undefined when the payload is not JSON. */
  readonly event: unknown;
  /** The source this adapter detects (`detectSource`). */
  readonly source: string;
  /** The settings both adapters ran with. */
  readonly env: Readonly<Record<string, string>>;
  /** What the app answered. */
  readonly response: AppResponse;
}

/** One documented difference. */
export interface Difference {
  /** The anchor of its row in docs/differences-from-lwa.md. */
  readonly id: string;
  /** Makes the views agree where this difference explains what differs; true when it did. */
  readonly reconcile: (lwa: View, ours: View, c: CaseContext) => boolean;
}

const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade"];
const ADAPTER_HEADERS = [
  "x-amzn-request-context",
  "x-amzn-lambda-context",
  "x-amzn-trace-id",
  "x-amz-tenant-id",
];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value).sort().map((key) => [key, canonical(value[key])]),
  );
}

/** Both sides made exactly one request. */
function onlyRequests(lwa: View, ours: View): [RequestView, RequestView] | undefined {
  if (lwa.requests.length !== 1 || ours.requests.length !== 1) return undefined;
  return [lwa.requests[0]!, ours.requests[0]!];
}

/** Applies `fix` to each pair of requests; true when any call returned true. */
function eachRequest(
  lwa: View,
  ours: View,
  fix: (lwa: RequestView, ours: RequestView) => boolean,
): boolean {
  const pair = onlyRequests(lwa, ours);
  return pair ? fix(pair[0], pair[1]) : false;
}

function pathOf(target: string): string {
  const at = target.indexOf("?");
  return at === -1 ? target : target.slice(0, at);
}

function queryOf(target: string): string {
  const at = target.indexOf("?");
  return at === -1 ? "" : target.slice(at + 1);
}

/** Decoded query pairs, sorted by key (stable: values of one key keep their order). */
function queryPairs(query: string): string {
  const pairs = [...new URLSearchParams(query)];
  pairs.sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return JSON.stringify(pairs);
}

function passThroughPath(c: CaseContext): string {
  const url = new URL("http://h/");
  url.pathname = c.env.AWS_LWA_PASS_THROUGH_PATH || "/events";
  return url.pathname;
}

/** LWA POSTed the event to the pass-through path, as it does for anything it cannot type. */
function lwaPassedThrough(lwa: View, c: CaseContext): boolean {
  const request = lwa.requests[0];
  return lwa.requests.length === 1 && request!.method === "POST" &&
    request!.target === passThroughPath(c) && request!.context.request === null;
}

/** Replaces `ours` wholesale with `lwa`'s content (a whole-case difference). */
function adopt(lwa: View, ours: View): true {
  ours.requests = structuredClone(lwa.requests);
  ours.result = structuredClone(lwa.result);
  return true;
}

/** `lwa` holds nothing `ours` lacks, except null or empty defaults LWA's typed structs add. */
function containedIn(lwa: unknown, ours: unknown): boolean {
  if (same(lwa, ours)) return true;
  if (isObject(lwa) && isObject(ours)) {
    return Object.entries(lwa).every(([key, value]) =>
      key in ours ? containedIn(value, ours[key]) : isDefault(value)
    );
  }
  if (Array.isArray(lwa) && Array.isArray(ours)) {
    return lwa.length === ours.length && lwa.every((value, i) => containedIn(value, ours[i]));
  }
  return typeof lwa !== "object" && String(lwa) === String(ours);
}

function isDefault(value: unknown): boolean {
  return value === null || value === 0 || value === "" ||
    (isObject(value) && Object.values(value).every(isDefault));
}

function result<K extends ResultView["kind"]>(
  view: View,
  kind: K,
): Extract<ResultView, { kind: K }> | undefined {
  return view.result.kind === kind ? view.result as Extract<ResultView, { kind: K }> : undefined;
}

/** The app's values of a response header, in order. */
function appValues(c: CaseContext, name: string): string[] {
  return (c.response.headers ?? []).filter(([field]) => field.toLowerCase() === name)
    .map(([, value]) => value);
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The differences, most sweeping first. */
export const DIFFERENCES: readonly Difference[] = [
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
  {
    id: "field-name-case",
    reconcile: (lwa, ours) =>
      eachRequest(lwa, ours, (a, b) => {
        const framing = ["Host", "Content-Length", "Transfer-Encoding"];
        if (a.spelling.length > 0 || b.spelling.length === 0) return false;
        if (!b.spelling.every((name) => framing.includes(name))) return false;
        b.spelling = [];
        return true;
      }),
  },
  {
    id: "content-length-zero",
    reconcile: (lwa, ours) =>
      eachRequest(lwa, ours, (a, b) => {
        if (a.body !== "" || b.body !== "" || b.headers["content-length"]) return false;
        if (!same(a.headers["content-length"], ["0"])) return false;
        delete a.headers["content-length"];
        return true;
      }),
  },
  {
    id: "pass-through-payload-whitespace",
    reconcile: (lwa, ours, c) =>
      c.source === "passThrough" && eachRequest(lwa, ours, (a, b) => {
        if (a.body === b.body || a.body !== b.body.trim()) return false;
        a.body = b.body;
        a.headers["content-length"] = b.headers["content-length"]!;
        return true;
      }),
  },
  {
    id: "hop-by-hop-request-headers",
    reconcile: (lwa, ours) =>
      eachRequest(lwa, ours, (a, b) => {
        const listed = (a.headers["connection"] ?? []).flatMap((value) =>
          value.split(",").map((name) => name.trim().toLowerCase())
        );
        let changed = false;
        for (const name of [...HOP_BY_HOP, ...listed]) {
          if (a.headers[name] && !b.headers[name]) {
            delete a.headers[name];
            changed = true;
          }
        }
        return changed;
      }),
  },
  {
    // A client's copy of a header the adapter sets: LWA replaces a copy spelt the same, so
    // `x_amzn_lambda_context` (read as the same field by WSGI and CGI servers) and a client's
    // `x-amz-tenant-id` on a function without tenants reach the app. Here every copy is dropped.
    id: "client-copies-of-adapter-headers",
    reconcile: (lwa, ours) =>
      eachRequest(lwa, ours, (a, b) => {
        let changed = false;
        for (const name of Object.keys(a.headers)) {
          if (!ADAPTER_HEADERS.includes(name.replaceAll("_", "-")) || b.headers[name]) continue;
          delete a.headers[name];
          changed = true;
        }
        return changed;
      }),
  },
  {
    // REST API and ALB events may carry both maps; LWA lets `headers` (one value per name, the
    // last one for API Gateway) replace every value of `multiValueHeaders`.
    id: "repeated-request-headers",
    reconcile: (lwa, ours, c) => {
      if (c.source !== "apiGatewayV1" && c.source !== "alb") return false;
      const event = isObject(c.event) ? c.event : {};
      const single = isObject(event.headers) ? event.headers : {};
      const multi = isObject(event.multiValueHeaders) ? event.multiValueHeaders : {};
      return eachRequest(lwa, ours, (a, b) => {
        let changed = false;
        for (const [rawName, value] of Object.entries(single)) {
          const name = rawName.toLowerCase();
          const values = Object.entries(multi).find(([key]) => key.toLowerCase() === name)?.[1];
          if (!Array.isArray(values) || values.length < 2) continue;
          if (!same(a.headers[name], [value]) || same(a.headers[name], b.headers[name])) continue;
          a.headers[name] = [...b.headers[name] ?? []];
          changed = true;
        }
        return changed;
      });
    },
  },
  {
    id: "cookie-join",
    reconcile: (lwa, ours) =>
      eachRequest(lwa, ours, (a, b) => {
        const split = (values: string[] | undefined) =>
          (values ?? []).flatMap((value) => value.split(";").map((part) => part.trim()));
        if (same(a.headers.cookie, [""]) && b.headers.cookie === undefined) {
          delete a.headers.cookie;
          return true;
        }
        if (same(a.headers.cookie, b.headers.cookie) || b.headers.cookie?.length !== 1) {
          return false;
        }
        if (!same(split(a.headers.cookie), split(b.headers.cookie))) return false;
        a.headers.cookie = [...b.headers.cookie];
        return true;
      }),
  },
  {
    id: "query-encoding",
    reconcile: (lwa, ours, c) =>
      (c.source === "apiGatewayV1" || c.source === "alb") && eachRequest(lwa, ours, (a, b) => {
        if (a.target === b.target || pathOf(a.target) !== pathOf(b.target)) return false;
        if (queryPairs(queryOf(a.target)) !== queryPairs(queryOf(b.target))) return false;
        a.target = b.target;
        return true;
      }),
  },
  {
    id: "dot-segments",
    reconcile: (lwa, ours) =>
      eachRequest(lwa, ours, (a, b) => {
        if (a.target === b.target || queryOf(a.target) !== queryOf(b.target)) return false;
        if (new URL(`http://h${pathOf(b.target)}`).pathname !== pathOf(a.target)) return false;
        a.target = b.target;
        return true;
      }),
  },
  {
    // LWA strips the base as a raw prefix, every leading copy of it: `/prod/prod/x` is `/x`,
    // `/production` is `/uction`, and a base written `/prod/` leaves `/prod` alone.
    id: "base-path-segments",
    reconcile: (lwa, ours, c) => {
      const base = c.env.AWS_LWA_REMOVE_BASE_PATH;
      const event = isObject(c.event) ? c.event : {};
      const raw = String(event.rawPath ?? event.path ?? "");
      if (!base) return false;
      return eachRequest(lwa, ours, (a, b) => {
        let stripped = raw;
        while (stripped.startsWith(base)) stripped = stripped.slice(base.length);
        const url = new URL("http://h/");
        url.pathname = stripped;
        if (a.target === b.target || pathOf(a.target) !== url.pathname) return false;
        a.target = b.target;
        return true;
      });
    },
  },
  {
    id: "request-context",
    reconcile: (lwa, ours) =>
      eachRequest(lwa, ours, (a, b) => {
        const [x, y] = [a.context.request, b.context.request];
        if (same(x, y) || !isObject(x) || !isObject(y) || !containedIn(x, y)) return false;
        a.context.request = structuredClone(y);
        return true;
      }),
  },
  {
    id: "lambda-context-tenant-id",
    reconcile: (lwa, ours) =>
      eachRequest(lwa, ours, (a, b) => {
        const [x, y] = [a.context.lambda, b.context.lambda];
        if (!isObject(x) || !isObject(y) || "tenant_id" in x || !("tenant_id" in y)) return false;
        delete y.tenant_id;
        return true;
      }),
  },
  {
    id: "context-header-ascii",
    reconcile: (lwa, ours) =>
      eachRequest(lwa, ours, (a, b) => {
        if (same(a.contextAscii, b.contextAscii) || !b.contextAscii.every(Boolean)) return false;
        a.contextAscii = [...b.contextAscii];
        return true;
      }),
  },
  {
    id: "pass-through-json-as-written",
    reconcile: (lwa, ours, c) => {
      const [a, b] = [result(lwa, "response"), result(ours, "response")];
      if (c.source !== "passThrough" || !a || !b || a.raw === b.raw) return false;
      if (!same(a.json, b.json)) return false;
      a.raw = b.raw;
      return true;
    },
  },
  {
    id: "v2-empty-multivalueheaders",
    reconcile: (lwa, ours, c) => {
      const [a, b] = [result(lwa, "response")?.json, result(ours, "response")?.json];
      if (c.source !== "apiGatewayV2" || !isObject(a) || !isObject(b)) return false;
      if (!same(a.multiValueHeaders, {}) || "multiValueHeaders" in b) return false;
      delete a.multiValueHeaders;
      return true;
    },
  },
  {
    id: "alb-header-mode",
    reconcile: (lwa, ours, c) => {
      const [a, b] = [result(lwa, "response")?.json, result(ours, "response")?.json];
      if (c.source !== "alb" || !isObject(a) || !isObject(b)) return false;
      const extra = ["headers", "multiValueHeaders"].filter((key) => key in a && !(key in b));
      if (extra.length !== 1) return false;
      delete a[extra[0]!];
      return true;
    },
  },
  {
    // Repeated response fields: LWA keeps the first value in `headers` (HTTP API, Function
    // URL, ALB single-value mode, and only the first Set-Cookie there); here they are joined.
    id: "repeated-response-headers",
    reconcile: (lwa, ours, c) => {
      const [a, b] = [result(lwa, "response")?.json, result(ours, "response")?.json];
      if (!isObject(a) || !isObject(b) || !isObject(a.headers) || !isObject(b.headers)) {
        return false;
      }
      let changed = false;
      for (const [name, value] of Object.entries(b.headers)) {
        const values = appValues(c, name);
        if (values.length < 2 || a.headers[name] !== values[0]) continue;
        if (value !== values.join(", ")) continue;
        a.headers[name] = value;
        changed = true;
      }
      return changed;
    },
  },
  {
    id: "hop-by-hop-response-headers",
    reconcile: (lwa, ours) => {
      const [a, b] = [result(lwa, "response")?.json, result(ours, "response")?.json];
      if (!isObject(a) || !isObject(b)) return false;
      let changed = false;
      for (const key of ["headers", "multiValueHeaders"]) {
        const [x, y] = [a[key], b[key]];
        if (!isObject(x) || !isObject(y)) continue;
        for (const name of HOP_BY_HOP) {
          if (name in x && !(name in y)) {
            delete x[name];
            changed = true;
          }
        }
      }
      return changed;
    },
  },
  {
    id: "status-description",
    reconcile: (lwa, ours) => {
      const [a, b] = [result(lwa, "response")?.json, result(ours, "response")?.json];
      if (!isObject(a) || !isObject(b) || a.statusDescription === b.statusDescription) {
        return false;
      }
      const code = `${a.statusCode} `;
      if (typeof a.statusDescription !== "string" || typeof b.statusDescription !== "string") {
        return false;
      }
      if (!a.statusDescription.startsWith(code) || !b.statusDescription.startsWith(code)) {
        return false;
      }
      a.statusDescription = b.statusDescription;
      return true;
    },
  },
  {
    // A text body that is not UTF-8: LWA decodes it lossily (from its charset); here it goes
    // out base64 so the client gets the bytes.
    id: "text-not-utf8",
    reconcile: (lwa, ours, c) => {
      const [a, b] = [result(lwa, "response")?.json, result(ours, "response")?.json];
      if (!isObject(a) || !isObject(b) || a.isBase64Encoded !== false) return false;
      if (b.isBase64Encoded !== true || typeof b.body !== "string") return false;
      const bytes = Uint8Array.fromBase64(b.body);
      try {
        strictUtf8.decode(bytes);
        return false;
      } catch {
        // Not UTF-8, as this difference requires.
      }
      const charset = /charset=([^;]+)/i.exec(appValues(c, "content-type")[0] ?? "")?.[1];
      let label = "utf-8";
      try {
        label = new TextDecoder(charset?.trim() ?? "utf-8").encoding;
      } catch {
        // Unknown label: UTF-8, as lambda_http does.
      }
      if (a.body !== new TextDecoder(label).decode(bytes)) return false;
      a.body = b.body;
      a.isBase64Encoded = true;
      return true;
    },
  },
  {
    // Media types are case-insensitive (RFC 9110 8.3.1): `TEXT/PLAIN` is text here; LWA's
    // prefix test is case-sensitive and sends it base64.
    id: "media-type-case",
    reconcile: (lwa, ours) => {
      const [a, b] = [result(lwa, "response")?.json, result(ours, "response")?.json];
      if (!isObject(a) || !isObject(b) || a.isBase64Encoded !== true) return false;
      if (b.isBase64Encoded !== false || typeof a.body !== "string") return false;
      if (new TextDecoder().decode(Uint8Array.fromBase64(a.body)) !== b.body) return false;
      a.body = b.body;
      a.isBase64Encoded = false;
      return true;
    },
  },
  {
    // The same encoding, other bytes: gzip level 5 here (6 in LWA), and a streamed body is
    // flushed chunk by chunk here so that each chunk reaches the client at once.
    id: "compressed-bytes",
    reconcile: (lwa, ours) => {
      const [a, b] = [result(lwa, "response")?.json, result(ours, "response")?.json];
      if (isObject(a) && isObject(b) && isObject(a.headers) && isObject(b.headers)) {
        const encoding = a.headers["content-encoding"];
        if (a.body === b.body || encoding !== b.headers["content-encoding"]) return false;
        if (a.isBase64Encoded !== true || b.isBase64Encoded !== true) return false;
        const plain = [a.body, b.body].map((body) => decompress(String(encoding), String(body)));
        if (plain[0] === undefined || plain[0] !== plain[1]) return false;
        a.body = b.body;
        return true;
      }
      const [x, y] = [result(lwa, "stream"), result(ours, "stream")];
      if (!x || !y || x.body === y.body || !isObject(x.prelude) || !isObject(y.prelude)) {
        return false;
      }
      const headers = [x.prelude.headers, y.prelude.headers];
      if (!isObject(headers[0]) || !isObject(headers[1])) return false;
      const encoding = headers[0]["content-encoding"];
      if (encoding === undefined || encoding !== headers[1]["content-encoding"]) return false;
      const base64 = (body: string) =>
        body.startsWith("base64:") ? body.slice(7) : new TextEncoder().encode(body).toBase64();
      const plain = [x.body, y.body].map((body) => decompress(String(encoding), base64(body)));
      if (plain[0] === undefined || plain[0] !== plain[1]) return false;
      x.body = y.body;
      return true;
    },
  },
  {
    // `Vary` added when compressing: `Accept-Encoding` here, `accept-encoding` in LWA.
    id: "vary-spelling",
    reconcile: (lwa, ours) => {
      const maps = (view: View) => {
        const json = result(view, "response")?.json;
        const prelude = result(view, "stream")?.prelude;
        const headers = isObject(json) ? json.headers : isObject(prelude) ? prelude.headers : {};
        return isObject(headers) ? headers : {};
      };
      const [a, b] = [maps(lwa), maps(ours)];
      if (a.vary !== "accept-encoding" || b.vary !== "Accept-Encoding") return false;
      a.vary = b.vary;
      return true;
    },
  },
  {
    // The prelude of a streamed response: LWA (http-serde) writes repeated fields as an array;
    // here they are joined with ", ", as in every other result.
    id: "stream-prelude-repeated-headers",
    reconcile: (lwa, ours) => {
      const [a, b] = [result(lwa, "stream")?.prelude, result(ours, "stream")?.prelude];
      if (!isObject(a) || !isObject(b) || !isObject(a.headers) || !isObject(b.headers)) {
        return false;
      }
      let changed = false;
      for (const [name, value] of Object.entries(a.headers)) {
        if (!Array.isArray(value) || b.headers[name] !== value.join(", ")) continue;
        a.headers[name] = b.headers[name];
        changed = true;
      }
      return changed;
    },
  },
  {
    // In response_stream mode LWA streams to every source; ALB, VPC Lattice, WebSocket and
    // non-HTTP events cannot take a stream, and get a buffered result of their own shape here.
    id: "streaming-sources",
    reconcile: (lwa, ours, c) => {
      const [a, b] = [result(lwa, "stream"), result(ours, "response")];
      if (!a || !b || c.source === "apiGatewayV1" || c.source === "apiGatewayV2") return false;
      const json = b.json;
      const matches = c.source === "passThrough"
        ? same(JSON.parse(a.body), json)
        : isObject(json) && isObject(a.prelude) && json.statusCode === a.prelude.statusCode &&
          json.body === a.body;
      if (!matches) return false;
      ours.result = structuredClone(a);
      return true;
    },
  },
  {
    // A failure mid-stream: LWA writes the error as text into the body the client sees; here it
    // goes into the Runtime API's chunked trailers.
    id: "stream-error-trailers",
    reconcile: (lwa, ours) => {
      const [a, b] = [result(lwa, "stream"), result(ours, "stream")];
      if (!a || !b || a.error !== undefined || b.error === undefined) return false;
      const tail = a.body.slice(b.body.length);
      if (!a.body.startsWith(b.body)) return false;
      if (!/^Lambda-Runtime-Function-Error-Type: Runtime.StreamError\r\n/.test(tail)) return false;
      a.body = b.body;
      a.error = structuredClone(b.error);
      return true;
    },
  },
];

function decompress(encoding: string, base64: string): string | undefined {
  try {
    const bytes = Uint8Array.fromBase64(base64);
    const plain = encoding === "gzip"
      ? gunzipSync(bytes)
      : encoding === "br"
      ? brotliDecompressSync(bytes)
      : undefined;
    return plain === undefined ? undefined : new Uint8Array(plain).toBase64();
  } catch {
    return undefined;
  }
}

/** Runs every entry over copies of the views; returns the ids used and what still differs. */
export function reconcile(
  lwa: View,
  ours: View,
  c: CaseContext,
): { used: string[]; lwa: View; ours: View } {
  const [a, b] = [structuredClone(lwa), structuredClone(ours)];
  // An HTTP result is a document Lambda parses, so only its JSON value counts; a pass-through
  // result reaches the caller as it is, so its bytes count too.
  for (const view of [a, b]) {
    if (c.source !== "passThrough" && view.result.kind === "response") view.result.raw = "";
  }
  const used: string[] = [];
  for (const difference of DIFFERENCES) {
    if (difference.reconcile(a, b, c)) used.push(difference.id);
  }
  return { used, lwa: a, ours: b };
}
