import assert from "node:assert/strict";
import { ManualClock } from "../../tests/support/manual_clock.ts";
import { watchInvocation } from "./invocation_watch.ts";

const MB = 1024 * 1024;

/** A watch whose samples come from `readings` in turn (the last one repeats). */
function watch(readings: (number | undefined)[], enforce = true) {
  const clock = new ManualClock();
  const progress: [number, number][] = [];
  const exceeded: number[] = [];
  let taken = 0;
  const started = watchInvocation({
    clock,
    sample: () => Promise.resolve(readings[Math.min(taken++, readings.length - 1)]),
    sampleEveryMs: 50,
    limitBytes: 128 * MB,
    ...(enforce ? { onExceeded: (bytes: number) => exceeded.push(bytes) } : {}),
    progressAfterMs: 2000,
    progressEveryMs: 2000,
    onProgress: (elapsed, bytes) => progress.push([elapsed, bytes]),
  });
  return { clock, progress, exceeded, watch: started, samples: () => taken };
}

Deno.test("a watch samples at once, on every tick and once more at the end, keeping the peak", async () => {
  const { clock, watch: running, samples } = watch([40 * MB, 90 * MB, 60 * MB, 70 * MB]);
  assert.equal(samples(), 1);
  await clock.advanceAndSettle(50);
  await clock.advanceAndSettle(50);
  assert.equal(samples(), 3);
  assert.equal(running.peakBytes, 90 * MB);
  assert.equal(await running.finish(), 90 * MB);
  assert.equal(samples(), 4);
  await clock.advanceAndSettle(1000);
  assert.equal(samples(), 4, "no sampling after finish()");
  assert.equal(clock.pending, 0);
  assert.equal(await running.finish(), 90 * MB, "finish() twice samples once");
  assert.equal(samples(), 4);
});

Deno.test("progress comes after 2 s and every 2 s after that, with the memory in use", async () => {
  const { clock, progress, watch: running } = watch([50 * MB, 60 * MB]);
  await clock.advanceAndSettle(1950);
  assert.equal(progress.length, 0);
  await clock.advanceAndSettle(50);
  assert.deepEqual(progress, [[2000, 60 * MB]]);
  for (let i = 0; i < 80; i++) await clock.advanceAndSettle(50);
  assert.deepEqual(progress.map(([elapsed]) => elapsed), [2000, 4000, 6000]);
  await running.finish();
  await clock.advanceAndSettle(10_000);
  assert.equal(progress.length, 3);
});

Deno.test("onExceeded is called once, by the first sample over the limit", async () => {
  const { clock, exceeded, watch: running } = watch([100 * MB, 129 * MB, 200 * MB]);
  await clock.advanceAndSettle(0);
  assert.equal(exceeded.length, 0);
  await clock.advanceAndSettle(50);
  assert.deepEqual(exceeded, [129 * MB]);
  await clock.advanceAndSettle(100);
  await running.finish();
  assert.deepEqual(exceeded, [129 * MB]);
});

Deno.test("the last sample can still pass the limit: a short invocation is caught too", async () => {
  const { exceeded, watch: running } = watch([100 * MB, 300 * MB]);
  assert.equal(await running.finish(), 300 * MB);
  assert.deepEqual(exceeded, [300 * MB]);
});

Deno.test("without onExceeded a watch only measures; unreadable samples are skipped", async () => {
  const measuring = watch([500 * MB], false);
  assert.equal(await measuring.watch.finish(), 500 * MB);
  assert.deepEqual(measuring.exceeded, []);
  const blind = watch([undefined]);
  assert.equal(await blind.watch.finish(), undefined);
});
