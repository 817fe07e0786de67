import assert from "node:assert/strict";
import { createWaiterQueue } from "./waiter_queue.ts";

Deno.test("createWaiterQueue() serves parked callers first come first served", async () => {
  const queue = createWaiterQueue<string>();
  const first = queue.wait(undefined, () => "aborted");
  const second = queue.wait(undefined, () => "aborted");
  assert.equal(queue.size, 2);
  queue.take()?.("a");
  queue.take()?.("b");
  assert.deepEqual(await Promise.all([first, second]), ["a", "b"]);
  assert.equal(queue.take(), undefined);
});

Deno.test("createWaiterQueue() drops a caller whose signal aborts", async () => {
  const queue = createWaiterQueue<string>();
  const controller = new AbortController();
  const gone = queue.wait(controller.signal, () => "aborted");
  const stays = queue.wait(undefined, () => "aborted");
  controller.abort();
  assert.equal(await gone, "aborted");
  assert.equal(queue.size, 1);
  queue.take()?.("value");
  assert.equal(await stays, "value");
});

Deno.test("createWaiterQueue() answers an already aborted signal at once", async () => {
  const queue = createWaiterQueue<string>();
  assert.equal(await queue.wait(AbortSignal.abort(), () => "aborted"), "aborted");
  assert.equal(queue.size, 0);
});

Deno.test("createWaiterQueue() ignores an abort after the caller was served", async () => {
  const queue = createWaiterQueue<string>();
  const controller = new AbortController();
  const served = queue.wait(controller.signal, () => "aborted");
  queue.take()?.("value");
  controller.abort();
  assert.equal(await served, "value");
});

Deno.test("createWaiterQueue() settleAll() resolves everyone", async () => {
  const queue = createWaiterQueue<string | undefined>();
  const waiting = [
    queue.wait(new AbortController().signal, () => "x"),
    queue.wait(undefined, () => "x"),
  ];
  queue.settleAll(undefined);
  assert.deepEqual(await Promise.all(waiting), [undefined, undefined]);
  assert.equal(queue.size, 0);
});
