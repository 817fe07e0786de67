/**
 * What the inspector's page receives: a record as JSON, with bodies cut to what a page shows
 * (the rest is a download), text when they are UTF-8, and secrets masked unless asked not to.
 *
 * @module
 */

import { decodeUtf8 } from "../../events/body.ts";
import { maskHeaders, maskJson } from "./masking.ts";
import {
  type CapturedBody,
  type InvocationRecord,
  type LambdaResult,
  summaryOf,
} from "./record.ts";
import type { BodyView, DetailView, ResultView } from "./view_shapes.ts";

/** How much of a body the page shows; the whole of what is kept is a download. */
export const SHOWN_BYTES = 64 * 1024;
/** How many chunk timings the page lists. */
const SHOWN_CHUNKS = 500;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** How bodies and heads are shown. */
export interface ViewOptions {
  /** Show events, results and headers unmasked (`--inspect-show-secrets`). */
  readonly showSecrets: boolean;
}

/**
 * A body for the page: its first bytes as base64, as text when UTF-8 (indented when JSON), and
 * its sizes. An event or a result (`lambda`) is shown with its secrets masked, in every view,
 * unless asked not to; one too large to parse whole is then not shown at all. The app's bodies
 * are shown as they are.
 */
export function bodyView(body: CapturedBody, lambda: boolean, options: ViewOptions): BodyView {
  const masking = lambda && !options.showSecrets;
  const parsed = body.truncated ? undefined : parseJson(body.bytes);
  const masked = masking && parsed !== undefined ? maskJson(parsed) : undefined;
  const hidden = masking && parsed === undefined && body.truncated;
  const content = hidden
    ? new Uint8Array()
    : masked !== undefined
    ? encoder.encode(JSON.stringify(masked))
    : body.bytes;
  const shown = content.subarray(0, SHOWN_BYTES);
  return {
    size: body.size,
    kept: body.kept,
    truncated: body.truncated,
    dropped: body.dropped,
    hidden,
    shown: shown.byteLength,
    base64: shown.toBase64(),
    text: textOf(shown, shown.byteLength < content.byteLength),
    json: parsed === undefined ? null : JSON.stringify(masked ?? parsed, null, 2),
  };
}

function parseJson(bytes: Uint8Array): unknown {
  // Cheap refusal first: only what starts like a JSON object or array is parsed.
  const first = bytes.find((byte) =>
    byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09
  );
  if (first !== 0x7b && first !== 0x5b) return undefined;
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined;
  }
}

/** The bytes as text, if UTF-8; a cut may end inside a character, which is then left off. */
function textOf(bytes: Uint8Array, cut: boolean): string | null {
  for (let drop = 0; drop <= (cut ? 3 : 0); drop++) {
    const text = decodeUtf8(bytes.subarray(0, bytes.byteLength - drop));
    if (text !== undefined) return text;
  }
  return null;
}

/** The whole record for the page. */
export function detailView(record: InvocationRecord, options: ViewOptions): DetailView {
  const headers = (list: [string, string][]) => options.showSecrets ? list : maskHeaders(list);
  const { appRequest, appResponse } = record;
  return {
    ...summaryOf(record),
    report: record.report ?? null,
    logs: record.logs,
    replayable: !record.event.truncated,
    event: bodyView(record.event, true, options),
    appRequest: appRequest
      ? {
        method: appRequest.method,
        target: appRequest.target,
        version: appRequest.version,
        headers: headers(appRequest.headers),
        body: bodyView(appRequest.body, false, options),
      }
      : null,
    appResponse: appResponse
      ? {
        status: appResponse.status,
        reason: appResponse.reason,
        headers: headers(appResponse.headers),
        body: bodyView(appResponse.body, false, options),
        chunks: appResponse.chunks.slice(0, SHOWN_CHUNKS),
        chunkCount: appResponse.chunks.length,
        trailers: headers(appResponse.trailers),
        complete: appResponse.complete,
      }
      : null,
    result: record.result ? resultView(record.result, options) : null,
  };
}

function resultView(result: LambdaResult, options: ViewOptions): ResultView {
  switch (result.kind) {
    case "buffered":
      return { kind: result.kind, body: bodyView(result.body, true, options) };
    case "error":
      return {
        kind: result.kind,
        errorType: result.errorType,
        errorMessage: result.errorMessage,
        body: bodyView(result.body, true, options),
      };
    case "stream":
      return {
        kind: result.kind,
        contentType: result.contentType,
        prelude: options.showSecrets ? result.prelude ?? null : maskJson(result.prelude ?? null),
        chunks: result.chunks.slice(0, SHOWN_CHUNKS),
        chunkCount: result.chunks.length,
        bodyBytes: result.bodyBytes,
        trailers: result.trailers,
        errorType: result.errorType ?? null,
        errorMessage: result.errorMessage ?? null,
      };
  }
}

/** The bytes a download gives: JSON bodies (events, results) with their secrets masked. */
export function downloadBytes(body: CapturedBody, json: boolean, options: ViewOptions): Uint8Array {
  if (!json || options.showSecrets) return body.bytes;
  const parsed = body.truncated ? undefined : parseJson(body.bytes);
  if (parsed === undefined) return body.truncated ? new Uint8Array() : body.bytes;
  return encoder.encode(JSON.stringify(maskJson(parsed), null, 2));
}
