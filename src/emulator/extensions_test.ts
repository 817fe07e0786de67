import assert from "node:assert/strict";
import { ExtensionRegistry, type RegistryHooks } from "./extensions.ts";
import { ManualClock } from "../../tests/support/manual_clock.ts";
import { runningInvocation as invocation } from "../../tests/support/emulator_invocations.ts";

function hooks(finished: string[] = []): RegistryHooks {
  return {
    onNextCalled: () => {},
    onInvokeFinished: (invocation) => finished.push(invocation.requestId),
    log: () => {},
  };
}

Deno.test("ExtensionRegistry queues INVOKE per subscriber and acknowledges on next", async () => {
  const finished: string[] = [];
  const registry = new ExtensionRegistry(hooks(finished));
  const watcher = registry.register("watcher", ["INVOKE", "INVOKE"]);
  const quiet = registry.register("quiet", ["SHUTDOWN"]);
  assert.deepEqual(watcher.events, ["INVOKE"]);
  assert.equal(registry.allReady(), false);

  assert.equal(registry.publishInvoke(invocation("a")), 1);
  assert.equal(registry.publishInvoke(invocation("b")), 1);
  const first = await registry.next(watcher);
  assert.equal(JSON.parse(first?.body ?? "").requestId, "a");
  assert.deepEqual(finished, []);
  const second = await registry.next(watcher);
  assert.equal(JSON.parse(second?.body ?? "").deadlineMs, 42);
  assert.deepEqual(finished, ["a"]);

  const parked = registry.next(quiet);
  assert.equal(registry.allReady(), true);
  registry.close();
  assert.equal(await parked, undefined);
});

Deno.test("ExtensionRegistry resolves shutdown once every subscriber came back", async () => {
  const clock = new ManualClock();
  const registry = new ExtensionRegistry(hooks(), clock);
  const one = registry.register("one", ["SHUTDOWN"]);
  const two = registry.register("two", ["SHUTDOWN", "INVOKE"]);
  registry.register("none", []);
  const parked = registry.next(one);
  const done = registry.publishShutdown("failure", clock.epochMs() + 10_000);
  assert.equal(registry.publishShutdown("spindown", 0), done, "a second call joins the first");
  assert.deepEqual(JSON.parse((await parked)?.body ?? ""), {
    eventType: "SHUTDOWN",
    shutdownReason: "failure",
    deadlineMs: JSON.parse((await registry.next(two))?.body ?? "").deadlineMs,
  });
  const afterOne = registry.next(one);
  const afterTwo = registry.next(two);
  await done;
  registry.close();
  assert.deepEqual(await Promise.all([afterOne, afterTwo]), [undefined, undefined]);
});

Deno.test("ExtensionRegistry ends shutdown at its deadline when a subscriber stays away", async () => {
  const clock = new ManualClock();
  const lines: string[] = [];
  const registry = new ExtensionRegistry({ ...hooks(), log: (line) => lines.push(line) }, clock);
  const stuck = registry.register("stuck", ["SHUTDOWN"]);
  let ended = false;
  const done = registry.publishShutdown("timeout", clock.epochMs() + 60).then(() => ended = true);
  clock.advance(59);
  await Promise.resolve();
  assert.equal(ended, false, "1 ms before the deadline");
  clock.advance(1);
  await done;
  assert.deepEqual(lines, ["Extension stuck did not finish SHUTDOWN before the deadline"]);
  // The event stays queued for the extension, as it was sent during its init.
  const event = await registry.next(stuck);
  assert.equal(JSON.parse(event?.body ?? "").shutdownReason, "timeout");
  registry.close();
});
