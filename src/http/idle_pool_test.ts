import assert from "node:assert/strict";
import { BufferedConn } from "./buffered_conn.ts";
import { IdlePool } from "./idle_pool.ts";
import { socketPair } from "../../tests/support/raw_http.ts";
import { sleep } from "../util/async.ts";

/** Opens `n` connections; returns them with their peers and a cleanup function. */
async function open(n: number) {
  const pairs = await Promise.all(Array.from({ length: n }, () => socketPair()));
  const conns = pairs.map(([client]) => new BufferedConn(client, () => {}));
  const peers = pairs.map(([, server]) => server);
  const cleanup = async () => {
    for (const conn of conns) conn.close();
    await Promise.all(conns.map((conn) => conn.settled()));
    for (const peer of peers) {
      try {
        peer.close();
      } catch {
        // Closed by the test.
      }
    }
  };
  return { conns, peers, cleanup };
}

Deno.test("IdlePool hands out the most recently released connection first", async () => {
  const { conns, cleanup } = await open(3);
  const pool = new IdlePool(1000, 10);
  for (const conn of conns) pool.put(conn);
  assert.equal(pool.take(), conns[2]);
  assert.equal(pool.take(), conns[1]);
  assert.equal(pool.take(), conns[0]);
  assert.equal(pool.take(), null);
  await pool.closeAll();
  await cleanup();
});

Deno.test("IdlePool closes connections once they have been idle for the timeout", async () => {
  const { conns, cleanup } = await open(2);
  const pool = new IdlePool(40, 10);
  pool.put(conns[0]!);
  await sleep(25);
  pool.put(conns[1]!);
  await sleep(25);
  assert.equal(conns[0]!.closed, true);
  assert.equal(conns[1]!.closed, false);
  await sleep(40);
  assert.equal(conns[1]!.closed, true);
  assert.equal(pool.size, 0);
  await pool.closeAll();
  await cleanup();
});

Deno.test("IdlePool drops a connection whose peer closes while idle", async () => {
  const { conns, peers, cleanup } = await open(2);
  const pool = new IdlePool(1000, 10);
  pool.put(conns[0]!);
  pool.put(conns[1]!);
  peers[1]!.close();
  await sleep(20);
  assert.equal(pool.size, 1);
  assert.equal(pool.take(), conns[0]);
  await pool.closeAll();
  await cleanup();
});

Deno.test("IdlePool evicts the oldest connection beyond its maximum", async () => {
  const { conns, cleanup } = await open(3);
  const pool = new IdlePool(1000, 2);
  for (const conn of conns) pool.put(conn);
  assert.equal(conns[0]!.closed, true);
  assert.equal(pool.size, 2);
  await pool.closeAll();
  assert.ok(conns.every((conn) => conn.closed));
  await cleanup();
});
