import assert from "node:assert/strict";
import { BufferedConn } from "./buffered_conn.ts";
import { ChunkedDecoder, LengthDecoder, UntilCloseDecoder } from "./body_decoders.ts";
import type { BodyDecoder } from "./body_decoders.ts";
import { HttpProtocolError } from "./errors.ts";
import { concatBytes } from "../util/bytes.ts";
import { socketPair, writeTo } from "../../tests/support/raw_http.ts";

const decoder = new TextDecoder();

/** Sends `wire` (then closes if `close`) and decodes it with the decoder `make` returns. */
async function decode(
  wire: string,
  make: (conn: BufferedConn) => BodyDecoder,
  close = false,
): Promise<{ body: string; rest: string }> {
  const [client, server] = await socketPair();
  const conn = new BufferedConn(client, () => {});
  try {
    await writeTo(server, wire);
    if (close) server.close();
    const body = make(conn);
    const parts: Uint8Array[] = [];
    for (let part = await body.next(); part !== null; part = await body.next()) parts.push(part);
    assert.equal(body.done, true);
    return { body: decoder.decode(concatBytes(parts)), rest: decoder.decode(conn.take(1000)) };
  } finally {
    conn.close();
    await conn.settled();
    if (!close) server.close();
  }
}

Deno.test("LengthDecoder reads exactly the declared bytes", async () => {
  const result = await decode("hello world|next", (conn) => new LengthDecoder(conn, 11));
  assert.deepEqual(result, { body: "hello world", rest: "|next" });
  await assert.rejects(
    decode("short", (conn) => new LengthDecoder(conn, 10), true),
    HttpProtocolError,
  );
});

Deno.test("ChunkedDecoder stops right after the trailer section", async () => {
  const wire = "3;a=b\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: 1\r\nU: 2\r\n\r\n|next";
  const result = await decode(wire, (conn) => new ChunkedDecoder(conn, 1024));
  assert.deepEqual(result, { body: "abc0123456789abcdef", rest: "|next" });
});

Deno.test("ChunkedDecoder keeps the trailer field lines as received", async () => {
  const [client, server] = await socketPair();
  const conn = new BufferedConn(client, () => {});
  try {
    await writeTo(server, "1\r\nx\r\n0\r\nT: 1\r\nLong-Name:  a b \r\n\r\n");
    const body = new ChunkedDecoder(conn, 1024);
    assert.deepEqual(body.trailerLines, []);
    while (await body.next() !== null);
    assert.deepEqual(body.trailerLines.map((line) => decoder.decode(line)), [
      "T: 1",
      "Long-Name:  a b ",
    ]);
  } finally {
    conn.close();
    await conn.settled();
    server.close();
  }
});

Deno.test("ChunkedDecoder accepts upper-case hex and BWS before extensions", async () => {
  const wire = "A \t;x\r\n0123456789\r\n00\r\n\r\n";
  const result = await decode(wire, (conn) => new ChunkedDecoder(conn, 1024));
  assert.equal(result.body, "0123456789");
});

Deno.test("ChunkedDecoder rejects malformed framing", async () => {
  for (
    const wire of [
      "3\r\nabcX\r\n0\r\n\r\n",
      "g\r\n",
      "\r\n",
      "3 x\r\nabc\r\n",
      "3\nabc\r\n",
      "fffffffffffffff\r\n",
      "0\r\nT: 1\r\n" + "U: 2\r\n".repeat(100),
    ]
  ) {
    await assert.rejects(
      decode(wire, (conn) => new ChunkedDecoder(conn, 64), true),
      HttpProtocolError,
      JSON.stringify(wire),
    );
  }
});

Deno.test("UntilCloseDecoder reads until the peer closes", async () => {
  const result = await decode("all of it", (conn) => new UntilCloseDecoder(conn), true);
  assert.deepEqual(result, { body: "all of it", rest: "" });
});
