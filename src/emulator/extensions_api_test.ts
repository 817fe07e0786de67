import assert from "node:assert/strict";
import { startEmulator } from "./mod.ts";
import { ManualClock } from "../../tests/support/manual_clock.ts";
import { RawConn } from "../../tests/support/raw_http.ts";
import {
  extensionNext,
  postExtensionError,
  postResponse,
  registeredExtension,
  registerExtension,
  runtimeNext,
} from "../../tests/support/runtime_client.ts";
import { settledFlag, until } from "../../tests/support/wait.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function errorType(json: unknown): string | undefined {
  return (json as { errorType?: string } | undefined)?.errorType;
}

Deno.test("startEmulator() registers an extension and delivers INVOKE and SHUTDOWN", async () => {
  await using emulator = await startEmulator({
    functionName: "fn",
    functionVersion: "7",
    handler: "index.handler",
  });
  const registered = await registerExtension(emulator.url, "watcher", {
    events: ["INVOKE", "SHUTDOWN"],
  });
  assert.equal(registered.status, 200);
  assert.deepEqual(registered.json, {
    functionName: "fn",
    functionVersion: "7",
    handler: "index.handler",
  });
  const id = registered.headers.get("Lambda-Extension-Identifier") ?? "";
  assert.match(id, UUID);
  assert.deepEqual(emulator.extensions, [{ name: "watcher", id, events: ["INVOKE", "SHUTDOWN"] }]);

  const firstEvent = extensionNext(emulator.url, id);
  const runtimePoll = runtimeNext(emulator.url);
  await emulator.waitForInit();
  const pending = emulator.invoke({}, { requestId: "r1", traceId: "Root=1-abc;Sampled=1" });

  const invoke = await firstEvent;
  const next = await runtimePoll;
  assert.equal(invoke.status, 200);
  assert.match(invoke.headers.get("Lambda-Extension-Event-Identifier") ?? "", UUID);
  assert.equal(invoke.headers.get("Content-Type"), "application/json");
  assert.deepEqual(invoke.json, {
    eventType: "INVOKE",
    deadlineMs: Number(next.headers.get("Lambda-Runtime-Deadline-Ms")),
    requestId: "r1",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:fn",
    tracing: { type: "X-Amzn-Trace-Id", value: "Root=1-abc;Sampled=1" },
  });
  await postResponse(emulator.url, "r1", "{}");
  assert.equal((await pending).kind, "response");

  const shutdownEvent = extensionNext(emulator.url, id);
  const deadlineMs = Date.now() + 1000;
  const shutdown = emulator.shutdown({ reason: "spindown", deadlineMs });
  const shutdownDone = settledFlag(shutdown);
  assert.deepEqual((await shutdownEvent).json, {
    eventType: "SHUTDOWN",
    shutdownReason: "spindown",
    deadlineMs,
  });
  assert.equal(shutdownDone(), false, "shutdown waits for the extension to call next again");
  const afterShutdown = extensionNext(emulator.url, id);
  await shutdown;
  await emulator.close();
  assert.equal((await afterShutdown).status, 500);
});

Deno.test("startEmulator() holds the slot until INVOKE subscribers call next again", async () => {
  await using emulator = await startEmulator();
  const id = await registeredExtension(emulator.url, "slow-ext", ["INVOKE"]);
  const firstEvent = extensionNext(emulator.url, id);
  const results = [emulator.invoke(1, { requestId: "a" }), emulator.invoke(2, { requestId: "b" })];
  const first = await runtimeNext(emulator.url);
  assert.equal(first.headers.get("Lambda-Runtime-Aws-Request-Id"), "a");
  assert.equal((await firstEvent).status, 200);
  await postResponse(emulator.url, "a", "{}");
  assert.equal((await results[0])?.kind, "response", "the caller gets its answer at once");

  const second = runtimeNext(emulator.url);
  const secondArrived = settledFlag(second);
  // Parked: the slot is held while the extension works on a.
  await until(() => emulator.stats.waitingNext === 1);
  assert.equal(emulator.stats.inFlight, 1);
  assert.equal(secondArrived(), false, "the extension is still working on a");
  const secondEvent = await extensionNext(emulator.url, id);
  assert.equal((secondEvent.json as { requestId: string }).requestId, "b");
  assert.equal((await second).headers.get("Lambda-Runtime-Aws-Request-Id"), "b");
  await postResponse(emulator.url, "b", "{}");
  await results[1];
});

