/**
 * A Hono app on Deno, packaged as a container image with lambda-adapter. Nothing in it knows
 * about Lambda: it listens on PORT (default 8080) like anywhere else.
 */
import { Hono } from "npm:hono@4.13.19";
import { streamSSE } from "npm:hono@4.13.19/streaming";

const app = new Hono();

app.get("/", (c) => c.text("Hello from Hono on Deno, behind lambda-adapter!"));

app.get("/users/:id", (c) => c.json({ id: c.req.param("id"), tags: c.req.queries("tag") ?? [] }));

app.post("/echo", async (c) => c.json({ received: await c.req.json() }, 201));

// Streams when AWS_LWA_INVOKE_MODE=response_stream (Function URL with RESPONSE_STREAM).
app.get("/clock", (c) =>
  streamSSE(c, async (stream) => {
    for (let i = 0; i < 3; i++) {
      await stream.writeSSE({ data: new Date().toISOString(), id: `${i}` });
      await stream.sleep(100);
    }
  }));

// Non-HTTP events (SQS here) arrive as a POST to AWS_LWA_PASS_THROUGH_PATH.
app.post("/events", async (c) => {
  const event = await c.req.json();
  return c.json({ batchItemFailures: [], records: event.Records?.length ?? 0 });
});

Deno.serve({ port: Number(Deno.env.get("PORT") ?? 8080) }, app.fetch);
