/**
 * Groups the app's response header fields for a Lambda result.
 *
 * @module
 */

import type { HeaderList } from "./types.ts";

// RFC 9110 7.6.1: connection-specific fields describe the hop to the app and must not be
// forwarded. LWA drops only transfer-encoding (LWA#442, which broke `sam local`).
/** Hop-by-hop fields (RFC 9110 section 7.6.1), lowercase: never forwarded. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** Header values grouped by lowercase name in first-seen order, hop-by-hop fields removed. */
export function groupHeaders(headers: HeaderList): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const [rawName, value] of headers) {
    const name = rawName.toLowerCase();
    if (HOP_BY_HOP.has(name)) continue;
    const values = grouped.get(name);
    if (values) values.push(value);
    else grouped.set(name, [value]);
  }
  return grouped;
}

/**
 * One value per name. Repeated fields are joined with ", " as RFC 9110 5.3 allows (LWA keeps
 * only the first and drops the rest). Set-Cookie cannot be joined; callers handle it.
 */
export function singleValueHeaders(grouped: Map<string, string[]>): Record<string, string> {
  const single: Record<string, string> = {};
  for (const [name, values] of grouped) single[name] = values.join(", ");
  return single;
}

/** All values per name. */
export function multiValueHeaders(grouped: Map<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(grouped);
}
