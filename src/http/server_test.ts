import assert from "node:assert/strict";
import { serveHttp } from "./server.ts";
import {
  closedByPeer,
  delay,
  readResponse,
  withoutDate,
  withServer,
} from "../../tests/support/raw_http_server.ts";

const encoder = new TextEncoder();

/** One byte per character, so a test can send octets above 0x7F in a head. */
function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

Deno.test("serveHttp() answers a GET byte for byte, with Content-Length for a known body", async () => {
  let seen: Request | undefined;
  const handler = (request: Request) => {
    seen = request;
    return new Response("hello", { headers: { "X-A": "1", "Set-Cookie": "a=1" } });
  };
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write(latin1("GET /x?y=1 HTTP/1.1\r\nHost: example.test\r\nX-Raw: \xe9 \r\n\r\n"));
    const response = await readResponse(conn);
    assert.equal(
      response?.text,
      "HTTP/1.1 200 OK\r\ncontent-type: text/plain;charset=UTF-8\r\nset-cookie: a=1\r\n" +
        "x-a: 1\r\ndate: X\r\ncontent-length: 5\r\n\r\nhello",
    );
    assert.equal(seen?.method, "GET");
    assert.equal(seen?.url, "http://example.test/x?y=1");
    assert.equal(seen?.body, null);
    // A byte above 0x7F is kept as that byte, as Deno.serve does.
    assert.equal(seen?.headers.get("x-raw"), "\xe9");
  });
});

Deno.test("serveHttp() keeps a connection alive and honours Connection: close", async () => {
  const ports: number[] = [];
  const handler = (request: Request, info: { remoteAddr: Deno.NetAddr }) => {
    ports.push(info.remoteAddr.port);
    return new Response(new URL(request.url).pathname);
  };
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write("GET /one HTTP/1.1\r\nHost: h\r\n\r\n");
    assert.equal((await readResponse(conn))?.body, "/one");
    await conn.write("GET /two HTTP/1.1\r\nHost: h\r\n\r\n");
    assert.equal((await readResponse(conn))?.body, "/two");
    await conn.write("GET /three HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    const last = await readResponse(conn);
    assert.ok(last?.head.includes("connection: close"), last?.text);
    assert.equal(last?.body, "/three");
    assert.ok(await closedByPeer(conn));
    assert.equal(new Set(ports).size, 1, "one connection served all three");
  });
});

Deno.test("serveHttp() closes after answering HTTP/1.0, which needs no Host", async () => {
  await withServer((request) => new Response(request.url), async ({ connect, server }) => {
    const conn = await connect();
    await conn.write("GET /old HTTP/1.0\r\n\r\n");
    const response = await readResponse(conn);
    assert.equal(response?.body, `http://127.0.0.1:${server.addr.port}/old`);
    assert.ok(response?.head.includes("connection: close"));
    assert.ok(await closedByPeer(conn));
  });
});

Deno.test("serveHttp() answers pipelined requests in order", async () => {
  const delays: Record<string, number> = { "/a": 60, "/b": 0, "/c": 20 };
  const handler = async (request: Request) => {
    const path = new URL(request.url).pathname;
    await delay(delays[path] ?? 0);
    return new Response(`${path}:${await request.text()}`);
  };
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write(
      "GET /a HTTP/1.1\r\nHost: h\r\n\r\n" +
        "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyz" +
        "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
    );
    const bodies = [];
    for (let i = 0; i < 3; i++) bodies.push((await readResponse(conn))?.body);
    assert.deepEqual(bodies, ["/a:", "/b:xyz", "/c:ok"]);
  });
});

