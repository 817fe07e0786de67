import assert from "node:assert/strict";
import { createInitPhase } from "./init_phase.ts";
import { EmulatorClosedError } from "./types.ts";
import { ManualClock } from "../../tests/support/manual_clock.ts";

Deno.test("createInitPhase() resolves every waiter with the duration since start", async () => {
  const clock = new ManualClock();
  const init = createInitPhase(clock.now(), 1000, () => "", clock);
  const waiting = [init.wait(), init.wait()];
  assert.equal(init.done, false);
  clock.advance(5);
  init.complete();
  const [first, second] = await Promise.all(waiting);
  assert.equal(first?.durationMs, 5);
  assert.equal(clock.pending, 0, "the limit's timer is gone");
  assert.equal(first?.durationMs, second?.durationMs);
  assert.equal(init.durationMs, first?.durationMs);
  init.fail(new Error("too late"));
  assert.deepEqual(await init.wait(), first);
});

Deno.test("createInitPhase() rejects with the failure and after the timeout", async () => {
  const failingClock = new ManualClock();
  const failing = createInitPhase(failingClock.now(), 1000, () => "", failingClock);
  const waiting = assert.rejects(failing.wait(), /broken/);
  failing.fail(new Error("broken"));
  await waiting;
  await assert.rejects(failing.wait(), /broken/);

  const clock = new ManualClock();
  const slow = createInitPhase(clock.now(), 20, () => "runtime missing", clock);
  const waiting2 = assert.rejects(slow.wait(), /within 20 ms: runtime missing/);
  clock.advance(20);
  await waiting2;
  await assert.rejects(slow.wait(), /within 20 ms/, "later waits fail at once");
});

Deno.test("createInitPhase() close() rejects pending waiters", async () => {
  const clock = new ManualClock();
  const init = createInitPhase(clock.now(), 1000, () => "", clock);
  const waiting = assert.rejects(init.wait(), EmulatorClosedError);
  init.close();
  await waiting;
});
