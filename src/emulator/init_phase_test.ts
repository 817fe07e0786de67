import assert from "node:assert/strict";
import { createInitPhase } from "./init_phase.ts";
import { EmulatorClosedError } from "./types.ts";

Deno.test("createInitPhase() resolves every waiter with the duration since start", async () => {
  const startedAt = performance.now() - 5;
  const init = createInitPhase(startedAt, 1000, () => "");
  const waiting = [init.wait(), init.wait()];
  assert.equal(init.done, false);
  init.complete();
  const [first, second] = await Promise.all(waiting);
  assert.ok((first?.durationMs ?? 0) >= 5);
  assert.equal(first?.durationMs, second?.durationMs);
  assert.equal(init.durationMs, first?.durationMs);
  init.fail(new Error("too late"));
  assert.deepEqual(await init.wait(), first);
});

Deno.test("createInitPhase() rejects with the failure and after the timeout", async () => {
  const failing = createInitPhase(performance.now(), 1000, () => "");
  const waiting = assert.rejects(failing.wait(), /broken/);
  failing.fail(new Error("broken"));
  await waiting;
  await assert.rejects(failing.wait(), /broken/);

  const slow = createInitPhase(performance.now(), 20, () => "runtime missing");
  await assert.rejects(slow.wait(), /within 20 ms: runtime missing/);
});

Deno.test("createInitPhase() close() rejects pending waiters", async () => {
  const init = createInitPhase(performance.now(), 1000, () => "");
  const waiting = assert.rejects(init.wait(), EmulatorClosedError);
  init.close();
  await waiting;
});