Deno.test("startEmulator() refuses register after init with 403 RegistrationClosed", async () => {
  await using emulator = await startEmulator();
  const parked = runtimeNext(emulator.url);
  await emulator.waitForInit();
  const late = await registerExtension(emulator.url, "late", { events: [] });
  assert.equal(late.status, 403);
  assert.equal(errorType(late.json), "Extension.RegistrationClosed");
  assert.deepEqual(emulator.extensions, []);
  await emulator.close();
  await parked;
});

Deno.test("startEmulator() holds init for a register request that arrived before it ended", async () => {
  await using emulator = await startEmulator();
  const url = new URL(emulator.url);
  const tcp = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  const conn = new RawConn(tcp);
  const body = JSON.stringify({ events: ["SHUTDOWN"] });
  // The head arrives; the body is held back while the runtime calls /next.
  await conn.write(
    `POST /2020-01-01/extension/register HTTP/1.1\r\nHost: x\r\n` +
      `Lambda-Extension-Name: slow-ext\r\nContent-Length: ${body.length}\r\n\r\n`,
  );
  const init = emulator.waitForInit();
  const initDone = settledFlag(init);
  const parked = runtimeNext(emulator.url);
  await until(() => emulator.stats.waitingNext === 1);
  assert.equal(initDone(), false, "a registration is under way");
  await conn.write(body);
  const head = new TextDecoder().decode(await conn.readUntil("\r\n\r\n") ?? new Uint8Array());
  assert.match(head, /^HTTP\/1\.1 200 /);
  const id = /lambda-extension-identifier: (\S+)/i.exec(head)![1]!;
  assert.equal(initDone(), false, "the extension has not called next yet");
  const event = extensionNext(emulator.url, id);
  await init;
  conn.close();
  await emulator.close();
  assert.deepEqual([(await parked).status, (await event).status], [500, 500]);
});

Deno.test("startEmulator() with extensions: 1 holds init until the extension has registered", async () => {
  // LWA registers in the background and may poll /runtime/invocation/next first (LWA's
  // register_default_extension is not awaited); Lambda starts extensions before the runtime.
  await using emulator = await startEmulator({ extensions: 1 });
  const init = emulator.waitForInit();
  const initDone = settledFlag(init);
  const parked = runtimeNext(emulator.url);
  await until(() => emulator.stats.waitingNext === 1);
  assert.equal(initDone(), false, "the extension has not registered");
  const id = await registeredExtension(emulator.url, "lambda-adapter", []);
  assert.equal(initDone(), false, "the extension has not called next");
  const event = extensionNext(emulator.url, id);
  await init;
  await emulator.close();
  assert.deepEqual([(await parked).status, (await event).status], [500, 500]);
});

Deno.test("startEmulator() refuses malformed register requests like RAPID does", async () => {
  await using emulator = await startEmulator();
  const cases: Array<[string | undefined, unknown, string]> = [
    [undefined, { events: [] }, "Extension.InvalidExtensionName"],
    ["", { events: [] }, "Extension.InvalidExtensionName"],
    ["x", "{not json", "InvalidRequestFormat"],
    ["x", { events: "INVOKE" }, "InvalidRequestFormat"],
    ["x", { events: ["INVOKE", "BOGUS"] }, "Extension.InvalidEventType"],
    ["x", { events: ["INVOKE"], configurationKeys: ["k"] }, "InvalidRequestFormat"],
  ];
  for (const [name, body, expected] of cases) {
    const answer = await registerExtension(emulator.url, name, body);
    assert.equal(answer.status, 403, `${name} ${JSON.stringify(body)}`);
    assert.equal(errorType(answer.json), expected);
  }
  assert.equal((await registerExtension(emulator.url, "no-events", {})).status, 200);
  const duplicate = await registerExtension(emulator.url, "no-events", { events: [] });
  assert.equal(duplicate.status, 403);
  assert.equal(errorType(duplicate.json), "Extension.InvalidExtensionState");
  for (let index = 1; index < 10; index++) await registeredExtension(emulator.url, `e${index}`, []);
  const eleventh = await registerExtension(emulator.url, "e10", { events: [] });
  assert.equal(errorType(eleventh.json), "Extension.TooManyExtensions");
});

