import assert from "node:assert/strict";
import { HttpProtocolError } from "./errors.ts";
import { readBody } from "./read_body.ts";
import { always, readText, withRaw } from "../../tests/support/raw_http.ts";
import type { OutgoingRequest } from "./types.ts";

const decoder = new TextDecoder();

const GET: OutgoingRequest = { method: "GET", target: "/", headers: [] };

Deno.test("createHttpClient() writes header fields in order, repeated, as given", async () => {
  let head = "";
  await withRaw(async (conn) => {
    head = (await conn.readRequest())!.head;
    await conn.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  }, async (client, server) => {
    const res = await client.request({
      method: "OPTIONS",
      target: "*",
      headers: [["X-B", "1"], ["accept", "*/*"], ["X-B", "2"], ["content-length", "9"]],
    });
    await readBody(res.body);
    assert.equal(
      head,
      `OPTIONS * HTTP/1.1\r\nX-B: 1\r\naccept: */*\r\nX-B: 2\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`,
    );
  });
});

Deno.test("createHttpClient() sends a body with GET", async () => {
  let raw = "";
  await withRaw(async (conn) => {
    raw = decoder.decode((await conn.readRequest())!.raw);
    await conn.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  }, async (client) => {
    const body = new TextEncoder().encode("query");
    await readBody((await client.request({ ...GET, body })).body);
    assert.match(raw, /^GET \/ HTTP\/1\.1\r\nHost: [^\r]+\r\nContent-Length: 5\r\n\r\nquery$/);
  });
});

Deno.test("createHttpClient() keeps repeated response fields apart, names as sent", async () => {
  const response =
    "HTTP/1.1 200 OK\r\nX-R: 1\r\nx-r: 2\r\nVary: a\r\nX-R: 3\r\nContent-Length: 0\r\n\r\n";
  await withRaw(always(response), async (client) => {
    const res = await client.request(GET);
    await readBody(res.body);
    assert.deepEqual(res.headers, [
      ["X-R", "1"],
      ["x-r", "2"],
      ["Vary", "a"],
      ["X-R", "3"],
      ["Content-Length", "0"],
    ]);
  });
});

Deno.test("createHttpClient() reads a Content-Length body and reuses the connection", async () => {
  await withRaw(
    always("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nabcdefg"),
    async (client, server) => {
      assert.equal(await readText((await client.request(GET)).body), "abcdefg");
      assert.equal(await readText((await client.request(GET)).body), "abcdefg");
      assert.equal(server.accepted, 1);
    },
  );
});

Deno.test("createHttpClient() reads a body without framing until the close", async () => {
  await withRaw(async (conn) => {
    await conn.readRequest();
    await conn.write("HTTP/1.1 200 OK\r\nX: 1\r\n\r\nuntil ");
    await conn.write("the end");
  }, async (client, server) => {
    assert.equal(await readText((await client.request(GET)).body), "until the end");
    assert.equal(await readText((await client.request(GET)).body), "until the end");
    assert.equal(server.accepted, 2);
  });
});

Deno.test("createHttpClient() rejects invalid framing and status lines with HttpProtocolError", async () => {
  const responses = [
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
    "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n",
    "SSH-2.0-OpenSSH_9.6\r\n\r\n",
    "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n",
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
    "HTTP/1.1 600 Beyond\r\nContent-Length: 0\r\n\r\n",
    "HTTP/1.1 099 Before\r\nContent-Length: 0\r\n\r\n",
  ];
  for (const response of responses) {
    await withRaw(always(response), async (client) => {
      await assert.rejects(client.request(GET), HttpProtocolError, response);
    });
  }
});

Deno.test("createHttpClient() errors the body on a bad chunk size or a short body", async () => {
  const responses = [
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
    "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
  ];
  for (const response of responses) {
    await withRaw(async (conn) => {
      await conn.readRequest();
      await conn.write(response);
    }, async (client) => {
      const res = await client.request(GET);
      await assert.rejects(readBody(res.body), HttpProtocolError, response);
    });
  }
});

Deno.test("createHttpClient() rejects a response head over maxHeadBytes", async () => {
  const response = `HTTP/1.1 200 OK\r\nX-Big: ${"a".repeat(5000)}\r\nContent-Length: 0\r\n\r\n`;
  await withRaw(always(response), async (client) => {
    await assert.rejects(client.request(GET), /larger than 4096 bytes/);
  }, { maxHeadBytes: 4096 });
});

Deno.test("createHttpClient() reads no body for 204, 304 and HEAD and keeps the connection", async () => {
  const responses = [
    "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n",
    "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
  ];
  await withRaw(async (conn) => {
    for (const response of responses) {
      if (!(await conn.readRequest())) return;
      await conn.write(response);
    }
  }, async (client, server) => {
    const methods = ["GET", "GET", "HEAD", "GET"];
    const expected = [204, 304, 200, 200];
    for (let i = 0; i < methods.length; i++) {
      const res = await client.request({ ...GET, method: methods[i]! });
      assert.equal(res.status, expected[i]);
      assert.equal(await readText(res.body), i === 3 ? "ok" : "");
    }
    assert.equal(server.accepted, 1);
  });
});

Deno.test("createHttpClient() skips 100 and 103 interim responses", async () => {
  const response = "HTTP/1.1 100 Continue\r\n\r\n" +
    "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n" +
    "HTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone";
  await withRaw(always(response), async (client) => {
    const res = await client.request({ ...GET, method: "POST" });
    assert.equal(res.status, 201);
    assert.deepEqual(res.headers, [["Content-Length", "4"]]);
    assert.equal(await readText(res.body), "done");
  });
});

Deno.test("createHttpClient() reuses an HTTP/1.0 connection only with keep-alive", async () => {
  await withRaw(
    always("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\na"),
    async (client, server) => {
      for (let i = 0; i < 3; i++) await readBody((await client.request(GET)).body);
      assert.equal(server.accepted, 1);
    },
  );
  await withRaw(always("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\na"), async (client, server) => {
    for (let i = 0; i < 3; i++) await readBody((await client.request(GET)).body);
    assert.equal(server.accepted, 3);
  });
});

Deno.test("createHttpClient() rejects a CR/LF in a field with TypeError before writing", async () => {
  await withRaw(always("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), async (client, server) => {
    const headers: [string, string][] = [["X-A", "1\r\nX-Injected: yes"]];
    await assert.rejects(client.request({ ...GET, headers }), TypeError);
    await assert.rejects(client.request({ ...GET, target: "/ HTTP/1.1\r\n" }), TypeError);
    assert.equal(server.accepted, 0);
    assert.equal(client.stats.connectionsOpened, 0);
  });
});
