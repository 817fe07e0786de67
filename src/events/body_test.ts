import assert from "node:assert/strict";
import type { HeaderList } from "../http/types.ts";
import {
  bodyFields,
  decodeTextLossy,
  decodeUtf8,
  isTextResponse,
  mediaTypeMatches,
} from "./body.ts";
import { serializeResult } from "./result_json.ts";

const NONE = { binaryMediaTypes: [] };
const utf8 = new TextEncoder();

Deno.test("isTextResponse() follows LWA's rules in LWA's order", async (t) => {
  const cases: [string, HeaderList, boolean][] = [
    ["no content-type", [], true],
    ["text/html", [["content-type", "text/html; charset=utf-8"]], true],
    ["text/event-stream", [["content-type", "text/event-stream"]], true],
    ["application/json", [["content-type", "application/json"]], true],
    ["application/javascript", [["content-type", "application/javascript"]], true],
    ["application/xml", [["content-type", "application/xml"]], true],
    ["application/yaml", [["content-type", "application/yaml"]], true],
    ["+json suffix", [["content-type", "application/graphql-response+json; charset=utf-8"]], true],
    ["+xml suffix", [["content-type", "image/svg+xml"]], true],
    ["+yaml suffix", [["content-type", "custom/vnd+yaml"]], true],
    ["case-insensitive type", [["Content-Type", "Application/JSON"]], true],
    ["image/png", [["content-type", "image/png"]], false],
    ["octet-stream", [["content-type", "application/octet-stream"]], false],
    ["application/pdf", [["content-type", "application/pdf"]], false],
    ["any content-encoding", [["content-type", "text/plain"], ["content-encoding", "gzip"]], false],
    ["identity encoding still binary", [["content-type", "text/plain"], [
      "content-encoding",
      "identity",
    ]], false],
    [
      "forced text",
      [["content-type", "image/png"], ["x-lambda-http-content-encoding", "text"]],
      true,
    ],
  ];
  for (const [name, headers, text] of cases) {
    await t.step(name, () => assert.equal(isTextResponse(headers, NONE), text));
  }
});

Deno.test("isTextResponse() sends the configured media types base64 (LWA#451)", () => {
  const options = { binaryMediaTypes: ["image/*", "application/json"] };
  assert.equal(isTextResponse([["content-type", "image/svg+xml"]], options), false);
  assert.equal(
    isTextResponse([["content-type", "application/json; charset=utf-8"]], options),
    false,
  );
  assert.equal(isTextResponse([["content-type", "text/html"]], options), true);
  assert.equal(mediaTypeMatches("*/*", "text/html"), true);
  assert.equal(mediaTypeMatches("image/*", "imagex/png"), false);
});

Deno.test("bodyFields() with serializeResult() never sends bytes that are not UTF-8 as text", async (t) => {
  const cases: [string, HeaderList, Uint8Array, { body: string; isBase64Encoded: boolean }][] = [
    ["empty", [["content-type", "image/png"]], new Uint8Array(), {
      body: "",
      isBase64Encoded: false,
    }],
    ["utf-8 text", [["content-type", "text/plain"]], utf8.encode("héllo ✓"), {
      body: "héllo ✓",
      isBase64Encoded: false,
    }],
    [
      "leading BOM dropped, as LWA does",
      [["content-type", "text/plain"]],
      new Uint8Array([
        0xef,
        0xbb,
        0xbf,
        0x61,
      ]),
      { body: "a", isBase64Encoded: false },
    ],
    ["inner BOM kept", [["content-type", "text/plain"]], utf8.encode("a\ufeffb"), {
      body: "a\ufeffb",
      isBase64Encoded: false,
    }],
    ["only a BOM", [], new Uint8Array([0xef, 0xbb, 0xbf]), { body: "", isBase64Encoded: false }],
    [
      "latin-1 text",
      [["content-type", "text/plain; charset=iso-8859-1"]],
      new Uint8Array([0x63, 0x61, 0x66, 0xe9]),
      { body: "Y2Fm6Q==", isBase64Encoded: true },
    ],
    ["binary without type", [], new Uint8Array([0xff, 0x00, 0x80]), {
      body: "/wCA",
      isBase64Encoded: true,
    }],
    ["png", [["content-type", "image/png"]], new Uint8Array([0x89, 0x50]), {
      body: "iVA=",
      isBase64Encoded: true,
    }],
  ];
  for (const [name, headers, body, expected] of cases) {
    await t.step(name, () => assert.deepEqual(encoded(headers, body), expected));
  }
});

Deno.test("decodeTextLossy() decodes as lambda_http does: BOM first, then charset, then UTF-8", async (t) => {
  const cases: [string, HeaderList, number[], string][] = [
    ["utf-8", [], [...utf8.encode("é😀")], "é😀"],
    ["utf-8 BOM dropped", [], [0xef, 0xbb, 0xbf, 0x7b, 0x7d], "{}"],
    ["latin-1 charset", [["content-type", "text/plain; charset=ISO-8859-1"]], [0x63, 0xe9], "cé"],
    ["quoted charset", [["content-type", 'text/plain; charset="utf-16le"']], [0x61, 0x00], "a"],
    ["BOM wins over charset", [["content-type", "text/plain; charset=latin1"]], [
      0xef,
      0xbb,
      0xbf,
      0xc3,
      0xa9,
    ], "é"],
    ["utf-16 BOM", [], [0xff, 0xfe, 0x61, 0x00], "a"],
    [
      "unknown charset is utf-8",
      [["content-type", "text/plain; charset=bogus"]],
      [0xc3, 0xa9],
      "é",
    ],
    [
      "invalid bytes become U+FFFD",
      [],
      [0x61, 0xff, 0xed, 0xa0, 0x80],
      "a\ufffd\ufffd\ufffd\ufffd",
    ],
  ];
  for (const [name, headers, bytes, text] of cases) {
    await t.step(name, () => assert.equal(decodeTextLossy(headers, new Uint8Array(bytes)), text));
  }
});

/** The body fields as a result carries them once serialised. */
function encoded(headers: HeaderList, body: Uint8Array) {
  const bytes = serializeResult(
    (forceBase64) => bodyFields(headers, body, forceBase64 ? { ...NONE, forceBase64 } : NONE),
    body,
  );
  return JSON.parse(new TextDecoder().decode(bytes));
}

Deno.test("decodeUtf8() tells UTF-8 from bytes that are not, a real U+FFFD included", () => {
  const encoder = new TextEncoder();
  assert.equal(decodeUtf8(encoder.encode("héllo 💳")), "héllo 💳");
  assert.equal(decodeUtf8(encoder.encode("a \uFFFD b")), "a \uFFFD b");
  assert.equal(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), "\uFEFFa");
  assert.equal(decodeUtf8(new Uint8Array([0x61, 0xff])), undefined);
  assert.equal(decodeUtf8(new Uint8Array([0xed, 0xa0, 0x80])), undefined, "an encoded surrogate");
  assert.equal(decodeUtf8(new Uint8Array([0xf0, 0x9f])), undefined, "a cut sequence");
});
