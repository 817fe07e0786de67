import assert from "node:assert/strict";
import { delay, readResponse, withServer } from "../../tests/support/raw_http_server.ts";

/** A handler that parks every request until its client goes away, like a long poll. */
function longPoll(events: string[]) {
  const parked = Promise.withResolvers<void>();
  const handler = (request: Request) => {
    const path = new URL(request.url).pathname;
    if (path !== "/park") return new Response(path);
    parked.resolve();
    return new Promise<Response>((resolve) => {
      request.signal.addEventListener("abort", () => {
        events.push(`aborted ${(request.signal.reason as DOMException).name}`);
        resolve(new Response("never delivered"));
      });
    });
  };
  return { handler, parked: parked.promise };
}

Deno.test("serveHttp() aborts request.signal as soon as a waiting client disconnects", async () => {
  const events: string[] = [];
  const { handler, parked } = longPoll(events);
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write("GET /park HTTP/1.1\r\nHost: h\r\n\r\n");
    await parked;
    const closedAt = performance.now();
    conn.close();
    while (events.length === 0) await delay(1);
    assert.ok(performance.now() - closedAt < 200, "noticed at once, not at the next write");
    assert.deepEqual(events, ["aborted AbortError"]);

    // The server carries on.
    const other = await connect();
    await other.write("GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
    assert.equal((await readResponse(other))?.body, "/next");
  });
});

Deno.test("serveHttp() notices the disconnect behind pipelined bytes it has not read yet", async () => {
  const events: string[] = [];
  const { handler, parked } = longPoll(events);
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write("GET /park HTTP/1.1\r\nHost: h\r\n\r\nGET /queued HTTP/1.1\r\nHo");
    await parked;
    conn.close();
    while (events.length === 0) await delay(1);
    assert.deepEqual(events, ["aborted AbortError"]);
  });
});

Deno.test("serveHttp() notices a disconnect while the handler ignores the request body", async () => {
  const events: string[] = [];
  const parked = Promise.withResolvers<void>();
  const handler = (request: Request) => {
    parked.resolve();
    return new Promise<Response>((resolve) => {
      request.signal.addEventListener("abort", () => {
        events.push("aborted");
        resolve(new Response(null));
      });
    });
  };
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nsome");
    await parked.promise;
    conn.close();
    while (events.length === 0) await delay(1);
    assert.deepEqual(events, ["aborted"]);
  });
});

Deno.test("serveHttp() does not abort a request that was answered before the client left", async () => {
  let signal: AbortSignal | undefined;
  const handler = (request: Request) => {
    signal = request.signal;
    return new Response("ok");
  };
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    assert.equal((await readResponse(conn))?.body, "ok");
    conn.close();
    await delay(30);
    assert.equal(signal?.aborted, false);
  });
});
