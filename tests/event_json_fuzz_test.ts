/**
 * Differential fuzz of the lifted body (src/events/event_json.ts, lifted_body.ts): for seeded
 * random events, parsing with the body lifted out must give what a plain `JSON.parse` gives,
 * byte for byte, or fail the same way. Bodies span several 64 KiB pieces, with escapes dense
 * enough that cuts fall beside them, astral characters raw and escaped, lone surrogates, a BOM,
 * and broken input (bytes that are not UTF-8, raw control characters, bad escapes, bad base64).
 * `TEST_SEED` replays a run; `FUZZ_CASES` sets its size.
 *
 * @module
 */

import assert from "node:assert/strict";
import { parseEventPayload } from "../src/events/event_json.ts";
import { LIFTED_BODY } from "../src/events/lifted_body.ts";
import { bodyField, isObject } from "../src/events/fields.ts";
import { InvocationError } from "../src/lambda/errors.ts";
import { Random } from "./random.ts";

const CASES = Number(Deno.env.get("FUZZ_CASES") ?? 300);
const encoder = new TextEncoder();

type Outcome = { bytes: Uint8Array } | { errorType: string; message: string };

function outcome(parse: () => unknown): Outcome {
  try {
    const event = parse();
    if (!isObject(event)) return { errorType: "not an object", message: "" };
    return { bytes: bodyField(event, "body", "isBase64Encoded") };
  } catch (error) {
    if (!(error instanceof InvocationError)) throw error;
    // JSON.parse's messages name positions, which differ between the whole and a piece.
    const message = error.message.includes("not valid JSON") ? "not valid JSON" : error.message;
    return { errorType: error.errorType, message };
  }
}

function plain(payload: Uint8Array): Outcome {
  return outcome(() => parseEventPayload(payload, Number.POSITIVE_INFINITY));
}

function lifted(payload: Uint8Array): Outcome {
  return outcome(() => parseEventPayload(payload, 0));
}

/** One piece of body text, as it appears between the quotes of a JSON string. */
function fragment(random: Random): string {
  switch (random.int(14)) {
    case 0:
      return '\\"';
    case 1:
      return "\\\\";
    case 2:
      return random.pick(["\\n", "\\t", "\\r", "\\b", "\\f", "\\/", "\\u0001", "\\u001f"]);
    case 3:
      return "\\uD83D\\uDE00"; // an escaped surrogate pair: 😀
    case 4:
      return "😀𝄞";
    case 5:
      return random.pick(["\\ud800", "\\uDC00", "\\uDBFF x"]); // lone surrogates
    case 6:
      return "José ünïcödé";
    case 7:
      return "\uFEFF";
    case 8:
      return "\\u00e9\\u20AC";
    default:
      return "abcdefghij klmnopqrstuvwxyz 0123456789".slice(0, 1 + random.int(38));
  }
}

function bodyText(random: Random, targetBytes: number): string {
  const parts: string[] = [];
  let size = 0;
  // Some bodies are all escapes, so that piece cuts land beside them.
  const dense = random.int(3) === 0;
  while (size < targetBytes) {
    const part = dense ? random.pick(["\\uD83D\\uDE00", '\\"', "\\\\", "é"]) : fragment(random);
    parts.push(part);
    size += part.length;
  }
  return parts.join("");
}

function base64Text(random: Random, bytes: number): string {
  let text = random.bytes(bytes).toBase64();
  if (random.int(4) === 0) {
    const at = random.int(text.length + 1);
    text = `${text.slice(0, at)}${random.pick(["!", "é", "=", "\\u0041"])}${text.slice(at)}`;
  }
  // Some JSON writers escape "/" (PHP's json_encode does).
  return random.int(2) === 0 ? text.replaceAll("/", "\\/") : text;
}

/** A REST-like event around `body` (the JSON text of the body's value, quotes included). */
function eventBytes(random: Random, body: string, base64: boolean): Uint8Array {
  const space = random.pick(["", " ", "\n  "]);
  const fields = [
    `"resource":${space}"/{proxy+}"`,
    `"httpMethod":"POST"`,
    `"headers":{"body":"not the body","x":"[{,\\"}]"}`,
    `"requestContext":{"body":{"body":"nested"},"path":"/p"}`,
    `"isBase64Encoded":${base64}`,
    `"body"${space}:${space}${body}`,
  ];
  const order = fields.map((field) => [random.next(), field] as const).sort((a, b) => a[0] - b[0]);
  const json = `${random.int(5) === 0 ? "\uFEFF" : ""}{${space}${
    order.map(([, field]) => field).join(`,${space}`)
  }${space}}`;
  return encoder.encode(json);
}

