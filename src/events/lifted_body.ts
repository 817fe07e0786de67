/**
 * A JSON string's contents turned into bytes piece by piece, never into one large string (why:
 * event_json.ts). Each piece of about 64 KiB is decoded as strict UTF-8 and parsed by
 * `JSON.parse` as a string of its own, so what is valid, what is an error and what a lone
 * surrogate is stay exactly `JSON.parse`'s; pieces are cut only where no escape, no UTF-8
 * sequence and no escaped surrogate pair is split.
 *
 * @module
 */

/** A request body lifted out of its event: its UTF-8 bytes, unescaped. */
export interface LiftedBody {
  /** The text as UTF-8 (the payload's own bytes when the string had no escapes). */
  readonly bytes: Uint8Array;
  /** False when the text holds a lone surrogate (`"\ud800"`), which no request can carry. */
  readonly wellFormed: boolean;
}

/** Where a parsed event keeps its lifted body (a symbol: no JSON key can collide with it). */
export const LIFTED_BODY: unique symbol = Symbol("lifted body");

const PIECE = 64 * 1024;
const BACKSLASH = 0x5c;
const LETTER_U = 0x75;
const encoder = new TextEncoder();

/**
 * Unescapes the contents of a JSON string (the bytes between its quotes). Throws `TypeError`
 * for bytes that are not UTF-8 and `SyntaxError` for what JSON does not allow in a string.
 */
export function unescapeBody(raw: Uint8Array): LiftedBody {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const escaped = raw.includes(BACKSLASH);
  // Unescaping never lengthens: an escape is at least as long as the UTF-8 it stands for.
  const out = escaped ? new Uint8Array(raw.byteLength) : raw;
  let written = 0;
  let wellFormed = true;
  let syntaxError: unknown;
  for (const [start, end] of pieces(raw)) {
    const text = decoder.decode(raw.subarray(start, end), { stream: end < raw.byteLength });
    if (syntaxError) continue; // only bytes that are not UTF-8 would still change the error
    try {
      const value: string = JSON.parse(`"${text}"`);
      if (wellFormed && !value.isWellFormed()) wellFormed = false;
      if (escaped) written += encoder.encodeInto(value, out.subarray(written)).written;
    } catch (error) {
      syntaxError = error;
    }
  }
  if (syntaxError) throw syntaxError;
  return { bytes: escaped ? out.subarray(0, written) : raw, wellFormed };
}

/**
 * Decodes base64 held as ASCII bytes, piece by piece into one buffer (as `Uint8Array.fromBase64`
 * would from the string). Throws `SyntaxError` when it is not base64.
 */
export function base64FromBytes(ascii: Uint8Array): Uint8Array {
  const decoder = new TextDecoder("latin1");
  const out = new Uint8Array(Math.ceil(ascii.byteLength / 4) * 3);
  let written = 0;
  let carry = "";
  for (let start = 0; start < ascii.byteLength; start += PIECE) {
    const text = carry + decoder.decode(ascii.subarray(start, start + PIECE));
    const done = out.subarray(written).setFromBase64(text, {
      lastChunkHandling: "stop-before-partial",
    });
    written += done.written;
    carry = text.slice(done.read);
  }
  written += out.subarray(written).setFromBase64(carry).written;
  return out.subarray(0, written);
}

/**
 * Cuts `raw` into pieces of about {@link PIECE} bytes, each ending where no escape and no escaped
 * surrogate pair is split (see {@link safeCut}). A cut may split a UTF-8 sequence; the streaming
 * decoder joins it.
 */
function* pieces(raw: Uint8Array): Generator<[number, number]> {
  let start = 0;
  while (raw.byteLength - start > PIECE) {
    let cut = -1;
    for (let at = start + PIECE; cut < 0 && at < raw.byteLength; at += PIECE) {
      cut = safeCut(raw, at, start);
    }
    if (cut < 0) break;
    yield [start, cut];
    start = cut;
  }
  yield [start, raw.byteLength];
}

/**
 * A cut at `at` or a little before it, after `start`, or -1. An escape is at most 6 bytes, so
 * without a backslash in the 6 bytes before `at` none is split; otherwise the cut moves back to
 * where that run of backslashes starts (always an escape's start), and before a high surrogate's
 * escape when it is the first half of a pair. Only a run of backslashes longer than a piece
 * (escaped backslashes) is cut inside, between two of its escapes.
 */
function safeCut(raw: Uint8Array, at: number, start: number): number {
  let last = at - 1;
  while (last >= at - 6 && raw[last] !== BACKSLASH) last--;
  if (last < at - 6) return at;
  let run = last;
  while (run > 0 && raw[run - 1] === BACKSLASH) run--;
  let cut = run;
  if (run <= start) {
    let end = last + 1;
    while (raw[end] === BACKSLASH) end++;
    cut = run + Math.min(2 * Math.floor((at - run) / 2), 2 * Math.floor((end - run - 1) / 2));
  } else if (escapesHighSurrogate(raw, run - 6) && isSurrogateEscape(raw, run, 0x63)) {
    cut = run - 6;
  }
  return cut > start ? cut : -1;
}

/** Whether an escape of a high surrogate (`\uD800` to `\uDBFF`) starts at `at`. */
function escapesHighSurrogate(raw: Uint8Array, at: number): boolean {
  if (at < 0 || !isSurrogateEscape(raw, at, 0x38)) return false;
  let before = 0;
  while (raw[at - 1 - before] === BACKSLASH) before++;
  return before % 2 === 0;
}

/**
 * Whether `\uD` followed by a digit of the half at `at`: `0x38` for a high surrogate's (8 to B),
 * `0x63` for a low one's (C to F). Hex digits compare in lower case.
 */
function isSurrogateEscape(raw: Uint8Array, at: number, half: 0x38 | 0x63): boolean {
  if (raw[at] !== BACKSLASH || raw[at + 1] !== LETTER_U || (raw[at + 2]! | 0x20) !== 0x64) {
    return false;
  }
  const digit = raw[at + 3]! | 0x20;
  return half === 0x38
    ? digit === 0x38 || digit === 0x39 || digit === 0x61 || digit === 0x62
    : digit === 0x63 || digit === 0x64 || digit === 0x65 || digit === 0x66;
}