Deno.test("serveHttp() frames HEAD, 204 and 304 without content", async () => {
  const handler = (request: Request) => {
    const path = new URL(request.url).pathname;
    if (path === "/204") return new Response(null, { status: 204 });
    if (path === "/304") return new Response(null, { status: 304 });
    return new Response("four");
  };
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n");
    assert.equal(
      (await readResponse(conn, true))?.text,
      "HTTP/1.1 200 OK\r\ncontent-type: text/plain;charset=UTF-8\r\ndate: X\r\n" +
        "content-length: 4\r\n\r\n",
    );
    await conn.write("GET /204 HTTP/1.1\r\nHost: h\r\n\r\n");
    assert.equal((await readResponse(conn))?.text, "HTTP/1.1 204 No Content\r\ndate: X\r\n\r\n");
    await conn.write("GET /304 HTTP/1.1\r\nHost: h\r\n\r\n");
    const notModified = await readResponse(conn);
    assert.equal(notModified?.status, 304);
    assert.ok(!notModified?.text.includes("content-length"), notModified?.text);
    await conn.write("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    assert.equal((await readResponse(conn))?.body, "four");
  });
});

Deno.test("serveHttp() sends a large body at hand with Content-Length, not chunked", async () => {
  const big = new Uint8Array(3 * 1024 * 1024).fill(97);
  await withServer(() => new Response(big), async ({ connect }) => {
    const conn = await connect();
    await conn.write("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    const response = await readResponse(conn);
    assert.ok(response?.head.includes(`content-length: ${big.length}`));
    assert.equal(response?.body.length, big.length);
  });
});

Deno.test("serveHttp() answers 500 when the handler throws or returns no Response", async () => {
  const handler = (request: Request): Response => {
    if (request.url.endsWith("/throw")) throw new Error("boom");
    return "not a response" as unknown as Response;
  };
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write("GET /throw HTTP/1.1\r\nHost: h\r\n\r\n");
    const thrown = await readResponse(conn);
    assert.equal(thrown?.status, 500);
    assert.equal(thrown?.body, "Internal Server Error");
    await conn.write("GET /other HTTP/1.1\r\nHost: h\r\n\r\n");
    assert.equal((await readResponse(conn))?.status, 500);
  });
  const onError = (error: unknown) => new Response(String(error), { status: 503 });
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write("GET /throw HTTP/1.1\r\nHost: h\r\n\r\n");
    assert.equal(
      (await readResponse(conn))?.text.split("\r\n")[0],
      "HTTP/1.1 503 Service Unavailable",
    );
  }, { onError });
});

Deno.test("serveHttp() shutdown() closes idle connections, finishes in-flight ones, then resolves", async () => {
  const release = Promise.withResolvers<void>();
  const started = Promise.withResolvers<void>();
  let listened: Deno.NetAddr | undefined;
  const server = serveHttp({
    hostname: "127.0.0.1",
    port: 0,
    onListen: (addr) => (listened = addr),
  }, async (request) => {
    if (request.url.endsWith("/slow")) {
      started.resolve();
      await release.promise;
    }
    return new Response("done");
  });
  assert.deepEqual(listened, server.addr);
  const port = server.addr.port;
  const idle = await Deno.connect({ hostname: "127.0.0.1", port });
  const busy = await Deno.connect({ hostname: "127.0.0.1", port });
  await busy.write(encoder.encode("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n"));
  await started.promise;
  const shutdown = server.shutdown();
  const buffer = new Uint8Array(1024);
  assert.equal(await idle.read(buffer), null, "the idle connection is closed at once");
  await assert.rejects(Deno.connect({ hostname: "127.0.0.1", port }));
  release.resolve();
  let received = "";
  for (let n = await busy.read(buffer); n !== null; n = await busy.read(buffer)) {
    received += new TextDecoder().decode(buffer.subarray(0, n));
  }
  assert.match(withoutDate(received), /connection: close\r\n\r\ndone$/);
  await shutdown;
  await server.finished;
  idle.close();
  busy.close();
});

Deno.test("serveHttp() shuts down when its signal aborts, closing stuck exchanges after graceMs", async () => {
  const controller = new AbortController();
  const server = serveHttp(
    { hostname: "127.0.0.1", port: 0, signal: controller.signal, graceMs: 50 },
    () => new Promise<Response>(() => {}),
  );
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  await conn.write(encoder.encode("GET /never HTTP/1.1\r\nHost: h\r\n\r\n"));
  await delay(20);
  const started = performance.now();
  controller.abort();
  await server.finished;
  assert.ok(performance.now() - started >= 40, "waited for the grace period");
  assert.equal(await conn.read(new Uint8Array(16)), null);
  conn.close();
});
