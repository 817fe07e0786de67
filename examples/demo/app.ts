/**
 * The demo app: an ordinary Deno web server that knows nothing about Lambda. `deno task demo`
 * puts it behind the adapter and the emulator.
 *
 * - `GET /` greets, and shows what the adapter told it about the invocation
 * - `GET|POST /api/items` a small JSON API
 * - `GET /logo.png` a binary body (a 1x1 PNG)
 * - `POST /events` receives non-HTTP events (SQS here) and reports failed items
 *
 * @module
 */

const port = Number(Deno.env.get("PORT") ?? "8080");
const items = [{ id: 1, name: "coffee" }];
const PNG = Uint8Array.fromBase64(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
);

async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === "/" && request.method === "GET") {
    const lambda = JSON.parse(request.headers.get("x-amzn-lambda-context") ?? "null");
    return new Response(
      `Hello from an unmodified Deno app! Lambda request id: ${lambda?.request_id ?? "none"}\n`,
      { headers: { "content-type": "text/plain; charset=utf-8", "set-cookie": "visited=yes" } },
    );
  }
  if (url.pathname === "/api/items") {
    if (request.method === "POST") {
      const item = { id: items.length + 1, ...(await request.json()) };
      items.push(item);
      return Response.json(item, { status: 201 });
    }
    return Response.json(items);
  }
  if (url.pathname === "/logo.png") {
    return new Response(PNG, { headers: { "content-type": "image/png" } });
  }
  if (url.pathname === "/events" && request.method === "POST") {
    const event = await request.json();
    const failed = (event.Records ?? []).filter((record: { body: string }) =>
      record.body.includes("fail")
    );
    return Response.json({
      batchItemFailures: failed.map((record: { messageId: string }) => ({
        itemIdentifier: record.messageId,
      })),
    });
  }
  return new Response("not found\n", { status: 404 });
}

Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, handle);
