import assert from "node:assert/strict";
import { hostPort, serveHandler } from "./server.ts";

Deno.test("hostPort() brackets IPv6 hosts", () => {
  assert.equal(hostPort("127.0.0.1", 9001), "127.0.0.1:9001");
  assert.equal(hostPort("::1", 9001), "[::1]:9001");
});

Deno.test("serveHandler() serves a handler on an ephemeral port until closed", async () => {
  const served = serveHandler(() => Promise.resolve(new Response("hi")), "127.0.0.1", 0);
  assert.ok(served.port > 0);
  const answer = await fetch(`http://${hostPort(served.hostname, served.port)}/`);
  assert.equal(await answer.text(), "hi");
  await served.close();
});
