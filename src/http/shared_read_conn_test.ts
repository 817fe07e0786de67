import assert from "node:assert/strict";
import { SharedReadConn } from "./shared_read_conn.ts";
import { socketPair, writeTo } from "../../tests/support/raw_http.ts";

const decoder = new TextDecoder();

Deno.test("SharedReadConn lets concurrent fill() calls share one read and remembers the end", async () => {
  const [client, server] = await socketPair();
  const conn = new SharedReadConn(client, () => {});
  try {
    const first = conn.fill();
    const second = conn.fill();
    assert.equal(first, second, "one read, two waiters");
    await writeTo(server, "abc");
    assert.deepEqual(await Promise.all([first, second]), [true, true]);
    assert.equal(decoder.decode(conn.take(10)), "abc", "the bytes were committed once");
    server.close();
    assert.equal(await conn.fill(), false);
    assert.equal(conn.ended, true);
    assert.equal(await conn.fill(), false, "no further read after the end");
  } finally {
    conn.close();
    await conn.settled();
  }
});
