/**
 * Turns a plain HTTP request into the event a chosen AWS front end would send Lambda, the way
 * each service does it, for `lambda-adapter emulate`'s front door.
 *
 * @module
 */

import { isTextResponse } from "../events/body.ts";
import type { HeaderList } from "../http/types.ts";

/** The front ends `emulate` can imitate. */
export const EVENT_SOURCES = [
  "function-url",
  "http-api",
  "rest-api",
  "alb",
  "alb-multi-value",
  "vpc-lattice-v2",
] as const;
/** One of {@link EVENT_SOURCES}. */
export type EventSource = typeof EVENT_SOURCES[number];

/** A request as the front door received it. */
export interface FrontDoorRequest {
  /** The request method. */
  method: string;
  /** Path and query, as sent (still percent-encoded). */
  target: string;
  /** The fields in wire order. */
  headers: HeaderList;
  /** The body. */
  body: Uint8Array;
  /** The client's address, for `sourceIp` in the event. */
  sourceIp: string;
}

/** Names used in generated ids and ARNs. */
export interface Identity {
  /** The region in ARNs and domain names. */
  readonly region: string;
  /** The account id in ARNs. */
  readonly accountId: string;
  /** The function name in ARNs and domain names. */
  readonly functionName: string;
  /** The request id the event carries. */
  readonly requestId: string;
  /** The request time the event carries. */
  readonly now: Date;
}

/** Builds the event `source` would send for `request`. */
export function requestToEvent(
  source: EventSource,
  request: FrontDoorRequest,
  identity: Identity,
): Record<string, unknown> {
  switch (source) {
    case "function-url":
    case "http-api":
      return httpV2(source, request, identity);
    case "rest-api":
      return restApi(request, identity);
    case "alb":
    case "alb-multi-value":
      return alb(source === "alb-multi-value", request, identity);
    case "vpc-lattice-v2":
      return latticeV2(request, identity);
  }
}

function split(target: string): { path: string; query: string } {
  const mark = target.indexOf("?");
  return mark < 0
    ? { path: target, query: "" }
    : { path: target.slice(0, mark), query: target.slice(mark + 1) };
}

/** Query pairs, raw (as sent) or decoded (as API Gateway hands them over). */
function queryPairs(query: string, decode: boolean): [string, string][] {
  if (query === "") return [];
  return query.split("&").filter(Boolean).map((pair) => {
    const eq = pair.indexOf("=");
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? "" : pair.slice(eq + 1);
    return decode ? [safeDecode(key), safeDecode(value)] : [key, value];
  });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    return text;
  }
}

function grouped(pairs: [string, string][], lower: boolean): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [rawKey, value] of pairs) {
    const key = lower ? rawKey.toLowerCase() : rawKey;
    map.set(key, [...(map.get(key) ?? []), value]);
  }
  return map;
}

function last(map: Map<string, string[]>): Record<string, string> | null {
  if (map.size === 0) return null;
  return Object.fromEntries([...map].map(([key, values]) => [key, values.at(-1)!]));
}

function all(map: Map<string, string[]>): Record<string, string[]> | null {
  return map.size === 0 ? null : Object.fromEntries(map);
}

/** Text bodies travel as text, others base64, as API Gateway and Function URLs do. */
function body(request: FrontDoorRequest): { body: string | null; isBase64Encoded: boolean } {
  if (request.body.byteLength === 0) return { body: null, isBase64Encoded: false };
  if (isTextResponse(request.headers, { binaryMediaTypes: [] })) {
    try {
      const text = new TextDecoder("utf-8", { fatal: true }).decode(request.body);
      return { body: text, isBase64Encoded: false };
    } catch {
      // Not UTF-8: base64 below.
    }
  }
  return { body: request.body.toBase64(), isBase64Encoded: true };
}

function apiId(identity: Identity): string {
  return `${identity.functionName.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 10) || "local"}`;
}

