/**
 * The harness never waits without a bound: a child that exits early fails the wait at once,
 * quoting what it printed.
 */

import assert from "node:assert/strict";
import { Child } from "./support/child.ts";

const never = new Promise<never>(() => {});

Deno.test("a wait for a line fails as soon as the child exits, with its output", async () => {
  await using child = new Child("app", [
    "sh",
    "-c",
    "echo 'Cannot find module express' >&2; exit 1",
  ], {});
  await assert.rejects(
    child.waitForLine(/listening on/, 60_000),
    (error: Error) => {
      assert.match(error.message, /^app exited \(code 1\) before printing a line matching/);
      assert.match(error.message, /Cannot find module express/);
      return true;
    },
  );
});

Deno.test("a guarded wait fails when the child exits on its own, not when the test stopped it", async () => {
  await using crashing = new Child("adapter", ["sh", "-c", "echo bye; exit 2"], {});
  await assert.rejects(
    crashing.guard(never, "an invocation's result"),
    /adapter exited \(code 2\) while waiting for an invocation's result; its output:\nbye/,
  );

  await using stopped = new Child("adapter", ["sleep", "60"], {});
  const result = Promise.withResolvers<string>();
  const guarded = stopped.guard(result.promise, "a result");
  stopped.kill("SIGTERM");
  assert.equal((await stopped.status()).signal, "SIGTERM");
  result.resolve("answered after the expected exit");
  assert.equal(await guarded, "answered after the expected exit");
});

Deno.test("every wait is bounded, and names what did not come", async () => {
  await using child = new Child("app", ["sh", "-c", "echo starting; exec sleep 60"], {});
  await child.waitForLine(/starting/);
  await assert.rejects(
    child.waitForLine(/ready/, 50),
    /app did not print a line matching \/ready\/ within 50 ms; its output:\nstarting/,
  );
  await assert.rejects(
    child.guard(never, "an answer", 50),
    /app did not give an answer within 50 ms/,
  );
  await assert.rejects(child.status(50), /app did not exit within 50 ms/);
});

Deno.test("waitForNth counts lines already seen and lines to come", async () => {
  await using child = new Child(
    "app",
    ["sh", "-c", "echo tick; echo tick; sleep 0.1; echo tick"],
    {},
  );
  assert.equal(await child.waitForNth(/tick/, 3), "tick");
  assert.equal((await child.status()).code, 0);
});
