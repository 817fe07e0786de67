import assert from "node:assert/strict";
import { clampDelay, MAX_TIMER_MS, schedule } from "./timers.ts";

function fired(): { promise: Promise<number>; fire: () => void } {
  const { promise, resolve } = Promise.withResolvers<number>();
  return { promise, fire: () => resolve(performance.now()) };
}

Deno.test("schedule() fires timers in the order they fall due, whatever the order set", async () => {
  const order: string[] = [];
  const { promise, resolve } = Promise.withResolvers<void>();
  schedule(30, () => order.push("30"));
  schedule(10, () => order.push("10"));
  schedule(20, () => {
    order.push("20");
  });
  schedule(40, () => {
    order.push("40");
    resolve();
  });
  await promise;
  assert.deepEqual(order, ["10", "20", "30", "40"]);
});

Deno.test("schedule() cancels, and a cancelled earliest timer leaves the others on time", async () => {
  let cancelledFired = false;
  const cancel = schedule(5, () => cancelledFired = true);
  const later = fired();
  const started = performance.now();
  schedule(15, later.fire);
  cancel();
  const at = await later.promise;
  assert.equal(cancelledFired, false);
  assert.ok(at - started >= 14, "not before its time");
});

Deno.test("schedule() never fires synchronously, even for a delay that is not positive", async () => {
  for (const ms of [0, -5, Number.NaN]) {
    const timer = fired();
    let sync = true;
    schedule(ms, () => {
      assert.equal(sync, false);
      timer.fire();
    });
    sync = false;
    await timer.promise;
  }
});

Deno.test("clampDelay() keeps delays a timer can take", () => {
  assert.equal(clampDelay(5), 5);
  assert.equal(clampDelay(-1), 0);
  assert.equal(clampDelay(Number.NaN), 0);
  assert.equal(clampDelay(2 ** 31), MAX_TIMER_MS);
  assert.equal(clampDelay(1e30), MAX_TIMER_MS);
});

Deno.test("schedule() fires timers that fall due together in their order, not the order set", async () => {
  const order: number[] = [];
  const { promise, resolve } = Promise.withResolvers<void>();
  // Set latest first; block the loop past all three, so one late tick finds them all due.
  schedule(3, () => order.push(3));
  schedule(2, () => order.push(2));
  schedule(1, () => order.push(1));
  schedule(4, () => resolve());
  const until = performance.now() + 20;
  while (performance.now() < until) {
    // Busy: the timers fall due meanwhile.
  }
  await promise;
  assert.deepEqual(order, [1, 2, 3]);
});

/** Runs `code` (with `schedule` imported) in its own process; whether it exited on its own. */
async function exitsOnItsOwn(code: string): Promise<boolean> {
  const module = new URL("./timers.ts", import.meta.url).href;
  const script = `import { schedule } from "${module}";\n${code}`;
  // Bounds a failing run only: a process the timers hold open would wait an hour.
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "null",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).spawn();
  const { success, signal, stderr } = await child.output();
  assert.equal(new TextDecoder().decode(stderr), "");
  return success && signal === null;
}

Deno.test("a cancelled timer does not hold the process open until it would have fired", async () => {
  assert.equal(await exitsOnItsOwn(`schedule(3_600_000, () => {})();`), true);
});

Deno.test("a timer armed later than an earlier one does not hold the process open", async () => {
  // The hour-long timer arms first; the earlier one re-arms, fires and cancels the long one.
  const code = `const cancel = schedule(3_600_000, () => {}); schedule(1, cancel);`;
  assert.equal(await exitsOnItsOwn(code), true);
});

Deno.test("cancelling some timers keeps the rest armed", async () => {
  const code = `schedule(3_600_000, () => {})(); schedule(5, () => console.error("fired"));`;
  const module = new URL("./timers.ts", import.meta.url).href;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", `import { schedule } from "${module}";\n${code}`],
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  assert.equal(new TextDecoder().decode(out.stderr), "fired\n");
});
