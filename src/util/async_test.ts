import assert from "node:assert/strict";
import { aborted, raceAbort, sleep, timeoutSignal } from "./async.ts";

Deno.test("sleep() rejects with the signal's reason and clears its timer", async () => {
  const controller = new AbortController();
  const slept = sleep(60_000, controller.signal);
  controller.abort(new Error("stop"));
  await assert.rejects(slept, /stop/);
  await assert.rejects(sleep(1, controller.signal), /stop/);
  await sleep(0);
});

Deno.test("raceAbort() settles as the promise does, or with the signal", async () => {
  const controller = new AbortController();
  assert.equal(await raceAbort(Promise.resolve(3), controller.signal), 3);
  const never = new Promise<number>(() => {});
  const raced = raceAbort(never, controller.signal);
  controller.abort(new Error("gone"));
  await assert.rejects(raced, /gone/);
});

Deno.test("timeoutSignal() follows its parents and releases everything when cleared", () => {
  // The test's op sanitizer fails it if a timer is left pending, so each case must clear.
  const parent = new AbortController();
  const far = timeoutSignal(15 * 60_000, parent.signal);
  assert.equal(far.signal.aborted, false);
  parent.abort(new Error("shutdown"));
  assert.equal(far.signal.aborted, true);
  assert.match(String(far.signal.reason), /shutdown/);

  const huge = timeoutSignal(1e30);
  assert.equal(huge.signal.aborted, false, "a far deadline does not fire at once");
  huge.clear();

  {
    using scoped = timeoutSignal(60_000);
    assert.equal(scoped.signal.aborted, false);
  }

  const already = new AbortController();
  already.abort(new Error("before"));
  assert.equal(timeoutSignal(60_000, already.signal).signal.aborted, true);
});

Deno.test("timeoutSignal() aborts with a TimeoutError when its time is up", async () => {
  const { signal } = timeoutSignal(1);
  await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
  assert.equal((signal.reason as DOMException).name, "TimeoutError");
});

Deno.test("aborted() resolves once the signal aborts, at once if it has", async () => {
  const controller = new AbortController();
  let resolved = false;
  const waiting = aborted(controller.signal).then(() => resolved = true);
  await Promise.resolve();
  assert.equal(resolved, false);
  controller.abort(new Error("stop"));
  await waiting;
  assert.equal(resolved, true);
  await aborted(controller.signal);
});
