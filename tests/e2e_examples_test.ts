/**
 * Each example in examples/ runs through `lambda-adapter emulate` the way its README says.
 */

import assert from "node:assert/strict";
import { startEmulate } from "./harness.ts";

const ROOT = new URL("../", import.meta.url);
const path = (relative: string) => new URL(relative, ROOT).pathname;

Deno.test("examples/hono-deno: a Hono app on Deno, buffered and streaming", async () => {
  const app = [
    Deno.execPath(),
    "run",
    "--allow-net",
    "--allow-env",
    path("examples/hono-deno/main.ts"),
  ];
  {
    await using emulate = await startEmulate({ app });
    assert.equal(
      await (await emulate.fetch("/")).text(),
      "Hello from Hono on Deno, behind lambda-adapter!",
    );
    assert.deepEqual(await (await emulate.fetch("/users/7?tag=a&tag=b")).json(), {
      id: "7",
      tags: ["a", "b"],
    });
    const echo = await emulate.fetch("/echo", { method: "POST", body: '{"x":1}' });
    assert.equal(echo.status, 201);
    assert.deepEqual(await echo.json(), { received: { x: 1 } });
  }
  await using streaming = await startEmulate({
    app,
    env: { AWS_LWA_INVOKE_MODE: "response_stream" },
  });
  const clock = await streaming.fetch("/clock");
  assert.match(clock.headers.get("content-type")!, /^text\/event-stream/);
  const events = (await clock.text()).split("\n\n").filter(Boolean);
  assert.equal(events.length, 3);
});

Deno.test("examples/express-zip: run.sh started by the layer's bootstrap", async () => {
  await using emulate = await startEmulate({
    app: [path("layer/bootstrap")],
    cwd: path("examples/express-zip/"),
  });
  assert.equal(
    await (await emulate.fetch("/")).text(),
    "Hello from Express, behind lambda-adapter!",
  );
  assert.deepEqual(await (await emulate.fetch("/items/3?color=red")).json(), {
    id: "3",
    query: { color: "red" },
  });
  await emulate.child.waitForLine(/\[app\] listening on \d+/);
});

Deno.test("examples/flask: a Flask app behind a REST API", async () => {
  await using emulate = await startEmulate({
    app: ["/usr/bin/python3", "app.py"],
    args: ["--event-source", "rest-api"],
    cwd: path("examples/flask/"),
  });
  assert.deepEqual(await (await emulate.fetch("/greet/ada?lang=fr")).json(), {
    greeting: "Hello, ada",
    lang: "fr",
  });
  const echo = await emulate.fetch("/echo", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"y":2}',
  });
  assert.equal(echo.status, 201);
  const body = await echo.json();
  assert.deepEqual(body.received, { y: 2 });
  assert.ok(body.headers["X-Amzn-Request-Context"]);
});

Deno.test("examples/flask: /stream through a streaming Function URL, as the CDK app sets it up", async () => {
  await using emulate = await startEmulate({
    app: ["/usr/bin/python3", "app.py"],
    cwd: path("examples/flask/"),
    env: { AWS_LWA_INVOKE_MODE: "response_stream" },
  });
  const response = await fetch(`${emulate.url}/stream`);
  assert.match(response.headers.get("content-type")!, /^text\/plain/);
  assert.equal(await response.text(), "line 0\nline 1\nline 2\n");
});
