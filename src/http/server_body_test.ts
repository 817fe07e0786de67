import assert from "node:assert/strict";
import type { RequestInfo } from "./server.ts";
import {
  closedByPeer,
  delay,
  readResponse,
  withServer,
} from "../../tests/support/raw_http_server.ts";

const decoder = new TextDecoder();

/** Echoes the body and the trailers, so the wire bytes can be checked end to end. */
async function echo(request: Request, info: RequestInfo): Promise<Response> {
  const body = await request.text();
  const trailers = [...await info.trailers].map(([name, value]) => `${name}=${value}`);
  return new Response(`${body}|${trailers.join(",")}`);
}

Deno.test("serveHttp() decodes a chunked body, ignoring extensions, and delivers its trailers", async () => {
  await withServer(echo, async ({ connect }) => {
    const conn = await connect();
    await conn.write(
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n" +
        "Trailer: Lambda-Runtime-Function-Error-Type\r\n\r\n" +
        "5;name=value\r\nhello\r\n1 ; x\r\n!\r\n0\r\n" +
        "Lambda-Runtime-Function-Error-Type: Function.Oops\r\nX-Empty:\r\n\r\n",
    );
    const response = await readResponse(conn);
    assert.equal(
      response?.text,
      "HTTP/1.1 200 OK\r\ncontent-type: text/plain;charset=UTF-8\r\ndate: X\r\n" +
        "content-length: 64\r\n\r\nhello!|lambda-runtime-function-error-type=Function.Oops,x-empty=",
    );
  });
});

Deno.test("serveHttp() delivers empty trailers for Content-Length bodies and bodiless requests", async () => {
  let bodyWasNull: boolean | undefined;
  const handler = (request: Request, info: RequestInfo) => {
    if (request.url.endsWith("/none")) bodyWasNull = request.body === null;
    return echo(request, info);
  };
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nabcd");
    assert.equal((await readResponse(conn))?.body, "abcd|");
    await conn.write("POST /none HTTP/1.1\r\nHost: h\r\n\r\n");
    assert.equal((await readResponse(conn))?.body, "|");
    assert.equal(bodyWasNull, true);
  });
});

Deno.test("serveHttp() streams a Content-Length body that is not all there yet", async () => {
  const big = "x".repeat(200 * 1024);
  await withServer(echo, async ({ connect }) => {
    const conn = await connect();
    await conn.write("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 8\r\n\r\nsplit");
    await delay(10);
    await conn.write(" up");
    assert.equal((await readResponse(conn))?.body, "split up|");
    await conn.write(`POST / HTTP/1.1\r\nHost: h\r\nContent-Length: ${big.length}\r\n\r\n${big}`);
    assert.equal((await readResponse(conn))?.body, `${big}|`);
  });
});

Deno.test("serveHttp() feeds the body to the handler as it arrives", async () => {
  const seen: string[] = [];
  const gotFirst = Promise.withResolvers<void>();
  const handler = async (request: Request) => {
    for await (const chunk of request.body!) {
      seen.push(decoder.decode(chunk));
      gotFirst.resolve();
    }
    return new Response(seen.join("+"));
  };
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write(
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\none\r\n",
    );
    await gotFirst.promise;
    assert.deepEqual(seen, ["one"], "the first chunk reached the handler before the second left");
    await conn.write("3\r\ntwo\r\n0\r\n\r\n");
    assert.equal((await readResponse(conn))?.body, "one+two");
  });
});

Deno.test("serveHttp() drains an unread body before reading the next request", async () => {
  const handler = (request: Request) => new Response(new URL(request.url).pathname);
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n01234");
    assert.equal((await readResponse(conn))?.body, "/a");
    await conn.write(
      "56789POST /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nGE",
    );
    assert.equal((await readResponse(conn))?.body, "/b");
    await conn.write("T!\r\n0\r\nT: 1\r\n\r\nGET /c HTTP/1.1\r\nHost: h\r\n\r\n");
    assert.equal((await readResponse(conn))?.body, "/c");
    // A GET body cannot reach a Request (Fetch forbids it); it is drained all the same.
    await conn.write(
      "GET /d HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyzGET /e HTTP/1.1\r\n",
    );
    assert.equal((await readResponse(conn))?.body, "/d");
    await conn.write("Host: h\r\n\r\n");
    assert.equal((await readResponse(conn))?.body, "/e");
  });
});

Deno.test("serveHttp() sends 100 Continue when the handler reads a body the client holds back", async () => {
  const handler = async (request: Request) => {
    if (request.url.endsWith("/ignore")) return new Response("no thanks", { status: 413 });
    return new Response(await request.text());
  };
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write(
      "POST /read HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n",
    );
    assert.equal(
      decoder.decode(await conn.readUntil("\r\n\r\n") ?? undefined),
      "HTTP/1.1 100 Continue\r\n\r\n",
    );
    await conn.write("ok");
    assert.equal((await readResponse(conn))?.body, "ok");

    // Answered without reading: no 100, and the connection closes since the body never comes.
    await conn.write(
      "POST /ignore HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n",
    );
    const refused = await readResponse(conn);
    assert.equal(refused?.status, 413);
    assert.ok(refused?.head.includes("connection: close"));
    assert.ok(await closedByPeer(conn));
  });
});

Deno.test("serveHttp() fails the body and the trailers when the client leaves mid-body", async () => {
  const outcome = Promise.withResolvers<string[]>();
  const handler = async (request: Request, info: RequestInfo) => {
    const results: string[] = [];
    await request.text().then(() => results.push("read"), (error) => results.push(error.name));
    await info.trailers.then(() => results.push("trailers"), () => results.push("no trailers"));
    results.push(request.signal.aborted ? "aborted" : "not aborted");
    outcome.resolve(results);
    return new Response("unseen");
  };
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write(
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n",
    );
    await delay(20);
    conn.close();
    assert.deepEqual(await outcome.promise, ["HttpProtocolError", "no trailers", "aborted"]);
  });
});

Deno.test("serveHttp() fails the trailers promise on a malformed trailer line", async () => {
  const outcome = Promise.withResolvers<string>();
  const handler = async (request: Request, info: RequestInfo) => {
    await request.arrayBuffer().catch(() => {});
    outcome.resolve(await info.trailers.then(() => "ok", (error) => error.name));
    return new Response("done");
  };
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write(
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nno colon\r\n\r\n",
    );
    assert.equal(await outcome.promise, "BadRequestError");
    assert.equal((await readResponse(conn))?.body, "done");
  });
});
