/**
 * Differences in the request the app sees (docs/differences-from-lwa.md, "The request to the
 * app").
 *
 * @module
 */

import {
  ADAPTER_HEADERS,
  containedIn,
  type Difference,
  eachRequest,
  HOP_BY_HOP,
  isObject,
  pathOf,
  queryOf,
  queryPairs,
  same,
} from "./lwa_difference_kit.ts";

/** The entries, in the order they are tried. */
export const REQUEST_DIFFERENCES: readonly Difference[] = [
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
];
