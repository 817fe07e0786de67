/**
 * `lambda-adapter emulate` applies Lambda's limits the way Lambda reports them.
 */

import assert from "node:assert/strict";
import { parseEmulateArgs } from "../src/cli/args.ts";
import { Environments, settingsFromArgs } from "../src/cli/environments.ts";
import { serveFrontDoor } from "../src/cli/front_door.ts";
import { adapterCommand, DENO_APP, EXPRESS_APP, startEmulate } from "./harness.ts";
import { lateClock } from "./support/late_clock.ts";
import { childPort, portTaken } from "./support/ports.ts";
import { until } from "./support/wait.ts";

Deno.test("emulate fails a call past the function timeout with the adapter's error", async () => {
  // emulate's own pieces in this process, the emulator on a clock whose timeouts come late (see
  // support/late_clock.ts): what ends the call is the adapter's report, never a race between
  // that report, sent 25 ms before the deadline, and the emulator on a loaded machine.
  await using emulate = await emulateInProcess(["--timeout", "1", "--", ...EXPRESS_APP]);
  const slow = await fetch(`${emulate.url}/_/sleep/2500`);
  assert.equal(slow.status, 502);
  assert.equal(await slow.text(), "Internal Server Error");
  // The caller gets a readable function error rather than Lambda's bare "Task timed out", and
  // the environment lives on.
  await until(() =>
    emulate.lines.some((line) =>
      /GET \/_\/sleep\/2500 -> error in \d+ ms: LambdaAdapter\.AppTimeout: The app did not answer/
        .test(line)
    )
  );
  const next = await fetch(`${emulate.url}/_/status/200`);
  assert.equal(next.status, 200);
  await next.body?.cancel();
  assert.equal(emulate.lines.filter((line) => /^INIT_REPORT Init Duration/.test(line)).length, 1);
});

/**
 * `emulate`'s environments and front door, as `emulate` puts them together, in this process with
 * the emulator on a late clock; `args` are `emulate`'s.
 */
async function emulateInProcess(args: string[]) {
  for (let attempt = 1;; attempt++) {
    const appPort = childPort();
    const env = {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: Deno.env.get("HOME") ?? "/tmp",
      PORT: `${appPort}`,
      AWS_LWA_PORT: `${appPort}`,
    };
    const lines: string[] = [];
    const print = (line: string) => void lines.push(line);
    const parsed = parseEmulateArgs(["--port", "0", ...args], env, Deno.cwd());
    const environments = new Environments({
      ...settingsFromArgs(parsed),
      adapterCommand: adapterCommand(),
      taskRoot: Deno.cwd(),
      env,
      print,
      clock: lateClock(),
    });
    const door = await serveFrontDoor(
      { ...parsed, source: parsed.eventSource, environments, print },
      parsed.host,
      parsed.port,
    );
    environments.start();
    const stop = () => Promise.all([environments.stop(), door.close()]).then(() => {});
    try {
      await until(() => lines.some((line) => line.startsWith("INIT_REPORT")), 30_000);
      if (lines.some((line) => line.startsWith("INIT_REPORT Init Duration"))) {
        return { url: `http://127.0.0.1:${door.port}`, lines, [Symbol.asyncDispose]: stop };
      }
      throw new Error(`emulate: the app did not become ready:\n${lines.join("\n")}`);
    } catch (error) {
      await stop();
      if (attempt < 3 && portTaken(lines.join("\n"))) continue;
      throw error;
    }
  }
}

Deno.test("emulate starts a new environment after the app exits, as Lambda does", async () => {
  await using emulate = await startEmulate({ app: EXPRESS_APP });
  const crash = await emulate.fetch("/_/exit");
  assert.equal(crash.status, 502);
  await crash.body?.cancel();
  await emulate.child.waitForLine(/the app exited with code 7; Lambda reports Runtime\.ExitError/);
  const next = await emulate.fetch("/_/status/200");
  assert.equal(next.status, 200);
  await next.body?.cancel();
  const inits = emulate.child.lines.filter((line) => line.startsWith("INIT_REPORT Init Duration"));
  assert.equal(inits.length, 2, emulate.child.output());
});

Deno.test("emulate refuses a buffered response over 6 MB with Lambda's error", async () => {
  await using emulate = await startEmulate({ app: EXPRESS_APP });
  const big = await emulate.fetch("/_/big/7000000");
  assert.equal(big.status, 502);
  await big.body?.cancel();
  await emulate.child.waitForLine(
    /-> error in \d+ ms: LambdaAdapter\.ResponseTooLarge: .*response_stream/,
  );
});

Deno.test("emulate cuts a stream at Lambda's 200 MB", async () => {
  await using emulate = await startEmulate({
    app: DENO_APP,
    args: ["--timeout", "60"],
    env: { AWS_LWA_INVOKE_MODE: "response_stream" },
  });
  const response = await emulate.fetch(`/_/stream/${220 * 1024 * 1024}`);
  let received = 0;
  try {
    for await (const chunk of response.body!) received += chunk.byteLength;
  } catch {
    // The front door ends the body abruptly, as a cut stream reaches a client.
  }
  assert.ok(received <= 200 * 1024 * 1024, `${received} bytes`);
  await emulate.child.waitForLine(
    /streamed \d+ bytes .*stream failed: LambdaAdapter\.ResponseTooLarge/,
  );
  // One readable line for the failure, no stack trace.
  assert.doesNotMatch(emulate.child.output(), /^\s+at |^\w*Error: /m);
});

Deno.test("emulate serves one invocation at a time unless --concurrency says more", async () => {
  // Two requests to /_/meet/2 meet in the app only if they run at the same time; one waiting
  // alone gives up after the given time. Nothing here measures time.
  for (const [concurrency, wait, expected] of [[1, 300, "alone"], [2, 20_000, "met"]] as const) {
    await using emulate = await startEmulate({
      app: DENO_APP,
      args: ["--concurrency", `${concurrency}`, "--timeout", "30"],
    });
    const answers = await Promise.all(
      [0, 1].map(() => emulate.fetch(`/_/meet/2/${wait}`).then((response) => response.text())),
    );
    assert.deepEqual(answers, [expected, expected], `concurrency ${concurrency}`);
  }
});
