import assert from "node:assert/strict";
import {
  closedByPeer,
  delay,
  readResponse,
  withoutDate,
  withServer,
} from "../../tests/support/raw_http_server.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A response body the test feeds by hand, one chunk at a time. */
function manualStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return {
    body,
    push: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
    fail: (error: Error) => controller.error(error),
  };
}

Deno.test("serveHttp() sends a stream chunked, flushing each chunk as it is produced", async () => {
  const stream = manualStream();
  const handler = (request: Request) =>
    new Response(request.method === "HEAD" ? "again" : stream.body);
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    stream.push("hello");
    const head = decoder.decode(await conn.readUntil("\r\n\r\n") ?? undefined);
    assert.equal(
      withoutDate(head),
      "HTTP/1.1 200 OK\r\ndate: X\r\ntransfer-encoding: chunked\r\n\r\n",
    );
    // The first chunk must arrive while the stream is still open.
    assert.equal(decoder.decode(await conn.readExactly(10) ?? undefined), "5\r\nhello\r\n");
    await delay(20);
    stream.push(", world");
    assert.equal(decoder.decode(await conn.readExactly(12) ?? undefined), "7\r\n, world\r\n");
    stream.end();
    assert.equal(decoder.decode(await conn.readExactly(5) ?? undefined), "0\r\n\r\n");
    // The connection stays usable.
    await conn.write("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n");
    assert.equal((await readResponse(conn, true))?.status, 200);
  });
});

Deno.test("serveHttp() joins the pieces at hand into the first chunk of a stream", async () => {
  const stream = manualStream();
  stream.push("a");
  stream.push("b");
  await withServer(() => new Response(stream.body), async ({ connect }) => {
    const conn = await connect();
    await conn.write("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    await conn.readUntil("\r\n\r\n");
    assert.equal(decoder.decode(await conn.readExactly(7) ?? undefined), "2\r\nab\r\n");
    stream.end();
    assert.equal(decoder.decode(await conn.readExactly(5) ?? undefined), "0\r\n\r\n");
  });
});

Deno.test("serveHttp() streams to an HTTP/1.0 client until it closes the connection", async () => {
  const stream = manualStream();
  await withServer(() => new Response(stream.body), async ({ connect }) => {
    const conn = await connect();
    await conn.write("GET / HTTP/1.0\r\n\r\n");
    stream.push("raw");
    const head = decoder.decode(await conn.readUntil("\r\n\r\n") ?? undefined);
    assert.equal(withoutDate(head), "HTTP/1.1 200 OK\r\ndate: X\r\nconnection: close\r\n\r\n");
    assert.equal(decoder.decode(await conn.readExactly(3) ?? undefined), "raw");
    stream.end();
    assert.ok(await closedByPeer(conn));
  });
});

Deno.test("serveHttp() truncates a stream that fails midway and closes the connection", async () => {
  const stream = manualStream();
  await withServer(() => new Response(stream.body), async ({ connect }) => {
    const conn = await connect();
    await conn.write("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    stream.push("part");
    await conn.readUntil("\r\n\r\n");
    assert.equal(decoder.decode(await conn.readExactly(9) ?? undefined), "4\r\npart\r\n");
    stream.fail(new Error("source broke"));
    assert.ok(await closedByPeer(conn), "no last chunk: the client sees the body cut short");
  });
});

Deno.test("serveHttp() answers 500 when a body fails before anything was sent", async () => {
  const failing = new ReadableStream({ pull: (c) => c.error(new Error("at once")) });
  await withServer(() => new Response(failing), async ({ connect }) => {
    const conn = await connect();
    await conn.write("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    const response = await readResponse(conn);
    assert.equal(response?.status, 500);
    assert.ok(await closedByPeer(conn));
  });
});

Deno.test("serveHttp() cancels the response body when the client disconnects mid-stream", async () => {
  const cancelled = Promise.withResolvers<unknown>();
  const aborted = Promise.withResolvers<void>();
  const handler = (request: Request) => {
    request.signal.addEventListener("abort", () => aborted.resolve());
    let sent = 0;
    return new Response(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          await delay(5);
          controller.enqueue(new Uint8Array(64 * 1024).fill(sent++ % 256));
        },
        cancel: (reason) => cancelled.resolve(reason),
      }),
    );
  };
  await withServer(handler, async ({ connect }) => {
    const conn = await connect();
    await conn.write("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    await conn.readUntil("\r\n\r\n");
    conn.close();
    await aborted.promise;
    await cancelled.promise;
  });
});
