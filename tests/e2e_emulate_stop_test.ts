/**
 * `lambda-adapter emulate` answers in every state and Ctrl-C stops it, with everything it
 * started, in every state: during init, while the app is down, while an invocation runs and
 * while a stream is open.
 */

import assert from "node:assert/strict";
import { RIE_PATH } from "../src/cli/front_door.ts";
import { DENO_APP, type Emulate, startEmulate } from "./harness.ts";
import { NO_LISTENER_PORT } from "./support/ports.ts";
import { descendants, running as runningCommands, survivors } from "./support/process_tree.ts";

/** The port these apps are told, which nothing listens on (see NO_LISTENER_PORT). */
const NEVER_LISTENING = { PORT: `${NO_LISTENER_PORT}`, AWS_LWA_PORT: `${NO_LISTENER_PORT}` };
const INIT_START = /^INIT_START a new execution environment \(app pid (\d+), adapter pid (\d+)\)/;

/** The pids of every app and adapter emulate started so far. */
function startedPids(emulate: Emulate): number[] {
  return emulate.child.lines.flatMap((line) => {
    const match = INIT_START.exec(line);
    return match ? [Number(match[1]), Number(match[2])] : [];
  });
}

/** Ctrl-C: emulate exits 0 at once, and nothing it started (`pids`) runs on. */
async function expectCtrlCStops(emulate: Emulate, pids: number[]): Promise<void> {
  emulate.child.kill("SIGINT");
  const status = await emulate.child.status(5000);
  assert.equal(status.code, 0, emulate.child.output());
  assert.match(emulate.child.output(), /stopping the app, the adapter and the emulator/);
  assert.deepEqual(await survivors(pids), []);
  await assert.rejects(fetch(`${emulate.url}/`));
}

Deno.test("emulate answers Runtime.ExitError for an app that exits at once", async () => {
  await using emulate = await startEmulate({
    app: ["sh", "-c", "echo 'cannot start: no such module' >&2; exit 3"],
    env: NEVER_LISTENING,
    until: "listening",
  });
  const rie = await emulate.fetch(RIE_PATH, { method: "POST", body: "{}" });
  assert.equal(rie.status, 200);
  assert.equal(rie.headers.get("x-amz-function-error"), "Unhandled");
  const error = await rie.json();
  assert.equal(error.errorType, "Runtime.ExitError");
  assert.match(
    error.errorMessage,
    /^RequestId: \S+ Error: Runtime exited with error: exit status 3$/,
  );

  const door = await emulate.fetch("/hello");
  assert.equal(door.status, 502);
  assert.equal(await door.text(), "Internal Server Error");
  const line = await emulate.child.waitForLine(/^GET \/hello -> Runtime\.ExitError in \d+ ms/);
  assert.match(line, /the app exited with code 3/);
  const lines = emulate.child.lines;
  const at = lines.indexOf(line);
  assert.deepEqual(lines.slice(at + 1, at + 3), [
    "  its last lines of output:",
    "    [app] cannot start: no such module",
  ]);
  // Each invocation met a new environment: the first, then one per request at least.
  assert.ok(lines.filter((line) => INIT_START.test(line)).length >= 2, emulate.child.output());
  await expectCtrlCStops(emulate, startedPids(emulate));
});

Deno.test("emulate answers for an app that never listens, then Ctrl-C stops its init", async () => {
  await using emulate = await startEmulate({
    app: ["sleep", "600"],
    args: ["--timeout", "1"],
    env: NEVER_LISTENING,
    until: "listening",
  });
  const report = await emulate.child.waitForLine(/^INIT_REPORT Status: error/, 15_000);
  assert.match(report, /10 s/);
  assert.match(report, /AWS_LWA_ASYNC_INIT/);

  // Init is tried again within each invocation, and fails at the function timeout, as in RIE.
  const rie = await emulate.fetch(RIE_PATH, { method: "POST", body: "{}" });
  assert.equal(rie.status, 200);
  assert.equal(rie.headers.get("x-amz-function-error"), "Unhandled");
  assert.equal(rie.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(await rie.text(), "Task timed out after 1.00 seconds");
  const door = await emulate.fetch("/hello");
  assert.equal(door.status, 502);
  await door.body?.cancel();
  await emulate.child.waitForLine(/^GET \/hello -> Task timed out after 1\.00 seconds/);
  assert.equal(emulate.child.lines.filter((line) => INIT_START.test(line)).length, 3);

  // A fourth environment in its init phase when Ctrl-C comes.
  const pending = emulate.fetch("/again").then((response) => response.body?.cancel(), () => {});
  await emulate.child.waitForNth(INIT_START, 4);
  await expectCtrlCStops(emulate, startedPids(emulate));
  await pending;
});

Deno.test("Ctrl-C while an invocation runs and a stream is open stops everything at once", async () => {
  // The app runs under sh, so stopping must reach what the app's command started too.
  await using emulate = await startEmulate({
    app: ["sh", "-c", `${DENO_APP.join(" ")}; echo never`],
    args: ["--timeout", "30", "--concurrency", "2"],
    env: { AWS_LWA_INVOKE_MODE: "response_stream", LOG_REQUESTS: "1" },
  });
  const stream = await emulate.fetch("/_/sse/200/100");
  const reader = stream.body!.getReader();
  assert.match(new TextDecoder().decode((await reader.read()).value), /^id: 0\n/);
  const running = emulate.fetch("/slow?delay=20000").then(
    (response) => response.status,
    () => "cut",
  );
  await emulate.child.waitForLine(/^\[app\] request GET \/slow/);

  const tree = await descendants(emulate.child.process.pid);
  const commands = await runningCommands(tree);
  assert.ok(tree.length >= 3, `processes: ${commands}`); // sh, the app, the adapter
  // The adapter: from the sources, the bundle (scripts/test_bundle.ts) or the binary.
  const adapter = /src\/main\.ts|dist\/bundle\/main\.js|lambda-adapter/;
  assert.ok(commands.some((line) => adapter.test(line)), `${commands}`);
  await expectCtrlCStops(emulate, tree);
  assert.ok([503, "cut"].includes(await running));
  const rest = (async () => {
    for (;;) if ((await reader.read()).done) return "ended";
  })();
  await assert.rejects(rest, Error, "the stream is cut, not ended as if complete");
  assert.doesNotMatch(emulate.child.output(), /^\s+at |^\w*Error: /m, "no stack trace in the log");
});
