/**
 * Differences in what Lambda gets back: buffered results, streams and compressed bodies
 * (docs/differences-from-lwa.md, "The result", "Streaming", "Compression").
 *
 * @module
 */

import {
  appValues,
  decompress,
  type Difference,
  HOP_BY_HOP,
  isObject,
  result,
  same,
  strictUtf8,
} from "./lwa_difference_kit.ts";
import type { View } from "./observation_view.ts";

/** The entries, in the order they are tried. */
export const RESULT_DIFFERENCES: readonly Difference[] = [
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
