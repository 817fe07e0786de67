import assert from "node:assert/strict";
import { readBody } from "./read_body.ts";
import { readText, withRaw } from "../../tests/support/raw_http.ts";
import type { RawConn } from "../../tests/support/raw_http.ts";
import { retryAllowed } from "./client.ts";
import type { OutgoingRequest } from "./types.ts";
import { sleep } from "../util/async.ts";

const OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
const GET: OutgoingRequest = { method: "GET", target: "/", headers: [] };

/** Answers `answered` requests per connection, then reads one more and closes unanswered. */
function answerThenDrop(answered: number) {
  return async (conn: RawConn) => {
    for (let i = 0; i < answered; i++) {
      if (!(await conn.readRequest())) return;
      await conn.write(OK);
    }
    await conn.readRequest();
  };
}

Deno.test("createHttpClient() notices at once that the app closed an idle connection", async () => {
  let closed!: () => void;
  const serverClosed = new Promise<void>((resolve) => closed = resolve);
  await withRaw(async (conn, index) => {
    await conn.readRequest();
    await conn.write(OK);
    if (index === 0) {
      conn.close();
      closed();
    }
  }, async (client) => {
    assert.equal(await readText((await client.request(GET)).body), "ok");
    await serverClosed;
    await sleep(30);
    assert.equal(await readText((await client.request(GET)).body), "ok");
    assert.deepEqual({ ...client.stats }, { connectionsOpened: 2, reused: 0, retries: 0 });
  });
});

Deno.test("createHttpClient() sends a safe request again after the keep-alive race", async () => {
  const empty = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  await withRaw(async (conn) => {
    await conn.readRequest();
    await conn.write(empty);
    await conn.readRequest();
  }, async (client, server) => {
    await readBody((await client.request(GET)).body);
    for (const method of ["GET", "HEAD", "OPTIONS", "TRACE"]) {
      const res = await client.request({ method, target: "/", headers: [] });
      await readBody(res.body);
      assert.equal(res.status, 200, method);
    }
    assert.equal(client.stats.retries, 4);
    assert.equal(server.accepted, 5);
  });
});

Deno.test("createHttpClient() never sends a POST again once the app may have read it", async () => {
  // The app reads the request, then closes without answering (issue 9, point 4): sending it
  // again would run it twice.
  for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
    await withRaw(answerThenDrop(1), async (client, server) => {
      await readBody((await client.request(GET)).body);
      const body = new TextEncoder().encode("charge the card once: José 💳");
      await assert.rejects(
        client.request({ method, target: "/", headers: [], body }),
        Deno.errors.UnexpectedEof,
      );
      assert.equal(client.stats.retries, 0, method);
      assert.equal(server.accepted, 1, method);
    });
  }
});

Deno.test("createHttpClient() fails a large PUT cut off by a reset without sending it again", async () => {
  await withRaw(async (conn, index) => {
    await conn.readRequest();
    await conn.write(OK);
    if (index > 0) return;
    // Close with most of the next request unread, so the kernel answers with a reset.
    await conn.conn.read(new Uint8Array(1));
  }, async (client, server) => {
    await readBody((await client.request(GET)).body);
    const body = new Uint8Array(100_000);
    await assert.rejects(client.request({ method: "PUT", target: "/", headers: [], body }));
    assert.equal(client.stats.retries, 0);
    assert.equal(server.accepted, 1);
  });
});

Deno.test("retryAllowed() retries only what the app cannot have acted on", () => {
  const reset = new Deno.errors.ConnectionReset("reset");
  const base = {
    method: "POST",
    streamed: false,
    written: 0,
    answered: false,
    aborted: false,
    error: reset as unknown,
  };
  assert.equal(retryAllowed(base), true, "nothing written");
  assert.equal(retryAllowed({ ...base, written: 1 }), false, "one byte of a POST written");
  assert.equal(retryAllowed({ ...base, written: 1, method: "GET" }), true);
  assert.equal(retryAllowed({ ...base, written: 1, method: "HEAD" }), true);
  assert.equal(retryAllowed({ ...base, streamed: true }), false, "a stream cannot be replayed");
  assert.equal(retryAllowed({ ...base, method: "GET", answered: true }), false, "app answered");
  assert.equal(retryAllowed({ ...base, method: "GET", aborted: true }), false, "aborted");
  assert.equal(retryAllowed({ ...base, method: "GET", error: new TypeError("x") }), false);
  for (
    const error of [
      new Deno.errors.UnexpectedEof("eof"),
      new Deno.errors.BrokenPipe("pipe"),
      new Deno.errors.ConnectionAborted("aborted"),
      new Deno.errors.NotConnected("nc"),
    ]
  ) assert.equal(retryAllowed({ ...base, error }), true, error.name);
});

