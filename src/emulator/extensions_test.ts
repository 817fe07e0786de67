import assert from "node:assert/strict";
import { createExtensionRegistry, type RegistryHooks } from "./extensions.ts";
import type { Invocation } from "./scheduler.ts";

function hooks(finished: string[] = []): RegistryHooks {
  return {
    onNextCalled: () => {},
    onInvokeFinished: (invocation) => finished.push(invocation.requestId),
    log: () => {},
  };
}

function invocation(requestId: string): Invocation {
  return {
    requestId,
    payload: new Uint8Array(),
    timeoutMs: 1000,
    traceId: "Root=1-0-0",
    invokedFunctionArn: "arn",
    clientContext: undefined,
    cognitoIdentity: undefined,
    tenantId: undefined,
    headerOverrides: [],
    keepStreamBody: true,
    onStream: undefined,
    liveStream: "body",
    phase: "running",
    deadlineMs: 42,
    timing: { queuedAt: 0, handedOutAt: 0, completedAt: 0 },
    pendingExtensions: 0,
  };
}

Deno.test("createExtensionRegistry() queues INVOKE per subscriber and acknowledges on next", async () => {
  const finished: string[] = [];
  const registry = createExtensionRegistry(hooks(finished));
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

Deno.test("createExtensionRegistry() resolves shutdown once every subscriber came back", async () => {
  const registry = createExtensionRegistry(hooks());
  const one = registry.register("one", ["SHUTDOWN"]);
  const two = registry.register("two", ["SHUTDOWN", "INVOKE"]);
  registry.register("none", []);
  const parked = registry.next(one);
  const done = registry.publishShutdown("failure", Date.now() + 10_000);
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