/** Breaks `payload` in one of the ways events arrive broken, or leaves it. */
function corrupt(random: Random, payload: Uint8Array): Uint8Array {
  const at = random.int(payload.byteLength);
  const copy = payload.slice();
  switch (random.int(8)) {
    case 0:
      copy[at] = 0xff; // not UTF-8
      return copy;
    case 1:
      copy[at] = 0x01; // a raw control character
      return copy;
    case 2:
      copy[at] = 0x5c; // a backslash where it may start a bad escape
      return copy;
    default:
      return payload;
  }
}

Deno.test("a lifted body parses exactly as JSON.parse would, for seeded random events", () => {
  const random = new Random();
  const seen = new Map<string, number>();
  const count = (kind: string) => seen.set(kind, (seen.get(kind) ?? 0) + 1);
  for (let n = 0; n < CASES; n++) {
    const base64 = random.int(4) === 0;
    const size = random.pick([0, 10, 1000, 65_530, 65_536, 70_000, 140_000, 200_000]);
    const body = base64 ? base64Text(random, Math.ceil(size * 0.75)) : bodyText(random, size);
    const value = random.int(12) === 0
      ? random.pick(["null", "42", "{}", '"x","body":"y"'])
      : `"${body}"`;
    const payload = corrupt(random, eventBytes(random, value, base64));
    const expected = plain(payload);
    assert.deepEqual(lifted(payload), expected, `case ${n} (TEST_SEED=${random.seed})`);
    count("bytes" in expected ? "body" : `${expected.errorType}: ${expected.message}`);
    if (wasLifted(payload)) count("lifted");
  }
  // The cases reached what they are for: lifted bodies, and each way of failing.
  for (const kind of KINDS) {
    assert.ok([...seen.keys()].some((key) => key.startsWith(kind)), `no case was ${kind}`);
  }
});

const KINDS = [
  "lifted",
  "body",
  "LambdaAdapter.InvalidEvent: The event payload is not valid UTF-8",
  "LambdaAdapter.InvalidEvent: not valid JSON",
  "LambdaAdapter.InvalidRequest: Invalid event field body: holds a lone s",
  "LambdaAdapter.InvalidRequest: Invalid event field body: isBase64Encoded ",
];

function wasLifted(payload: Uint8Array): boolean {
  try {
    const event = parseEventPayload(payload, 0);
    return isObject(event) && LIFTED_BODY in event;
  } catch {
    return false;
  }
}

Deno.test("a key spelt with escapes is never taken for the body, and a duplicate body is kept last", () => {
  for (
    const json of [
      '{"b\\u006fdy":"escaped key","isBase64Encoded":false}',
      '{"body":"first","body":"second"}',
      '{"body":"first","x":1,"body":"😀 second"}',
      '[{"body":"in an array"}]',
      '{"body" : "spaced" , "isBase64Encoded" : "yes"}',
    ]
  ) {
    const payload = encoder.encode(json);
    assert.deepEqual(lifted(payload), plain(payload), json);
  }
});

Deno.test("an event that is mostly structure is parsed whole, the same as JSON.parse", () => {
  // 5,000 records of structure before the body: past what findBody reads before giving up.
  const records = Array.from(
    { length: 5000 },
    (_, i) => ({ id: i, body: `{\"n\":${i},\"x\":\"😀\"}` }),
  );
  const payload = encoder.encode(JSON.stringify({ Records: records, body: "late 😀 body" }));
  assert.ok(payload.byteLength > 64 * 1024);
  assert.equal(wasLifted(payload), false);
  assert.deepEqual(lifted(payload), plain(payload));
  // The same body after little structure is lifted.
  const small = encoder.encode(
    JSON.stringify({ Records: records.slice(0, 5), body: "x".repeat(70_000) }),
  );
  assert.equal(wasLifted(small), true);
  assert.deepEqual(lifted(small), plain(small));
});
