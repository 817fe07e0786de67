import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { createHttpClient } from "./client.ts";
import type { HttpClientHandle } from "./client.ts";
import { readBody } from "./read_body.ts";
import { readText } from "../../tests/support/raw_http.ts";
import { getHeader, getHeaderAll } from "./types.ts";
import { sleep } from "../util/async.ts";

/** Runs `fn` against a `Deno.serve` app and a client for it, then closes both. */
async function withApp(
  handler: (req: Request) => Response | Promise<Response>,
  fn: (client: HttpClientHandle) => Promise<void>,
): Promise<void> {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, handler);
  const client = createHttpClient({ hostname: "127.0.0.1", port: server.addr.port });
  try {
    await fn(client);
  } finally {
    await client.close();
    await server.shutdown();
  }
}

function pattern(size: number, seed = 0): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

const echo = async (req: Request) => {
  const body = await req.arrayBuffer();
  return new Response(body.byteLength > 0 ? body : `${req.method} ${req.url}`, {
    headers: { "x-method": req.method, "x-host": req.headers.get("host") ?? "" },
  });
};

Deno.test("createHttpClient() does a GET and a POST round trip", async () => {
  await withApp(echo, async (client) => {
    const get = await client.request({ method: "GET", target: "/a?b=1", headers: [] });
    assert.equal(get.status, 200);
    assert.equal(get.statusText, "OK");
    assert.equal(getHeader(get.headers, "x-method"), "GET");
    assert.match(await readText(get.body), /^GET http:\/\/127\.0\.0\.1:\d+\/a\?b=1$/);

    const body = new TextEncoder().encode("hello");
    const post = await client.request({ method: "POST", target: "/", headers: [], body });
    assert.equal(await readText(post.body), "hello");
    assert.equal(getHeader(post.headers, "content-length"), "5");
  });
});

Deno.test("createHttpClient() sends the caller's Host verbatim and adds one when absent", async () => {
  await withApp(echo, async (client) => {
    const given = await client.request({
      method: "GET",
      target: "/",
      headers: [["Host", "api.example.com"]],
    });
    assert.equal(getHeader(given.headers, "x-host"), "api.example.com");
    await given.body.cancel();
    const added = await client.request({ method: "GET", target: "/", headers: [] });
    assert.match(getHeader(added.headers, "x-host")!, /^127\.0\.0\.1:\d+$/);
    await readBody(added.body);
  });
});

Deno.test("createHttpClient() passes a gzip body through byte-exact", async () => {
  const gzipped = new Uint8Array(gzipSync(new TextEncoder().encode("compressed ".repeat(1000))));
  await withApp(
    () => new Response(gzipped, { headers: { "content-encoding": "gzip" } }),
    async (client) => {
      const res = await client.request({
        method: "GET",
        target: "/",
        headers: [["Accept-Encoding", "gzip"]],
      });
      assert.equal(getHeader(res.headers, "content-encoding"), "gzip");
      assert.deepEqual(await readBody(res.body), gzipped);
    },
  );
});

Deno.test("createHttpClient() does not follow a 302", async () => {
  await withApp(
    () => new Response(null, { status: 302, headers: { location: "/elsewhere" } }),
    async (client) => {
      const res = await client.request({ method: "GET", target: "/", headers: [] });
      assert.equal(res.status, 302);
      assert.equal(getHeader(res.headers, "location"), "/elsewhere");
      assert.equal((await readBody(res.body)).length, 0);
    },
  );
});

Deno.test("createHttpClient() keeps repeated Set-Cookie fields apart", async () => {
  await withApp(() => {
    const headers = new Headers();
    headers.append("set-cookie", "a=1");
    headers.append("set-cookie", "b=2");
    return new Response("ok", { headers });
  }, async (client) => {
    const res = await client.request({ method: "GET", target: "/", headers: [] });
    assert.deepEqual(getHeaderAll(res.headers, "set-cookie"), ["a=1", "b=2"]);
    await readBody(res.body);
  });
});

Deno.test("createHttpClient() moves 8 MiB bodies both ways byte-exact", async () => {
  const big = pattern(8 * 1024 * 1024, 7);
  await withApp(echo, async (client) => {
    const res = await client.request({ method: "PUT", target: "/", headers: [], body: big });
    const back = await readBody(res.body);
    assert.equal(back.length, big.length);
    assert.ok(back.every((byte, i) => byte === big[i]));
  });
});

Deno.test("createHttpClient() streams an 8 MiB request body as chunks", async () => {
  const big = pattern(8 * 1024 * 1024, 3);
  await withApp(echo, async (client) => {
    const body = new Blob([big]).stream();
    const res = await client.request({ method: "POST", target: "/", headers: [], body });
    const back = await readBody(res.body);
    assert.equal(back.length, big.length);
    assert.ok(back.every((byte, i) => byte === big[i]));
  });
});

Deno.test("createHttpClient() serves 50 concurrent requests over the pool", async () => {
  await withApp(async (req) => {
    const body = await req.text();
    await sleep(Math.random() * 5);
    return new Response(`echo:${body}`);
  }, async (client) => {
    const encoder = new TextEncoder();
    for (let round = 0; round < 2; round++) {
      const results = await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const body = encoder.encode(`${round}-${i}-${"x".repeat(i * 100)}`);
          const res = await client.request({ method: "POST", target: `/${i}`, headers: [], body });
          return [i, await readText(res.body)] as const;
        }),
      );
      for (const [i, text] of results) {
        assert.equal(text, `echo:${round}-${i}-${"x".repeat(i * 100)}`);
      }
    }
    assert.ok(client.stats.connectionsOpened <= 50 + client.stats.retries);
    assert.ok(client.stats.reused >= 50);
  });
});

Deno.test("createHttpClient() keeps one connection for sequential requests", async () => {
  await withApp(echo, async (client) => {
    for (let i = 0; i < 5; i++) {
      const res = await client.request({ method: "GET", target: `/${i}`, headers: [] });
      await readBody(res.body);
    }
    assert.deepEqual({ ...client.stats }, { connectionsOpened: 1, reused: 4, retries: 0 });
  });
});

Deno.test("createHttpClient() opens a connection per request without pooling", async () => {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, echo);
  const client = createHttpClient({
    hostname: "127.0.0.1",
    port: server.addr.port,
    pooling: false,
  });
  for (let i = 0; i < 3; i++) {
    const res = await client.request({ method: "GET", target: "/", headers: [] });
    await readBody(res.body);
  }
  assert.deepEqual({ ...client.stats }, { connectionsOpened: 3, reused: 0, retries: 0 });
  await client.close();
  await server.shutdown();
});

Deno.test("createHttpClient() rejects when the app is not listening", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const client = createHttpClient({ hostname: "127.0.0.1", port });
  await assert.rejects(
    client.request({ method: "GET", target: "/", headers: [] }),
    Deno.errors.ConnectionRefused,
  );
  await client.close();
});
