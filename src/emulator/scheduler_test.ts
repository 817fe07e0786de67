import assert from "node:assert/strict";
import { invocationSpec as spec } from "../../tests/support/emulator_invocations.ts";
import { Scheduler, type SchedulerHooks } from "./scheduler.ts";
import { ManualClock } from "../../tests/support/manual_clock.ts";
import { EmulatorClosedError } from "./types.ts";

function hooks(overrides: Partial<SchedulerHooks> = {}): SchedulerHooks {
  return { canHandOut: () => true, onHandOut: () => 0, onOutcome: () => {}, ...overrides };
}

const response = { kind: "response", body: new Uint8Array(), headers: new Headers() } as const;

Deno.test("Scheduler holds invocations back until canHandOut() allows", async () => {
  let ready = false;
  const scheduler = new Scheduler(1, hooks({ canHandOut: () => ready }));
  const result = scheduler.enqueue(spec("a"));
  const next = scheduler.next();
  assert.equal(scheduler.inFlight, 0);
  ready = true;
  scheduler.pump();
  assert.equal((await next)?.requestId, "a");
  assert.equal(scheduler.complete("a", response), "accepted");
  assert.equal((await result).kind, "response");
  scheduler.close();
});

Deno.test("Scheduler reports the state of a request id", async () => {
  const clock = new ManualClock();
  const scheduler = new Scheduler(1, hooks(), clock);
  const result = scheduler.enqueue(spec("a", 20));
  const queued = scheduler.enqueue(spec("b"));
  assert.equal(scheduler.check("b"), "unknown");
  assert.equal(scheduler.check("zzz"), "unknown");
  await scheduler.next();
  assert.equal(scheduler.check("a"), "accepted");
  clock.advance(19);
  assert.equal(scheduler.check("a"), "accepted", "1 ms before the deadline");
  clock.advance(1);
  const timedOut = await result;
  assert.equal(timedOut.kind, "timeout");
  assert.equal(timedOut.timing.completedAt - timedOut.timing.handedOutAt, 20);
  assert.equal(scheduler.check("a"), "timedOut");
  assert.equal(scheduler.complete("a", response), "timedOut");
  await scheduler.next();
  scheduler.complete("b", response);
  assert.equal(scheduler.check("b"), "alreadyCompleted");
  await queued;
  scheduler.close();
});

Deno.test("Scheduler keeps the slot until extensions finish, at most until the deadline", async () => {
  const clock = new ManualClock();
  const scheduler = new Scheduler(1, hooks({ onHandOut: () => 1 }), clock);
  const first = scheduler.enqueue(spec("a", 5000));
  const invocation = await scheduler.next();
  scheduler.complete("a", response);
  assert.equal((await first).kind, "response");
  assert.equal(scheduler.inFlight, 1);
  assert.equal(scheduler.check("a"), "alreadyCompleted");
  if (invocation) scheduler.extensionFinished(invocation);
  assert.equal(scheduler.inFlight, 0);

  const second = scheduler.enqueue(spec("b", 30));
  await scheduler.next();
  scheduler.complete("b", response);
  clock.advance(29);
  assert.equal(scheduler.inFlight, 1, "the extension is still busy");
  clock.advance(1);
  assert.equal(scheduler.inFlight, 0, "the deadline ends the invoke phase");
  assert.equal(clock.pending, 0, "no timer left behind");
  assert.equal((await second).kind, "response");
  scheduler.close();
});

Deno.test("Scheduler close() rejects invocations and answers parked calls", async () => {
  const scheduler = new Scheduler(1, hooks());
  const running = scheduler.enqueue(spec("a"));
  await scheduler.next();
  const queued = scheduler.enqueue(spec("b"));
  const parked = scheduler.next();
  const rejected = [
    assert.rejects(running, EmulatorClosedError),
    assert.rejects(queued, EmulatorClosedError),
  ];
  scheduler.close();
  await Promise.all(rejected);
  assert.equal(await parked, undefined);
  assert.equal(await scheduler.next(), undefined);
  await assert.rejects(scheduler.enqueue(spec("c")), EmulatorClosedError);
});

Deno.test("Scheduler reports every outcome, even for an abandoned invocation", async () => {
  const outcomes: string[] = [];
  const scheduler = new Scheduler(
    1,
    hooks({ onOutcome: (_, result) => outcomes.push(result.kind) }),
  );
  const controller = new AbortController();
  const abandoned = scheduler.enqueue(spec("a"), controller.signal);
  await scheduler.next();
  controller.abort();
  await assert.rejects(abandoned);
  scheduler.complete("a", response);
  assert.deepEqual(outcomes, ["response"]);
  scheduler.close();
});
