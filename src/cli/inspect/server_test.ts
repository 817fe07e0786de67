import assert from "node:assert/strict";
import { inspectorApp } from "./server.ts";
import { InvocationStore } from "./store.ts";

const encoder = new TextEncoder();
const EVENT = { rawPath: "/a b", headers: { cookie: "sid=secret-\u{1F36A}" }, body: "\u00e9" };

function app(showSecrets = false) {
  const store = new InvocationStore();
  const invoked: [string, string][] = [];
  const closing = new AbortController();
  const routes = inspectorApp({
    store,
    showSecrets,
    about: { function: "fn" },
    closing: closing.signal,
    invoke: (event, via) => {
      invoked.push([new TextDecoder().decode(event), via]);
      return Promise.resolve(store.begin("new", event, begunAs).seq);
    },
  });
  return { store, invoked, routes };
}
const begunAs = { via: "front door", method: "GET", path: "/a%20b", source: "function-url" };

Deno.test("the inspector's API lists, details and downloads with secrets masked", async () => {
  const { store, routes } = app();
  store.begin("id-1", encoder.encode(JSON.stringify(EVENT)), begunAs);
  const list = await (await routes.request("/api/invocations")).json();
  assert.equal(list.kept, 200);
  assert.deepEqual(list.invocations.map((s: { seq: number }) => s.seq), [1]);
  const detail = await (await routes.request("/api/invocations/1")).json();
  assert.match(detail.event.json, /"cookie": "\*+ \(masked, \d+ bytes\)"/);
  assert.equal((await routes.request("/api/invocations/7")).status, 404);
  const download = await routes.request("/api/invocations/1/download/event");
  assert.ok(!(await download.text()).includes("secret"));
  assert.equal((await routes.request("/api/invocations/1/download/response")).status, 404);
  const fixture = await routes.request("/api/invocations/1/fixture");
  assert.equal(
    fixture.headers.get("content-disposition"),
    'attachment; filename="function-url-get-a-20b.json"',
  );
  const page = await routes.request("/");
  assert.match(await page.text(), /<script src="\/app\.js"><\/script>/);
  assert.match((await routes.request("/app.js")).headers.get("content-type")!, /javascript/);
});

Deno.test("replay sends the real event; an edited one is sent as given", async () => {
  const { store, invoked, routes } = app();
  const raw = JSON.stringify(EVENT);
  store.begin("id-1", encoder.encode(raw), begunAs);
  const replayed = await (await routes.request("/api/invocations/1/replay", { method: "POST" }))
    .json();
  assert.equal(replayed.seq, 2);
  assert.deepEqual(invoked[0], [raw, "replay of #1"], "replay is not masked");
  await routes.request("/api/invoke", { method: "POST", body: '{"edited":"\u{1F600}"}' });
  assert.deepEqual(invoked[1], ['{"edited":"\u{1F600}"}', "edited"]);
  assert.equal((await routes.request("/api/invocations/9/replay", { method: "POST" })).status, 404);
});

Deno.test("--inspect-show-secrets shows them", async () => {
  const { store, routes } = app(true);
  store.begin("id-1", encoder.encode(JSON.stringify(EVENT)), begunAs);
  const detail = await (await routes.request("/api/invocations/1")).json();
  assert.match(detail.event.json, /sid=secret-\u{1F36A}/u);
});
