// deno-lint-ignore-file no-console -- a test app reports where it listens
/**
 * A misbehaving app on raw TCP, for the adapter's bad-input tests. It reads the request head and
 * then, by path:
 *
 * - `/hang`: never answers
 * - `/garbage`: writes bytes that are not HTTP and closes
 * - `/close`: closes without answering
 * - `/truncated`: promises 100 bytes, sends 10, closes
 * - `/bad-header`: a header line without a colon
 * - `/stream-then-close`: starts a chunked body, sends one chunk, closes mid-stream
 * - anything else: 200 "fine"
 *
 * `PORT` sets the port (0 picks a free one, reported on the first line).
 *
 * @module
 */

const port = Number(Deno.env.get("PORT") ?? "8080");
const encoder = new TextEncoder();
const listener = Deno.listen({ hostname: "127.0.0.1", port });
console.log(`bad app listening on ${listener.addr.port}`);

async function readHead(conn: Deno.Conn): Promise<string | undefined> {
  const buffer = new Uint8Array(65536);
  let text = "";
  while (!text.includes("\r\n\r\n")) {
    const n = await conn.read(buffer);
    if (n === null) return undefined;
    text += new TextDecoder().decode(buffer.subarray(0, n));
  }
  return text;
}

async function serve(conn: Deno.Conn) {
  try {
    for (;;) {
      const head = await readHead(conn);
      if (head === undefined) break;
      const path = (head.split(" ")[1] ?? "/").split("?")[0];
      // Read whatever of the body did not arrive with the head.
      const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? "0");
      let missing = length -
        new TextEncoder().encode(head.slice(head.indexOf("\r\n\r\n") + 4)).length;
      while (missing > 0) {
        const n = await conn.read(new Uint8Array(missing));
        if (n === null) break;
        missing -= n;
      }
      if (path === "/hang") {
        await new Promise(() => {});
      } else if (path === "/garbage") {
        await conn.write(encoder.encode("SPDY/9 what is this\r\n\r\n"));
        break;
      } else if (path === "/close") {
        break;
      } else if (path === "/truncated") {
        await conn.write(
          encoder.encode("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789"),
        );
        break;
      } else if (path === "/stream-then-close") {
        await conn.write(encoder.encode(
          "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-type: text/plain\r\n\r\n5\r\nhello\r\n",
        ));
        await new Promise((resolve) => setTimeout(resolve, 50));
        break;
      } else if (path === "/bad-header") {
        await conn.write(encoder.encode("HTTP/1.1 200 OK\r\nthis is not a header\r\n\r\n"));
        break;
      } else {
        await conn.write(
          encoder.encode(
            "HTTP/1.1 200 OK\r\ncontent-length: 4\r\ncontent-type: text/plain\r\n\r\nfine",
          ),
        );
      }
    }
  } catch {
    // The adapter gave up on this connection; that is the point of these paths.
  } finally {
    try {
      conn.close();
    } catch { /* already closed */ }
  }
}

for await (const conn of listener) serve(conn);