Deno.test("startEmulator() refuses missing, malformed and unknown extension identifiers", async () => {
  await using emulator = await startEmulator();
  const missing = await extensionNext(emulator.url, undefined);
  assert.equal(missing.status, 403);
  assert.equal(errorType(missing.json), "Extension.MissingExtensionIdentifier");
  const malformed = await extensionNext(emulator.url, "not-a-uuid");
  assert.equal(malformed.status, 403);
  assert.equal(errorType(malformed.json), "Extension.InvalidExtensionIdentifier");
  const unknown = await extensionNext(emulator.url, crypto.randomUUID());
  assert.equal(unknown.status, 403);
  assert.equal(errorType(unknown.json), "Extension.UnknownExtensionIdentifier");
  const wrongMethod = await fetch(`${emulator.url}/2020-01-01/extension/register`);
  assert.equal(wrongMethod.status, 405);
  await wrongMethod.body?.cancel();
});

Deno.test("startEmulator() records extension init and exit errors", async () => {
  await using emulator = await startEmulator();
  const id = await registeredExtension(emulator.url, "broken", []);
  const failed = assert.rejects(emulator.waitForInit(), /extension broken .*Extension\.Crash/);
  const init = await postExtensionError(emulator.url, "init", id, "Extension.Crash", "boom");
  assert.equal(init.status, 202);
  assert.deepEqual(init.json, { status: "OK" });
  await failed;
  const exit = await postExtensionError(emulator.url, "exit", id, "Extension.Exit", "{}");
  assert.equal(exit.status, 202);
  const noType = await postExtensionError(emulator.url, "exit", id, undefined, "");
  assert.equal(errorType(noType.json), "Extension.MissingHeader");
  assert.deepEqual(emulator.extensionErrors, [
    { extensionName: "broken", kind: "init", errorType: "Extension.Crash", body: "boom" },
    { extensionName: "broken", kind: "exit", errorType: "Extension.Exit", body: "{}" },
  ]);
});

Deno.test("startEmulator() ends shutdown at the deadline when an extension does not answer", async () => {
  const lines: string[] = [];
  const clock = new ManualClock();
  await using emulator = await startEmulator({ log: (line) => lines.push(line), clock });
  const id = await registeredExtension(emulator.url, "stuck", ["SHUTDOWN"]);
  const shutdown = emulator.shutdown({ reason: "timeout", deadlineMs: clock.epochMs() + 60 });
  const ended = settledFlag(shutdown);
  clock.advance(59);
  await Promise.resolve();
  assert.equal(ended(), false, "1 ms before the deadline");
  clock.advance(1);
  await shutdown;
  assert.ok(lines.some((line) => line.includes("stuck did not finish SHUTDOWN")));
  // The event stays queued for the extension, as it was sent during its init.
  const event = await extensionNext(emulator.url, id);
  assert.equal((event.json as { shutdownReason: string }).shutdownReason, "timeout");
});

Deno.test("startEmulator() shutdown() resolves at once without SHUTDOWN subscribers", async () => {
  await using emulator = await startEmulator();
  const id = await registeredExtension(emulator.url, "invoke-only", ["INVOKE"]);
  await emulator.shutdown();
  const parked = [extensionNext(emulator.url, id), runtimeNext(emulator.url)];
  await emulator.waitForInit();
  await emulator.close();
  assert.deepEqual((await Promise.all(parked)).map((answer) => answer.status), [500, 500]);
});
