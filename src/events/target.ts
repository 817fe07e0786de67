/**
 * The request target the app receives: the event's path with the base path removed, encoded for
 * the wire, plus the query.
 *
 * @module
 */

/**
 * Strips the base path on whole segments only: `/prod` strips `/prod` and `/prod/x` but never
 * `/production` (LWA trims the raw prefix, turning `/production` into `/uction`).
 */
export function removeBasePath(path: string, base: string | undefined): string {
  if (!base) return path;
  if (path === base) return "/";
  if (path.startsWith(base) && path[base.length] === "/") return path.slice(base.length);
  return path;
}

/**
 * The origin-form target: the path as the event gives it, with only what cannot appear in a
 * request target percent-encoded, plus the query.
 *
 * Dot segments are kept, encoded or literal: API Gateway matched its route (and ran that route's
 * authorizer) on this very path, so `/public/%2e%2e/admin` must reach the app as it is, never as
 * `/admin` (LWA resolves them, through rust-url). `\` is encoded rather than read as `/` for the
 * same reason. Otherwise the encoding is WHATWG's, as LWA's: spaces, quotes and non-ASCII are
 * percent-encoded, existing `%XX` kept.
 */
export function requestTarget(path: string, query: string): string {
  const encodedPath = percentEncode(path, PATH_UNSAFE);
  const target = encodedPath.startsWith("/") ? encodedPath : `/${encodedPath}`;
  if (query === "") return target;
  return `${target}?${percentEncode(query, QUERY_UNSAFE)}`;
}

// WHATWG URL's path percent-encode set (controls, space, " # < > ? ` { }, DEL and above) plus
// the backslash; and its special-query set (controls, space, " # < > ', DEL and above).
// deno-lint-ignore no-control-regex -- controls are what must be encoded
const PATH_UNSAFE = /[\x00-\x20"#<>?`{}\\\x7f-\uffff]/;
// deno-lint-ignore no-control-regex -- controls are what must be encoded
const QUERY_UNSAFE = /[\x00-\x20"#<>'\x7f-\uffff]/;
const HEX = "0123456789ABCDEF";
const utf8 = new TextEncoder();

/** Percent-encodes, as UTF-8, every character `unsafe` matches. */
function percentEncode(text: string, unsafe: RegExp): string {
  if (!unsafe.test(text)) return text;
  let out = "";
  for (const char of text) {
    if (!unsafe.test(char)) {
      out += char;
      continue;
    }
    for (const byte of utf8.encode(char)) out += `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}
