import assert from "node:assert/strict";
import { closedByPeer, readResponse, withServer } from "../../tests/support/raw_http_server.ts";

const CASES: [what: string, wire: string, status: number][] = [
  ["garbage", "GARBAGE\r\n\r\n", 400],
  ["a lower-case version", "GET / http/1.1\r\nHost: h\r\n\r\n", 400],
  ["two spaces in the request line", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400],
  ["HTTP/2", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505],
  ["a field line without colon", "GET / HTTP/1.1\r\nHost: h\r\nBad Header\r\n\r\n", 400],
  ["space before the colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400],
  ["obsolete line folding", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", 400],
  ["a control character in a value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x01b\r\n\r\n", 400],
  ["no Host", "GET / HTTP/1.1\r\n\r\n", 400],
  ["two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400],
  ["a bad Host", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400],
  ["authority form", "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n", 400],
  ["a forbidden method", "TRACE / HTTP/1.1\r\nHost: h\r\n\r\n", 501],
  [
    "Transfer-Encoding with Content-Length",
    "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
    400,
  ],
  [
    "chunked not last",
    "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
    400,
  ],
  [
    "an unknown coding",
    "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
    501,
  ],
  ["chunked in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400],
  ["a bad Content-Length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3x\r\n\r\n", 400],
  [
    "conflicting Content-Lengths",
    "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
    400,
  ],
];

Deno.test("serveHttp() refuses malformed requests with a clear status and closes", async () => {
  let handled = 0;
  const handler = () => {
    handled++;
    return new Response("handled");
  };
  await withServer(handler, async ({ connect }) => {
    for (const [what, wire, status] of CASES) {
      const conn = await connect();
      await conn.write(wire);
      const response = await readResponse(conn);
      assert.equal(response?.status, status, `${what}: ${response?.text}`);
      assert.ok(response?.head.includes("connection: close"), what);
      assert.ok((response?.body.length ?? 0) > 0, `${what}: the body says why`);
      assert.ok(await closedByPeer(conn), `${what}: the connection closes`);
    }
    assert.equal(handled, 0);
  });
});

Deno.test("serveHttp() explains a 400 in its body", async () => {
  await withServer(() => new Response("handled"), async ({ connect }) => {
    const conn = await connect();
    await conn.write("GET / HTTP/1.1\r\nHost: h\r\nBad Header\r\n\r\n");
    const response = await readResponse(conn);
    assert.equal(
      response?.text,
      "HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ndate: X\r\ncontent-length: 46\r\n" +
        'connection: close\r\n\r\nBad Request: Invalid field line: "Bad Header"\n',
    );
  });
});

Deno.test("serveHttp() answers 431 to a head over maxHeadBytes", async () => {
  await withServer(() => new Response("handled"), async ({ connect }) => {
    const conn = await connect();
    await conn.write(`GET / HTTP/1.1\r\nHost: h\r\nX-Big: ${"a".repeat(2048)}\r\n\r\n`);
    const response = await readResponse(conn);
    assert.equal(response?.status, 431);
    assert.ok(await closedByPeer(conn));
  }, { maxHeadBytes: 1024 });
});

Deno.test("serveHttp() fails the body on bad chunk framing and closes after answering", async () => {
  const errors: string[] = [];
  const handler = async (request: Request) => {
    await request.text().catch((error) => errors.push(error.message));
    return new Response("answered");
  };
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    assert.equal((await readResponse(conn))?.body, "answered");
    assert.ok(await closedByPeer(conn));
    assert.deepEqual(errors, ['Invalid chunk size line: "zz"']);
  });
});

Deno.test("serveHttp() skips empty lines before a request line (RFC 9112 2.2)", async () => {
  await withServer(() => new Response("fine"), async ({ connect }) => {
    const conn = await connect();
    await conn.write("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
    assert.equal((await readResponse(conn))?.body, "fine");
  });
});
