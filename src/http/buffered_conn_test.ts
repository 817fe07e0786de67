import assert from "node:assert/strict";
import { BufferedConn } from "./buffered_conn.ts";
import { HttpProtocolError } from "./errors.ts";
import { socketPair, writeTo } from "../../tests/support/raw_http.ts";
import { sleep } from "../util/async.ts";

const decoder = new TextDecoder();

/** Runs `fn` with a BufferedConn on one end of a socket pair and the raw other end. */
async function withPair(fn: (conn: BufferedConn, peer: Deno.TcpConn) => Promise<void>) {
  const [client, server] = await socketPair();
  const conn = new BufferedConn(client, () => {});
  try {
    await fn(conn, server);
  } finally {
    conn.close();
    await conn.settled();
    try {
      server.close();
    } catch {
      // The test closed it already.
    }
  }
}

Deno.test("BufferedConn.readHead() skips leading empty lines and keeps what follows", async () => {
  await withPair(async (conn, peer) => {
    await writeTo(peer, "\r\n\r\nHTTP/1.1 200 OK\r\nA: 1\r\n\r\nbody");
    assert.equal(decoder.decode(await conn.readHead(1024)), "HTTP/1.1 200 OK\r\nA: 1");
    while (conn.buffered < 4) await conn.fill();
    assert.equal(decoder.decode(conn.take(100)), "body");
  });
});

Deno.test("BufferedConn.readHead() assembles a head sent a byte at a time", async () => {
  await withPair(async (conn, peer) => {
    const head = "HTTP/1.1 204 No Content\r\nX: y\r\n\r\n";
    const sending = (async () => {
      for (const char of head) {
        await writeTo(peer, char);
        await sleep(0);
      }
    })();
    assert.equal(decoder.decode(await conn.readHead(1024)), head.slice(0, -4));
    await sending;
  });
});

Deno.test("BufferedConn.readHead() fails on EOF and on a head over the limit", async () => {
  await withPair(async (conn, peer) => {
    peer.close();
    await assert.rejects(conn.readHead(1024), Deno.errors.UnexpectedEof);
  });
  await withPair(async (conn, peer) => {
    await writeTo(peer, `HTTP/1.1 200 OK\r\nX: ${"a".repeat(3000)}\r\n`);
    await assert.rejects(conn.readHead(1024), HttpProtocolError);
  });
});

Deno.test("BufferedConn.take() copies small pieces and never rewrites a handed-out buffer", async () => {
  await withPair(async (conn, peer) => {
    await writeTo(peer, "HTTP/1.1 200 OK\r\n\r\nsmall");
    await conn.readHead(1024);
    while (conn.buffered < 5) await conn.fill();
    const small = conn.take(5);
    assert.equal(small.byteLength, small.buffer.byteLength);
    const big = new Uint8Array(40_000).fill(1);
    await writeTo(peer, big);
    let got = 0;
    const pieces: Uint8Array[] = [];
    while (got < big.length) {
      if (conn.buffered === 0) await conn.fill();
      const piece = conn.take(big.length - got);
      got += piece.length;
      pieces.push(piece);
    }
    await writeTo(peer, new Uint8Array(1000).fill(2));
    await conn.fill();
    conn.take(1000);
    assert.ok(pieces.every((piece) => piece.every((byte) => byte === 1)));
  });
});

Deno.test("BufferedConn.watch() becomes the first read of the next fill", async () => {
  await withPair(async (conn, peer) => {
    const watch = conn.watch();
    await writeTo(peer, "HTTP/1.1 200 OK\r\n\r\n");
    assert.equal(await watch, 19);
    assert.equal(decoder.decode(await conn.readHead(1024)), "HTTP/1.1 200 OK");
    assert.equal(conn.received, 19);
  });
});

Deno.test("BufferedConn.close() ends a pending watch and settled() waits for it", async () => {
  await withPair(async (conn) => {
    const watch = conn.watch();
    conn.close();
    await conn.settled();
    await assert.rejects(watch);
    assert.equal(conn.closed, true);
  });
});

Deno.test("BufferedConn.take() copies while a read is in flight, so that read lands intact", async () => {
  await withPair(async (conn, peer) => {
    const first = new Uint8Array(40 * 1024).fill(1);
    await writeTo(peer, first);
    while (conn.buffered < first.length) await conn.fill();
    // A reader (a server's disconnect watch) waits for more while a large piece is taken.
    const reading = conn.fill();
    const taken = conn.take(first.length);
    assert.equal(taken.length, first.length);
    assert.ok(taken.every((byte) => byte === 1));
    await writeTo(peer, "next");
    assert.equal(await reading, true);
    assert.equal(decoder.decode(conn.take(100)), "next");
    assert.ok(taken.every((byte) => byte === 1), "the piece handed out was not overwritten");
  });
});
