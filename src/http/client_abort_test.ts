import assert from "node:assert/strict";
import { HttpProtocolError } from "./errors.ts";
import { readBody } from "./read_body.ts";
import { readText, withRaw } from "../../tests/support/raw_http.ts";
import type { RawConn } from "../../tests/support/raw_http.ts";
import type { OutgoingRequest } from "./types.ts";
import { sleep } from "../util/async.ts";

const GET: OutgoingRequest = { method: "GET", target: "/", headers: [] };
const encoder = new TextEncoder();

/** Reads requests and never answers, until the client closes. */
async function hang(conn: RawConn): Promise<void> {
  while (await conn.readRequest());
}

function isTimeout(err: unknown): boolean {
  return err instanceof DOMException && err.name === "TimeoutError";
}

Deno.test("createHttpClient() rejects with the TimeoutError when the head does not come", async () => {
  // The server never answers, so only the signal can end the request.
  await withRaw(hang, async (client) => {
    await assert.rejects(client.request(GET, AbortSignal.timeout(50)), isTimeout);
  });
});

Deno.test("createHttpClient() rejects with the reason when aborted while writing", async () => {
  // The app stops reading once the head is in, so a 64 MiB body fills the socket buffers and
  // the write blocks until the test lets the app go: only the abort can end the request.
  let done!: () => void;
  const finished = new Promise<void>((resolve) => done = resolve);
  const headRead = Promise.withResolvers<void>();
  await withRaw(async (conn) => {
    await conn.readUntil("\r\n\r\n");
    headRead.resolve();
    await finished;
  }, async (client) => {
    try {
      const body = new Uint8Array(64 * 1024 * 1024);
      const controller = new AbortController();
      const request = client.request({ ...GET, method: "PUT", body }, controller.signal);
      await headRead.promise;
      const reason = new DOMException("Signal timed out.", "TimeoutError");
      controller.abort(reason);
      await assert.rejects(request, (error) => error === reason);
    } finally {
      done();
    }
  });
});

Deno.test("createHttpClient() rejects at once for an already aborted signal", async () => {
  await withRaw(hang, async (client, server) => {
    const controller = new AbortController();
    const reason = new Error("gone");
    controller.abort(reason);
    await assert.rejects(client.request(GET, controller.signal), (err) => err === reason);
    assert.equal(server.accepted, 0);
  });
});

Deno.test("createHttpClient() errors the body with the reason when aborted mid-body", async () => {
  await withRaw(async (conn) => {
    await conn.readRequest();
    await conn.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst");
    await conn.readRequest();
  }, async (client) => {
    const controller = new AbortController();
    const res = await client.request(GET, controller.signal);
    const reader = res.body.getReader();
    assert.equal(new TextDecoder().decode((await reader.read()).value), "first");
    const pending = reader.read();
    const reason = new DOMException("stop", "AbortError");
    controller.abort(reason);
    await assert.rejects(pending, (err) => err === reason);
  });
});

Deno.test("createHttpClient() errors the body when aborted between reads", async () => {
  await withRaw(async (conn) => {
    await conn.readRequest();
    await conn.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
    await conn.readRequest();
  }, async (client) => {
    const controller = new AbortController();
    const res = await client.request(GET, controller.signal);
    const reader = res.body.getReader();
    await reader.read();
    controller.abort();
    await assert.rejects(reader.read(), (err) => err === controller.signal.reason);
  });
});

Deno.test("createHttpClient() errors the body when the connection ends mid-body", async () => {
  await withRaw(async (conn) => {
    await conn.readRequest();
    await conn.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
    await conn.write(new Uint8Array(30000));
  }, async (client) => {
    const res = await client.request({ ...GET, method: "POST", body: new Uint8Array(10) });
    await assert.rejects(
      readBody(res.body),
      (err) => err instanceof HttpProtocolError || err instanceof Deno.errors.ConnectionReset,
    );
  });
});

Deno.test("createHttpClient() leaves a pooled connection alone when aborted afterwards", async () => {
  await withRaw(async (conn) => {
    while (await conn.readRequest()) {
      await conn.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    }
  }, async (client, server) => {
    const controller = new AbortController();
    assert.equal(await readText((await client.request(GET, controller.signal)).body), "ok");
    controller.abort();
    assert.equal(await readText((await client.request(GET)).body), "ok");
    assert.equal(server.accepted, 1);
  });
});

Deno.test("createHttpClient() cancels a streamed request body when aborted", async () => {
  let cancelled: unknown = undefined;
  await withRaw(hang, async (client) => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode("partial"));
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const signal = AbortSignal.timeout(50);
    await assert.rejects(client.request({ ...GET, method: "POST", body }, signal), isTimeout);
    assert.ok(isTimeout(cancelled));
  });
});

Deno.test("createHttpClient() rejects with the error of a failing request body", async () => {
  await withRaw(hang, async (client) => {
    const failure = new Error("source broke");
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(encoder.encode("data"));
        controller.error(failure);
      },
    });
    await assert.rejects(
      client.request({ ...GET, method: "POST", body }),
      (err) => err === failure,
    );
  });
});

Deno.test("createHttpClient() writes each stream chunk as soon as it is produced", async () => {
  const events: string[] = [];
  await withRaw(async (conn) => {
    await conn.readUntil("\r\n\r\n");
    for (let i = 0; i < 3; i++) {
      const chunk = await conn.readUntil(`part${i}\r\n`);
      events.push(`received ${new TextDecoder().decode(chunk ?? new Uint8Array())}`);
    }
    await conn.readUntil("0\r\n\r\n");
    await conn.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  }, async (client) => {
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        events.push(`pull ${i}`);
        await sleep(20);
        if (i === 3) return controller.close();
        controller.enqueue(encoder.encode(`part${i++}`));
      },
    }, { highWaterMark: 0 });
    await readBody((await client.request({ ...GET, method: "POST", body })).body);
  });
  // A buffering writer would pull chunk i + 2 before chunk i reached the server.
  for (let i = 0; i < 3; i++) {
    const received = events.indexOf(`received 5\r\npart${i}\r\n`);
    assert.ok(received !== -1, events.join());
    if (i < 2) assert.ok(received < events.indexOf(`pull ${i + 2}`), events.join());
  }
});
