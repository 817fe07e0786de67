import assert from "node:assert/strict";
import { ManualClock } from "../../tests/support/manual_clock.ts";
import { Backoff } from "./backoff.ts";

Deno.test("Backoff doubles its delay up to the cap and starts over after a success", () => {
  const clock = new ManualClock();
  const backoff = new Backoff({ initialMs: 10, maxMs: 80, giveUpAfterMs: 10_000, clock });
  assert.deepEqual([1, 2, 3, 4, 5].map(() => backoff.failed()), [10, 20, 40, 80, 80]);
  backoff.succeeded();
  assert.equal(backoff.failed(), 10);
});

Deno.test("Backoff gives up once failures have lasted past its bound, not before", async () => {
  const clock = new ManualClock();
  const backoff = new Backoff({ initialMs: 10, maxMs: 1000, giveUpAfterMs: 10_000, clock });
  let waited = 0;
  for (;;) {
    const delay = backoff.failed();
    if (delay === undefined) break;
    waited += delay;
    await clock.advanceAndSettle(delay);
  }
  assert.ok(waited >= 10_000 && waited < 11_000, `gave up after ${waited} ms`);
  assert.equal(backoff.failingForMs, waited);
  // A success in between resets the bound: a blip never adds up to "gone".
  backoff.succeeded();
  assert.equal(backoff.failed(), 10);
});

Deno.test("Backoff.wait() sleeps on its clock and stops with the signal", async () => {
  const clock = new ManualClock();
  const backoff = new Backoff({ clock });
  const controller = new AbortController();
  const waiting = backoff.wait(500, controller.signal);
  await clock.untilPending();
  controller.abort(new Error("stop"));
  await assert.rejects(waiting, /stop/);
  const done = backoff.wait(500);
  await clock.advanceAndSettle(500);
  await done;
});

Deno.test("Backoff starts a new episode when a long poll fails after hanging a while", async () => {
  const clock = new ManualClock();
  const backoff = new Backoff({ initialMs: 10, maxMs: 1000, giveUpAfterMs: 10_000, clock });
  // Blips a minute apart never add up to "gone", however long the adapter runs.
  for (let i = 0; i < 30; i++) {
    assert.equal(backoff.failed(), 10, `blip ${i}`);
    await clock.advanceAndSettle(60_000);
  }
});
