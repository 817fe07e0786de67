import assert from "node:assert/strict";
import { HttpProtocolError } from "./errors.ts";
import type { HeaderList, OutgoingRequest } from "./types.ts";
import {
  buildRequestHead,
  parseResponseHead,
  requestFraming,
  responseDisposition,
  validateFields,
} from "./wire.ts";

const encoder = new TextEncoder();

function head(request: Partial<OutgoingRequest>): string {
  const req = { method: "GET", target: "/", headers: [], ...request };
  return buildRequestHead(req, "127.0.0.1:8080", requestFraming(req)).text;
}

function parse(text: string) {
  return parseResponseHead(encoder.encode(text));
}

Deno.test("buildRequestHead() keeps fields in order, repeated and with their case", () => {
  const headers: HeaderList = [["X-B", "1"], ["x-a", "2"], ["X-B", "3"], ["Host", "example.com"]];
  assert.equal(
    head({ headers }),
    "GET / HTTP/1.1\r\nX-B: 1\r\nx-a: 2\r\nX-B: 3\r\nHost: example.com\r\n\r\n",
  );
});

Deno.test("buildRequestHead() adds Host only when absent", () => {
  assert.equal(head({}), "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n");
  assert.equal(head({ headers: [["hOsT", "a:1"]] }), "GET / HTTP/1.1\r\nhOsT: a:1\r\n\r\n");
});

Deno.test("buildRequestHead() replaces the caller's framing fields", () => {
  const headers: HeaderList = [["Content-Length", "99"], ["transfer-encoding", "gzip"]];
  const body = new Uint8Array(3);
  assert.equal(
    head({ method: "PUT", headers, body }),
    "PUT / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Length: 3\r\n\r\n",
  );
  assert.match(
    head({ method: "POST", headers, body: new Blob([]).stream() }),
    /\r\nTransfer-Encoding: chunked\r\n\r\n$/,
  );
});

Deno.test("requestFraming() follows RFC 9110 8.6 for empty bodies", () => {
  for (const method of ["GET", "HEAD", "DELETE", "OPTIONS", "TRACE"]) {
    assert.equal(requestFraming({ method, target: "/", headers: [] }), "none");
    assert.equal(
      requestFraming({ method, target: "/", headers: [], body: new Uint8Array() }),
      "none",
    );
  }
  for (const method of ["POST", "PUT", "PATCH", "PURGE"]) {
    assert.deepEqual(requestFraming({ method, target: "/", headers: [], body: null }), {
      length: 0,
    });
  }
  const body = new Uint8Array(2);
  assert.deepEqual(requestFraming({ method: "GET", target: "/", headers: [], body }), {
    length: 2,
  });
});

Deno.test("buildRequestHead() notes a caller's Connection: close", () => {
  const req = { method: "GET", target: "/", headers: [["Connection", "keep-alive, Close"]] };
  assert.equal(buildRequestHead(req as OutgoingRequest, "h:1", "none").close, true);
  assert.equal(buildRequestHead({ ...req, headers: [] }, "h:1", "none").close, false);
});

Deno.test("buildRequestHead() rejects invalid methods, targets, names and values", () => {
  const cases: Partial<OutgoingRequest>[] = [
    { method: "GE T" },
    { method: "" },
    { target: "/a b" },
    { target: "/a\r\nX: y" },
    { target: "" },
    { headers: [["X-A", "1\r\nX-Injected: 2"]] },
    { headers: [["X-A", "a\nb"]] },
    { headers: [["X-A", "a\0b"]] },
    { headers: [["X-A", "a\x7fb"]] },
    { headers: [["X A", "1"]] },
    { headers: [["", "1"]] },
    { headers: [["X-A:", "1"]] },
  ];
  for (const request of cases) assert.throws(() => head(request), TypeError);
  assert.doesNotThrow(() => head({ headers: [["X-A", "tab\there, üñí"]] }));
  assert.throws(() => validateFields([["X-T", "\r"]], "trailer field"), /trailer field value/);
});

