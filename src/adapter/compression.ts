/**
 * Response compression (`AWS_LWA_ENABLE_COMPRESSION=true`): gzip or brotli, chosen by the
 * request's `Accept-Encoding`, for buffered and for streamed responses.
 *
 * It uses `node:zlib`, loaded only when compression is on (the import costs about 30 ms, which
 * would otherwise land on every cold start), because the web `CompressionStream` has no level
 * setting: its brotli runs far slower than the quality chosen here.
 *
 * @module
 */

import { concatBytes } from "../util/bytes.ts";
import { getHeader, type HeaderList } from "../http/types.ts";

/** The codings the adapter writes. */
export type Encoding = "gzip" | "br";

/** The part of `node:zlib` used here. */
export type Zlib = typeof import("node:zlib");

/** Levels measured with `bench/compression.ts` (docs/compression.md): speed matters on a small Lambda. */
export const GZIP_LEVEL = 5;
/** Brotli quality: close to gzip's speed at level 5, with smaller output. */
export const BROTLI_QUALITY = 4;
/** Below this, compression costs more than it saves (LWA's threshold too). */
export const MIN_SIZE = 32;

/** Loads `node:zlib`; called once at start-up when compression is on. */
export function loadZlib(): Promise<Zlib> {
  return import("node:zlib");
}

/**
 * Picks the encoding from `Accept-Encoding` (RFC 9110 12.5.3): the highest q-value wins, br
 * before gzip on a tie (smaller output at the levels used); `*` stands for any encoding not
 * named; `q=0` refuses. Undefined means send the body as it is.
 */
export function negotiateEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const q: Record<string, number> = {};
  for (const item of acceptEncoding.split(",")) {
    const [token = "", ...params] = item.split(";").map((part) => part.trim().toLowerCase());
    if (token === "") continue;
    let weight = 1;
    for (const param of params) {
      const match = /^q=([01](?:\.\d{0,3})?)$/.exec(param);
      if (match) weight = Math.min(1, Number(match[1]));
    }
    const name = token === "x-gzip" ? "gzip" : token;
    q[name] = Math.max(q[name] ?? 0, weight);
  }
  const star = q["*"];
  const br = q["br"] ?? star ?? 0;
  const gzip = q["gzip"] ?? star ?? 0;
  const identity = q["identity"] ?? 0;
  const best = Math.max(br, gzip);
  if (best === 0 || best < identity) return undefined;
  return br >= gzip ? "br" : "gzip";
}

/** Media types that are compressed already, or must not be touched. */
const SKIPPED_TYPES =
  /^(image\/(?!svg\+xml)|audio\/|video\/|font\/woff2?|application\/(grpc|zip|gzip|x-gzip|x-7z-compressed|x-rar-compressed|x-bzip2|zstd|wasm))/;

/**
 * Tells whether a response may be compressed at all (then `Vary: Accept-Encoding` applies,
 * whatever the client accepts). Skipped: HEAD, 1xx/204/206/304, a body already encoded, a
 * range, `Cache-Control: no-transform` (RFC 9111 5.2.2.6), compressed media types, and known
 * bodies under 32 bytes.
 */
export function isCompressible(method: string, status: number, headers: HeaderList): boolean {
  if (method === "HEAD" || status < 200 || status === 204 || status === 206 || status === 304) {
    return false;
  }
  if (getHeader(headers, "content-encoding") !== undefined) return false;
  if (getHeader(headers, "content-range") !== undefined) return false;
  if (/\bno-transform\b/i.test(getHeader(headers, "cache-control") ?? "")) return false;
  const type = (getHeader(headers, "content-type") ?? "").trim().toLowerCase();
  if (SKIPPED_TYPES.test(type)) return false;
  const length = getHeader(headers, "content-length");
  return length === undefined || !(Number(length) < MIN_SIZE);
}

/**
 * The response fields for a compressed (or compressible) body: `Vary: Accept-Encoding` always;
 * when `encoding` is set, `Content-Encoding` too, without `Content-Length` and `Accept-Ranges`
 * (they describe the uncompressed bytes), and a strong ETag made weak (RFC 9110 8.8.1).
 */
export function compressedHeaders(headers: HeaderList, encoding: Encoding | undefined): HeaderList {
  const out: HeaderList = [];
  let vary = false;
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === "vary" && /(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(value)) vary = true;
    if (encoding) {
      if (lower === "content-length" || lower === "accept-ranges") continue;
      if (lower === "etag" && !value.startsWith("W/")) {
        out.push([name, `W/${value}`]);
        continue;
      }
    }
    out.push([name, value]);
  }
  if (!vary) out.push(["vary", "Accept-Encoding"]);
  if (encoding) out.push(["content-encoding", encoding]);
  return out;
}

/** Compresses a whole body at once (buffered mode). */
export function compressBody(zlib: Zlib, body: Uint8Array, encoding: Encoding): Uint8Array {
  return encoding === "gzip"
    ? zlib.gzipSync(body, { level: GZIP_LEVEL })
    : zlib.brotliCompressSync(body, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY },
    });
}

/**
 * Compresses a stream chunk by chunk, flushing after each chunk the app wrote, so a
 * server-sent event still reaches the client on its own (LWA turns compression off when
 * streaming instead).
 */
export function compressionStream(
  zlib: Zlib,
  encoding: Encoding,
): TransformStream<Uint8Array, Uint8Array> {
  const stream = encoding === "gzip"
    ? zlib.createGzip({ level: GZIP_LEVEL })
    : zlib.createBrotliCompress({
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY },
    });
  const flushKind = encoding === "gzip"
    ? zlib.constants.Z_SYNC_FLUSH
    : zlib.constants.BROTLI_OPERATION_FLUSH;
  let pending: Uint8Array[] = [];
  let failure: unknown;
  stream.on("data", (chunk: Uint8Array) => pending.push(chunk));
  stream.on("error", (error: unknown) => failure = error);
  // One app chunk in, one compressed chunk out, so each event is one chunk on the wire.
  function drain(controller: TransformStreamDefaultController<Uint8Array>) {
    if (failure) throw failure;
    if (pending.length > 0) controller.enqueue(concatBytes(pending));
    pending = [];
  }
  return new TransformStream({
    async transform(chunk, controller) {
      stream.write(chunk);
      await new Promise<void>((resolve) => stream.flush(flushKind, () => resolve()));
      drain(controller);
    },
    async flush(controller) {
      const ended = new Promise<void>((resolve) => stream.once("end", () => resolve()));
      stream.end();
      await ended;
      drain(controller);
    },
    cancel() {
      stream.destroy();
    },
  });
}
