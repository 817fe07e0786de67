import assert from "node:assert/strict";
import {
  BadRequestError,
  latin1,
  parseFieldLines,
  parseRequestHead,
  requestControls,
  requestUrl,
} from "./request_head.ts";

const encoder = new TextEncoder();

function head(text: string) {
  return parseRequestHead(encoder.encode(text));
}

function status(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof BadRequestError) return error.status;
    throw error;
  }
  return undefined;
}

Deno.test("parseRequestHead() reads the request line and keeps fields in order", () => {
  const parsed = head("PATCH /a%20b?c=d HTTP/1.1\r\nHost: h\r\nX-A:  1 \r\nx-a: 2\r\nEmpty:");
  assert.deepEqual(parsed, {
    method: "PATCH",
    target: "/a%20b?c=d",
    minor: 1,
    fields: [["Host", "h"], ["X-A", "1"], ["x-a", "2"], ["Empty", ""]],
  });
  assert.equal(head("GET / HTTP/1.0").minor, 0);
  assert.equal(status(() => head("G@T / HTTP/1.1")), 400);
  assert.equal(status(() => head("GET / HTTP/3.0")), 505);
  assert.equal(status(() => head("GET /\u00e9 HTTP/1.1")), 400);
});

Deno.test("latin1() keeps every octet as one character", () => {
  const bytes = new Uint8Array([0x41, 0x80, 0x9f, 0xe9, 0xff]);
  assert.equal(latin1(bytes), "A\x80\x9f\xe9\xff");
  assert.equal(latin1(new Uint8Array(20_000).fill(0x62)).length, 20_000);
});

Deno.test("parseFieldLines() refuses what RFC 9112 5 forbids", () => {
  assert.deepEqual(parseFieldLines(["A: b", "C:\td\t"]), [["A", "b"], ["C", "d"]]);
  for (const bad of ["A b", ": b", "A : b", " folded", "A: b\x00", "A\x7f: b"]) {
    assert.equal(status(() => parseFieldLines([bad])), 400, JSON.stringify(bad));
  }
});

Deno.test("requestControls() frames bodies as RFC 9112 6.3 says", () => {
  const controls = (text: string) => requestControls(head(`POST / HTTP/1.1\r\nHost: h${text}`));
  assert.deepEqual(controls("").framing, { length: 0 });
  assert.deepEqual(controls("\r\nContent-Length: 12").framing, { length: 12 });
  assert.deepEqual(controls("\r\nContent-Length: 5, 5").framing, { length: 5 });
  assert.equal(controls("\r\nTransfer-Encoding: Chunked").framing, "chunked");
  assert.equal(status(() => controls("\r\nContent-Length: -1")), 400);
  assert.equal(status(() => controls("\r\nContent-Length: 1234567890123456")), 400);
  assert.equal(status(() => controls("\r\nTransfer-Encoding: identity")), 400);
  assert.equal(
    status(() => controls("\r\nTransfer-Encoding: br\r\nTransfer-Encoding: chunked")),
    501,
  );
});

Deno.test("requestControls() reads Connection, Expect and Host", () => {
  const of = (text: string) => requestControls(head(text));
  assert.deepEqual(of("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Close"), {
    framing: { length: 0 },
    host: "h",
    close: true,
    expectContinue: false,
  });
  assert.equal(of("GET / HTTP/1.0").close, true);
  assert.equal(of("GET / HTTP/1.0\r\nConnection: keep-alive").close, false);
  assert.equal(of("GET / HTTP/1.0").host, undefined);
  assert.equal(of("PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue").expectContinue, true);
  assert.equal(of("PUT / HTTP/1.0\r\nExpect: 100-continue").expectContinue, false);
  assert.equal(status(() => of("GET / HTTP/1.1")), 400);
});

Deno.test("requestUrl() joins origin form with Host and takes absolute form as is", () => {
  assert.equal(
    requestUrl("/p?q", "example.test:8080", "127.0.0.1:1"),
    "http://example.test:8080/p?q",
  );
  assert.equal(requestUrl("//p", "h", "x"), "http://h//p");
  assert.equal(requestUrl("/p", "", "127.0.0.1:9"), "http://127.0.0.1:9/p");
  assert.equal(requestUrl("/p", undefined, "[::1]:9"), "http://[::1]:9/p");
  assert.equal(requestUrl("http://other/x", "h", "x"), "http://other/x");
  assert.equal(status(() => requestUrl("/p", "a b", "x")), 400);
  assert.equal(status(() => requestUrl("/p", "user@h", "x")), 400);
  assert.equal(status(() => requestUrl("*", "h", "x")), 400);
  assert.equal(status(() => requestUrl("h:443", "h", "x")), 400);
});