Deno.test("parseResponseHead() reads the status line, with or without a reason", () => {
  assert.deepEqual(parse("HTTP/1.1 200 OK"), {
    minor: 1,
    status: 200,
    statusText: "OK",
    headers: [],
  });
  assert.equal(parse("HTTP/1.1 204 ").statusText, "");
  assert.equal(parse("HTTP/1.0 404").statusText, "");
  assert.equal(parse("HTTP/1.0 404").minor, 0);
  assert.equal(parse("HTTP/1.1 500 Internal  Server Error").statusText, "Internal  Server Error");
  for (const line of ["HTTP/2 200 OK", "HTTP/1.1 20 OK", "garbage", "http/1.1 200 OK", ""]) {
    assert.throws(() => parse(line), HttpProtocolError, line);
  }
});

Deno.test("parseResponseHead() keeps repeated fields apart and trims only OWS", () => {
  const { headers } = parse(
    "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nX-Sp: \t v \t\r\nX-E:\r\nX-U: é",
  );
  assert.deepEqual(headers, [
    ["Set-Cookie", "a=1"],
    ["set-cookie", "b=2"],
    ["X-Sp", "v"],
    ["X-E", ""],
    ["X-U", "é"],
  ]);
});

Deno.test("parseResponseHead() rejects obs-fold and invalid field lines", () => {
  for (
    const text of [
      "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded",
      "HTTP/1.1 200 OK\r\nX-A: 1\r\n\tfolded",
      "HTTP/1.1 200 OK\r\nno colon",
      "HTTP/1.1 200 OK\r\nX A: 1",
      "HTTP/1.1 200 OK\r\nX-A : 1",
      "HTTP/1.1 200 OK\r\n: 1",
      "HTTP/1.1 200 OK\r\nX-A: 1\nX-B: 2",
      "HTTP/1.1 200 OK\r\nX-A: a\0b",
    ]
  ) {
    assert.throws(() => parse(text), HttpProtocolError, JSON.stringify(text));
  }
  assert.throws(() => parse("HTTP/1.1 200 OK\r\n folded"), /Obsolete line folding/);
});

Deno.test("responseDisposition() applies RFC 9112 6.3", () => {
  const of = (text: string, method = "GET") => responseDisposition(parse(text), method);
  assert.deepEqual(of("HTTP/1.1 200 OK\r\nContent-Length: 5"), {
    framing: { length: 5 },
    keepAlive: true,
  });
  assert.deepEqual(of("HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\nContent-Length: 5").framing, {
    length: 5,
  });
  assert.deepEqual(of("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked"), {
    framing: "chunked",
    keepAlive: true,
  });
  assert.deepEqual(of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip"), {
    framing: "close",
    keepAlive: false,
  });
  assert.deepEqual(of("HTTP/1.1 200 OK"), { framing: "close", keepAlive: false });
  assert.deepEqual(of("HTTP/1.1 200 OK\r\nContent-Length: 5", "HEAD").framing, "none");
  assert.deepEqual(of("HTTP/1.1 204 No Content\r\nContent-Length: 5").framing, "none");
  assert.deepEqual(of("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked").framing, "none");
  assert.equal(of("HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0").keepAlive, false);
  assert.equal(of("HTTP/1.0 200 OK\r\nContent-Length: 0").keepAlive, false);
  assert.equal(
    of("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0").keepAlive,
    true,
  );
  assert.equal(of("HTTP/1.0 200 OK\r\nConnection: keep-alive").keepAlive, false);
  assert.deepEqual(of("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked"), {
    framing: "close",
    keepAlive: false,
  });
  for (
    const bad of [
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6",
      "HTTP/1.1 200 OK\r\nContent-Length: 5, 6",
      "HTTP/1.1 200 OK\r\nContent-Length: -1",
      "HTTP/1.1 200 OK\r\nContent-Length: 0x10",
      "HTTP/1.1 200 OK\r\nContent-Length: ",
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked",
    ]
  ) {
    assert.throws(() => of(bad), HttpProtocolError, JSON.stringify(bad));
  }
});
