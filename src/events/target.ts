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
 * The origin-form target, encoded by WHATWG URL rules as LWA's `url` crate does: spaces,
 * quotes and non-ASCII percent-encoded, existing `%XX` kept, dot segments resolved, `\` read as
 * `/`. The query is sent as given, with only characters that cannot appear in it encoded.
 */
export function requestTarget(path: string, query: string): string {
  const url = new URL("http://app");
  url.pathname = path;
  if (query !== "") url.search = query.startsWith("?") ? `?${query}` : query;
  return url.pathname + url.search;
}
