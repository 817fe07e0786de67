import assert from "node:assert/strict";
import { resolveConfig } from "./config.ts";
import { Environment } from "./environment.ts";
import { createHandler, pathOf } from "./handler.ts";

Deno.test("pathOf() takes the path out of an absolute URL", () => {
  assert.equal(
    pathOf("http://127.0.0.1:9001/2018-06-01/runtime/invocation/next"),
    "/2018-06-01/runtime/invocation/next",
  );
  assert.equal(pathOf("http://h/a/b?x=/y#z"), "/a/b");
  assert.equal(pathOf("http://h/a#frag"), "/a");
  assert.equal(pathOf("http://h"), "/");
});

Deno.test("createHandler() answers without a network: 404, 405, and a percent-encoded id", async () => {
  const env = new Environment(resolveConfig({}));
  const handle = createHandler(env);
  const notFound = await handle(new Request("http://h/2020-01-01/extension/nothing"));
  assert.equal(notFound.status, 404);
  await notFound.body?.cancel();
  const badId = await handle(
    new Request("http://h/2018-06-01/runtime/invocation/%E0%A4%A/response", { method: "POST" }),
  );
  assert.equal(badId.status, 400);
  assert.equal((await badId.json()).errorType, "InvalidRequestID");
  env.close();
});

Deno.test("createHandler() routes a request id containing a slash", async () => {
  const env = new Environment(resolveConfig({}));
  const handle = createHandler(env);
  const result = env.invoke({}, { requestId: "a/b" });
  const next = await handle(new Request("http://h/2018-06-01/runtime/invocation/next"));
  assert.equal(next.headers.get("Lambda-Runtime-Aws-Request-Id"), "a/b");
  await next.body?.cancel();
  const posted = await handle(
    new Request("http://h/2018-06-01/runtime/invocation/a%2Fb/response", {
      method: "POST",
      body: "1",
    }),
  );
  assert.equal(posted.status, 202);
  await posted.body?.cancel();
  assert.equal((await result).kind, "response");
  env.close();
});

Deno.test("createHandler() hands a streaming response its trailers through extras", async () => {
  const env = new Environment(resolveConfig({}));
  const handle = createHandler(env);
  const result = env.invoke({}, { requestId: "s" });
  const next = await handle(new Request("http://h/2018-06-01/runtime/invocation/next"));
  await next.body?.cancel();
  const body = ReadableStream.from([new TextEncoder().encode("text")]);
  const posted = await handle(
    new Request("http://h/2018-06-01/runtime/invocation/s/response", {
      method: "POST",
      body,
      headers: { "Lambda-Runtime-Function-Response-Mode": "streaming" },
    }),
    { trailers: Promise.resolve(new Headers({ "Lambda-Runtime-Function-Error-Type": "T.X" })) },
  );
  assert.equal(posted.status, 202);
  await posted.body?.cancel();
  const stream = await result;
  assert.equal(stream.kind, "stream");
  assert.equal(stream.kind === "stream" && stream.errorType, "T.X");
  assert.equal(stream.kind === "stream" && stream.bodyBytes, 4);
  env.close();
});
