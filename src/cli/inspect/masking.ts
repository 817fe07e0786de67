/**
 * Secrets kept off the inspector's page (unless `--inspect-show-secrets`): the values of
 * `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, `X-Api-Key` and every header
 * whose name contains `token`, wherever they appear: in the app's request and response heads,
 * and in an event's or result's `headers`, `multiValueHeaders` and `cookies` (and REST's
 * `requestContext.identity.apiKey`). Bodies are shown as they are.
 *
 * @module
 */

const SECRET_NAMES = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
]);

/** Whether a header of this name carries a secret. */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_NAMES.has(lower) || lower.includes("token");
}

/** What a masked value looks like: its length stays visible, its text does not. */
export function mask(value: string): string {
  return `****** (masked, ${new TextEncoder().encode(value).byteLength} bytes)`;
}

/** Header pairs with the secret values masked. */
export function maskHeaders(headers: readonly [string, string][]): [string, string][] {
  return headers.map(([name, value]) => [name, isSecretHeader(name) ? mask(value) : value]);
}

/** A copy of a parsed event or result with its secret header values and cookies masked. */
export function maskJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskJson);
  if (typeof value !== "object" || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if ((key === "headers" || key === "multiValueHeaders") && isRecord(field)) {
      copy[key] = maskHeaderMap(field);
    } else if (key === "cookies" && Array.isArray(field)) {
      copy[key] = field.map((cookie) => typeof cookie === "string" ? mask(cookie) : cookie);
    } else if (key === "apiKey" && typeof field === "string" && field !== "") {
      copy[key] = mask(field);
    } else {
      copy[key] = maskJson(field);
    }
  }
  return copy;
}

function maskHeaderMap(map: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(map)) {
    if (!isSecretHeader(name)) copy[name] = value;
    else if (typeof value === "string") copy[name] = mask(value);
    else if (Array.isArray(value)) {
      copy[name] = value.map((item) => typeof item === "string" ? mask(item) : item);
    } else copy[name] = value;
  }
  return copy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