function httpV2(source: EventSource, request: FrontDoorRequest, identity: Identity) {
  const { path, query } = split(request.target);
  const headers = grouped(request.headers, true);
  const cookies = (headers.get("cookie") ?? []).flatMap((line) => line.split(/;\s*/)).filter(
    Boolean,
  );
  headers.delete("cookie");
  const id = apiId(identity);
  const domainName = source === "function-url"
    ? `${id}.lambda-url.${identity.region}.on.aws`
    : `${id}.execute-api.${identity.region}.amazonaws.com`;
  const queryMap = grouped(queryPairs(query, true), false);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: query,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers: Object.fromEntries([...headers].map(([key, values]) => [key, values.join(",")])),
    ...(queryMap.size > 0
      ? {
        queryStringParameters: Object.fromEntries(
          [...queryMap].map(([key, values]) => [key, values.join(",")]),
        ),
      }
      : {}),
    requestContext: {
      accountId: source === "function-url" ? "anonymous" : identity.accountId,
      apiId: id,
      domainName,
      domainPrefix: id,
      http: {
        method: request.method,
        path: safeDecode(path),
        protocol: "HTTP/1.1",
        sourceIp: request.sourceIp,
        userAgent: headers.get("user-agent")?.[0] ?? "",
      },
      requestId: identity.requestId,
      routeKey: "$default",
      stage: "$default",
      time: identity.now.toUTCString(),
      timeEpoch: identity.now.getTime(),
    },
    ...body(request),
  };
}

function restApi(request: FrontDoorRequest, identity: Identity) {
  const { path, query } = split(request.target);
  const decodedPath = safeDecode(path);
  const headers = grouped(request.headers, false);
  const queryMap = grouped(queryPairs(query, true), false);
  return {
    resource: "/{proxy+}",
    path: decodedPath,
    httpMethod: request.method,
    headers: last(headers),
    multiValueHeaders: all(headers),
    queryStringParameters: last(queryMap),
    multiValueQueryStringParameters: all(queryMap),
    pathParameters: { proxy: decodedPath.replace(/^\//, "") },
    stageVariables: null,
    requestContext: {
      accountId: identity.accountId,
      apiId: apiId(identity),
      domainName: `${apiId(identity)}.execute-api.${identity.region}.amazonaws.com`,
      httpMethod: request.method,
      identity: { sourceIp: request.sourceIp, userAgent: headers.get("user-agent")?.[0] ?? null },
      path: `/prod${decodedPath}`,
      protocol: "HTTP/1.1",
      requestId: identity.requestId,
      requestTimeEpoch: identity.now.getTime(),
      resourcePath: "/{proxy+}",
      stage: "prod",
    },
    ...body(request),
  };
}

function alb(multi: boolean, request: FrontDoorRequest, identity: Identity) {
  const { path, query } = split(request.target);
  // ALB passes the query as the client encoded it and lowercases header names.
  const headers = grouped(request.headers, true);
  const queryMap = grouped(queryPairs(query, false), false);
  const targetGroupArn =
    `arn:aws:elasticloadbalancing:${identity.region}:${identity.accountId}:targetgroup/${identity.functionName}/0123456789abcdef`;
  return {
    requestContext: { elb: { targetGroupArn } },
    httpMethod: request.method,
    path,
    ...(multi
      ? {
        multiValueQueryStringParameters: all(queryMap) ?? {},
        multiValueHeaders: all(headers) ?? {},
      }
      : { queryStringParameters: last(queryMap) ?? {}, headers: last(headers) ?? {} }),
    ...body(request),
    body: body(request).body ?? "",
  };
}

function latticeV2(request: FrontDoorRequest, identity: Identity) {
  const { path, query } = split(request.target);
  const arn = `arn:aws:vpc-lattice:${identity.region}:${identity.accountId}`;
  return {
    version: "2.0",
    path,
    method: request.method,
    headers: all(grouped(request.headers, true)) ?? {},
    queryStringParameters: all(grouped(queryPairs(query, true), false)) ?? {},
    ...body(request),
    requestContext: {
      serviceNetworkArn: `${arn}:servicenetwork/sn-0123456789abcdef0`,
      serviceArn: `${arn}:service/svc-0123456789abcdef0`,
      targetGroupArn: `${arn}:targetgroup/tg-0123456789abcdef0`,
      identity: {
        sourceVpcArn: `arn:aws:ec2:${identity.region}:${identity.accountId}:vpc/vpc-local`,
      },
      region: identity.region,
      timeEpoch: `${identity.now.getTime() * 1000}`,
    },
  };
}