Deno.test("createHttpClient() does not retry a streamed body", async () => {
  await withRaw(answerThenDrop(1), async (client) => {
    await readBody((await client.request(GET)).body);
    const body = ReadableStream.from([new TextEncoder().encode("once")]);
    await assert.rejects(client.request({ method: "POST", target: "/", headers: [], body }));
    assert.equal(client.stats.retries, 0);
  });
});

Deno.test("createHttpClient() retries at most once and never on a new connection", async () => {
  await withRaw(async (conn, index) => {
    if (index === 0) return await answerThenDrop(1)(conn);
    await conn.readRequest();
  }, async (client) => {
    await readBody((await client.request(GET)).body);
    await assert.rejects(client.request(GET), Deno.errors.UnexpectedEof);
    await assert.rejects(client.request(GET), Deno.errors.UnexpectedEof);
    assert.deepEqual({ ...client.stats }, { connectionsOpened: 3, reused: 1, retries: 1 });
  });
});

Deno.test("createHttpClient() closes connections idle longer than idleTimeoutMs", async () => {
  const closedAt: number[] = [];
  await withRaw(async (conn) => {
    while (await conn.readRequest()) await conn.write(OK);
    closedAt.push(Date.now());
  }, async (client) => {
    const start = Date.now();
    await readBody((await client.request(GET)).body);
    await sleep(200);
    assert.equal(closedAt.length, 1);
    assert.ok(closedAt[0]! - start >= 50);
    await readBody((await client.request(GET)).body);
    assert.deepEqual({ ...client.stats }, { connectionsOpened: 2, reused: 0, retries: 0 });
  }, { idleTimeoutMs: 50 });
});

Deno.test("createHttpClient() keeps at most maxIdleConnections", async () => {
  let serverClosed = 0;
  await withRaw(async (conn) => {
    while (await conn.readRequest()) await conn.write(OK);
    serverClosed++;
  }, async (client) => {
    await Promise.all([1, 2, 3].map(async () => readBody((await client.request(GET)).body)));
    await sleep(30);
    assert.equal(client.stats.connectionsOpened, 3);
    assert.equal(serverClosed, 2);
  }, { maxIdleConnections: 1 });
});

Deno.test("createHttpClient() does not reuse after Connection: close either way", async () => {
  await withRaw(async (conn) => {
    while (await conn.readRequest()) await conn.write(OK);
  }, async (client, server) => {
    const headers: [string, string][] = [["Connection", "close"]];
    for (let i = 0; i < 2; i++) await readBody((await client.request({ ...GET, headers })).body);
    assert.equal(server.accepted, 2);
  });
  await withRaw(async (conn) => {
    while (await conn.readRequest()) {
      await conn.write(OK.replace("\r\n", "\r\nConnection: close\r\n"));
    }
  }, async (client, server) => {
    for (let i = 0; i < 2; i++) await readBody((await client.request(GET)).body);
    assert.equal(server.accepted, 2);
  });
});

Deno.test("createHttpClient() drops a connection that received stray bytes", async () => {
  await withRaw(async (conn) => {
    while (await conn.readRequest()) {
      await conn.write(OK);
      await sleep(5);
      await conn.write("junk");
    }
  }, async (client) => {
    for (let i = 0; i < 2; i++) {
      assert.equal(await readText((await client.request(GET)).body), "ok");
      await sleep(30);
    }
    assert.deepEqual({ ...client.stats }, { connectionsOpened: 2, reused: 0, retries: 0 });
  });
});

Deno.test("createHttpClient() closes the connection when the body is cancelled", async () => {
  await withRaw(async (conn) => {
    while (await conn.readRequest()) {
      await conn.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345");
    }
  }, async (client, server) => {
    const first = await client.request(GET);
    await first.body.cancel();
    const second = await client.request(GET);
    const reader = second.body.getReader();
    assert.equal(new TextDecoder().decode((await reader.read()).value), "12345");
    await reader.cancel();
    assert.equal(server.accepted, 2);
    assert.equal(client.stats.reused, 0);
  });
});

Deno.test("createHttpClient() close() ends bodies still being read", async () => {
  await withRaw(async (conn) => {
    await conn.readRequest();
    await conn.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345");
    await conn.readRequest();
  }, async (client) => {
    const res = await client.request(GET);
    const reader = res.body.getReader();
    await reader.read();
    const pending = reader.read();
    await client.close();
    await assert.rejects(pending);
    await assert.rejects(client.request(GET), Deno.errors.Interrupted);
  });
});
