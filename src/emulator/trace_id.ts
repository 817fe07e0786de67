/**
 * X-Ray trace header values for `Lambda-Runtime-Trace-Id` and the INVOKE event's `tracing`.
 *
 * @module
 */

// A byte-to-hex table: this runs for every invocation, inside benchmark measurements.
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/** Returns `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  const buffer = crypto.getRandomValues(new Uint8Array(bytes));
  let hex = "";
  for (const byte of buffer) hex += HEX[byte];
  return hex;
}

/**
 * Generates a trace header in the X-Ray format Lambda hands to the runtime: the root id is
 * `1-<epoch seconds as 8 hex digits>-<96-bit random>`, the parent a 64-bit segment id. Sampled
 * is 0 because nothing here collects traces.
 */
export function generateTraceId(nowMs: number = Date.now()): string {
  const seconds = Math.floor(nowMs / 1000).toString(16).padStart(8, "0");
  return `Root=1-${seconds}-${randomHex(12)};Parent=${randomHex(8)};Sampled=0`;
}
