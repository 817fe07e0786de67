/**
 * The emulator's transport on node:http: what the Runtime API needs of it, checked on the wire.
 */

import assert from "node:assert/strict";
import { RawConn } from "../../tests/support/raw_http.ts";
import type { Handler } from "./handler.ts";
import { hostPort, serveHandler } from "./server.ts";

const decoder = new TextDecoder();

async function withServer(
  handler: Handler,
  fn: (connect: () => Promise<RawConn>) => Promise<void>,
) {
  const served = await serveHandler(handler, "127.0.0.1", 0);
  const conns: RawConn[] = [];
  try {
    await fn(async () => {
      const tcp = await Deno.connect({ hostname: "127.0.0.1", port: served.port });
      tcp.setNoDelay(true);
      const conn = new RawConn(tcp);
      conns.push(conn);
      return conn;
    });
  } finally {
    for (const conn of conns) conn.close();
    await served.close();
  }
}

/** Reads one answer framed by Content-Length: status and body. */
async function answer(conn: RawConn): Promise<{ status: number; head: string; body: string }> {
  const head = decoder.decode(await conn.readUntil("\r\n\r\n") ?? new Uint8Array());
  const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? "0");
  const body = decoder.decode(await conn.readExactly(length) ?? new Uint8Array());
  return { status: Number(head.split(" ")[1]), head, body };
}

Deno.test("hostPort() brackets IPv6 hosts", () => {
  assert.equal(hostPort("127.0.0.1", 9001), "127.0.0.1:9001");
  assert.equal(hostPort("::1", 9001), "[::1]:9001");
});

Deno.test("serveHandler() serves a handler on an ephemeral port, with Content-Length", async () => {
  const served = await serveHandler(() => Promise.resolve(new Response("hi ✓")), "127.0.0.1", 0);
  assert.ok(served.port > 0);
  const response = await fetch(`http://${hostPort(served.hostname, served.port)}/`);
  assert.equal(response.headers.get("content-length"), "6");
  assert.equal(await response.text(), "hi ✓");
  await served.close();
});

Deno.test("serveHandler() feeds the body as it arrives and hands over the trailers", async () => {
  const firstRead = Promise.withResolvers<string>();
  const handler: Handler = async (request, extras) => {
    const reader = request.body!.getReader();
    firstRead.resolve(decoder.decode((await reader.read()).value));
    let rest = "";
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      rest += decoder.decode(next.value);
    }
    const trailers = await extras!.trailers;
    return Response.json({ rest, error: trailers.get("Lambda-Runtime-Function-Error-Type") });
  };
  await withServer(handler, async (connect) => {
    const conn = await connect();
    await conn.write(
      "POST /stream HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" +
        "Trailer: Lambda-Runtime-Function-Error-Type\r\n\r\n5;ext=1\r\nfirst\r\n",
    );
    // The second chunk is sent only once the handler has read the first: no timing involved.
    assert.equal(await firstRead.promise, "first");
    await conn.write("9\r\nsecond✓\r\n");
    await conn.write("0\r\nLambda-Runtime-Function-Error-Type: Runtime.Boom\r\n\r\n");
    const { status, body } = await answer(conn);
    assert.equal(status, 200);
    assert.deepEqual(JSON.parse(body), { rest: "second✓", error: "Runtime.Boom" });
  });
});

Deno.test("serveHandler() aborts request.signal as soon as a waiting client leaves", async () => {
  const aborted = Promise.withResolvers<void>();
  let answered = 0;
  const handler: Handler = (request) => {
    if (request.url.endsWith("/fast")) {
      answered++;
      return Promise.resolve(new Response("fast"));
    }
    return new Promise((resolve) => {
      request.signal.addEventListener("abort", () => {
        aborted.resolve();
        resolve(new Response("too late"));
      });
    });
  };
  await withServer(handler, async (connect) => {
    const answeredFirst = await connect();
    await answeredFirst.write("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
    assert.equal((await answer(answeredFirst)).body, "fast");
    const parked = await connect();
    await parked.write("GET /park HTTP/1.1\r\nHost: x\r\n\r\n");
    parked.close();
    answeredFirst.close();
    await aborted.promise;
    assert.equal(answered, 1);
  });
});

Deno.test("serveHandler() drains a body the handler left unread and serves the next request", async () => {
  const handler: Handler = (request) =>
    Promise.resolve(new Response(`seen ${new URL(request.url).pathname}`, { status: 413 }));
  await withServer(handler, async (connect) => {
    const conn = await connect();
    await conn.write(
      "POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(100_000) +
        "POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" +
        "GET /next HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    assert.deepEqual(
      [(await answer(conn)).body, (await answer(conn)).body, (await answer(conn)).body],
      ["seen /big", "seen /chunked", "seen /next"],
    );
  });
});

Deno.test("serveHandler() fails the body and the trailers when the client leaves mid-body", async () => {
  const seen = Promise.withResolvers<[string, string]>();
  const handler: Handler = async (request, extras) => {
    const failed = (promise: Promise<unknown>) =>
      promise.then(() => "ok", (error) => error.message);
    const [body, trailers] = await Promise.all([failed(request.text()), failed(extras!.trailers)]);
    seen.resolve([body, trailers]);
    return new Response("unread");
  };
  await withServer(handler, async (connect) => {
    const conn = await connect();
    await conn.write(
      "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n",
    );
    conn.close();
    assert.deepEqual(await seen.promise, [
      "The request body ended early: the client left mid-body",
      "The request body ended early: the client left mid-body",
    ]);
  });
});

Deno.test("serveHandler() close() waits for an answer in flight, then refuses connections", async () => {
  const release = Promise.withResolvers<void>();
  const arrived = Promise.withResolvers<void>();
  const handler: Handler = async () => {
    arrived.resolve();
    await release.promise;
    return new Response("finished");
  };
  const served = await serveHandler(handler, "127.0.0.1", 0);
  const pending = fetch(`http://127.0.0.1:${served.port}/`).then((response) => response.text());
  await arrived.promise;
  const closed = served.close();
  release.resolve();
  assert.equal(await pending, "finished");
  await closed;
  await assert.rejects(fetch(`http://127.0.0.1:${served.port}/`));
});
