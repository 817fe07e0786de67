/**
 * The toolkit of tests/support/lwa_differences*.ts: what an entry sees and the small helpers
 * every entry uses to look into a pair of views.
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

/** Connection-specific fields (RFC 9110 7.6.1), as this adapter drops them. */
export const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "upgrade",
];
/** The headers the adapter sets on every request. */
export const ADAPTER_HEADERS = [
  "x-amzn-request-context",
  "x-amzn-lambda-context",
  "x-amzn-trace-id",
  "x-amz-tenant-id",
];

/** A JSON object. */
export type Json = Record<string, unknown>;

/** A JSON object (not an array, not null). */
export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Equal as JSON values, whatever the key order. */
export function same(a: unknown, b: unknown): boolean {
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
export function onlyRequests(lwa: View, ours: View): [RequestView, RequestView] | undefined {
  if (lwa.requests.length !== 1 || ours.requests.length !== 1) return undefined;
  return [lwa.requests[0]!, ours.requests[0]!];
}

/** Applies `fix` to each pair of requests; true when any call returned true. */
export function eachRequest(
  lwa: View,
  ours: View,
  fix: (lwa: RequestView, ours: RequestView) => boolean,
): boolean {
  const pair = onlyRequests(lwa, ours);
  return pair ? fix(pair[0], pair[1]) : false;
}

/** The path of a request target. */
export function pathOf(target: string): string {
  const at = target.indexOf("?");
  return at === -1 ? target : target.slice(0, at);
}

/** The query of a request target, without `?`. */
export function queryOf(target: string): string {
  const at = target.indexOf("?");
  return at === -1 ? "" : target.slice(at + 1);
}

/** Decoded query pairs, sorted by key (stable: values of one key keep their order). */
export function queryPairs(query: string): string {
  const pairs = [...new URLSearchParams(query)];
  pairs.sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return JSON.stringify(pairs);
}

/** The pass-through path of the case's settings, as LWA (and this adapter) normalise it. */
export function passThroughPath(c: CaseContext): string {
  const url = new URL("http://h/");
  url.pathname = c.env.AWS_LWA_PASS_THROUGH_PATH || "/events";
  return url.pathname;
}

/** LWA POSTed the event to the pass-through path, as it does for anything it cannot type. */
export function lwaPassedThrough(lwa: View, c: CaseContext): boolean {
  const request = lwa.requests[0];
  return lwa.requests.length === 1 && request!.method === "POST" &&
    request!.target === passThroughPath(c) && request!.context.request === null;
}

/** Replaces `ours` wholesale with `lwa`'s content (a whole-case difference). */
export function adopt(lwa: View, ours: View): true {
  ours.requests = structuredClone(lwa.requests);
  ours.result = structuredClone(lwa.result);
  return true;
}

/** `lwa` holds nothing `ours` lacks, except null or empty defaults LWA's typed structs add. */
export function containedIn(lwa: unknown, ours: unknown): boolean {
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

/** The view's result when it is of `kind`. */
export function result<K extends ResultView["kind"]>(
  view: View,
  kind: K,
): Extract<ResultView, { kind: K }> | undefined {
  return view.result.kind === kind ? view.result as Extract<ResultView, { kind: K }> : undefined;
}

/** The app's values of a response header, in order. */
export function appValues(c: CaseContext, name: string): string[] {
  return (c.response.headers ?? []).filter(([field]) => field.toLowerCase() === name)
    .map(([, value]) => value);
}

/** A UTF-8 decoder that throws on bytes that are not UTF-8. */
export const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The differences, most sweeping first. */

/** The bytes a gzip or brotli body decodes to, as base64; undefined when it does not decode. */
export function decompress(encoding: string, base64: string): string | undefined {
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
