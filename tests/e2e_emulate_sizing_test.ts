/**
 * `lambda-adapter emulate` sizes the function as Lambda's log does: REPORT lines with the real
 * peak memory of the adapter and the app's whole process tree, the warning past `--memory`,
 * `--enforce-memory` ending the environment as Lambda's out-of-memory kill does, and
 * `--env-file`.
 */

import assert from "node:assert/strict";
import { RIE_PATH } from "../src/cli/front_door.ts";
import { loadEvent } from "./fixtures.ts";
import { type Emulate, startEmulate } from "./harness.ts";
import { survivors } from "./support/process_tree.ts";

const ROOT = new URL("../", import.meta.url);
const SIZING_APP = new URL("tests/apps/sizing_app.py", ROOT).pathname;
// `sh` stays the app's process, so the app is its child and the memory a grandchild's.
const APP = ["sh", "-c", `/usr/bin/python3 ${SIZING_APP}; exit $?`];
const REPORT = /^REPORT RequestId: /;

/** The fields of the `n`th REPORT line, by name. */
async function report(emulate: Emulate, n: number): Promise<Map<string, string>> {
  const line = await emulate.child.waitForNth(REPORT, n, 30_000);
  assert.match(line, /^REPORT RequestId: \S+\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\t/);
  return new Map(
    line.split("\t").filter(Boolean).map((field) => {
      const colon = field.indexOf(": ");
      return [field.slice(0, colon), field.slice(colon + 2)];
    }),
  );
}

function megabytes(fields: Map<string, string>): number {
  const match = /^(\d+) MB$/.exec(fields.get("Max Memory Used") ?? "");
  assert.ok(match, `Max Memory Used in ${JSON.stringify([...fields])}`);
  return Number(match[1]);
}

async function get(emulate: Emulate, path: string): Promise<string> {
  const response = await emulate.fetch(path);
  assert.equal(response.status, 200, path);
  return await response.text();
}

Deno.test("REPORT gives the peak memory of the whole process tree, and warns past --memory", async () => {
  await using emulate = await startEmulate({ app: APP, args: ["--memory", "128"] });
  assert.equal(await get(emulate, "/hold/0"), "held");
  const first = await report(emulate, 1);
  assert.match(first.get("Init Duration") ?? "", /^\d+\.\d\d ms$/);
  assert.equal(first.get("Memory Size"), "128 MB");
  const before = megabytes(first);

  assert.equal(await get(emulate, "/hold/64"), "held");
  const second = await report(emulate, 2);
  assert.equal(second.has("Init Duration"), false, "Init Duration on the first REPORT only");
  const grown = megabytes(second) - before;
  // About 64: the adapter and the interpreters move by a few MB between invocations too.
  assert.ok(grown >= 60 && grown <= 74, `64 MiB held by a grandchild, REPORT grew ${grown} MB`);

  // Past the memory size the invocation still succeeds, with a warning that says so.
  assert.equal(await get(emulate, "/hold/100"), "held");
  assert.ok(megabytes(await report(emulate, 3)) > 128);
  const warning = await emulate.child.waitForLine(/^WARNING: MEMORY EXCEEDED/);
  assert.match(warning, /is over the function's Memory Size of 128 MB/);
  assert.match(warning, /--enforce-memory/);
});

Deno.test("--enforce-memory kills the environment as Lambda does; the next request gets a new one", async () => {
  await using emulate = await startEmulate({
    app: APP,
    args: ["--memory", "128", "--enforce-memory"],
  });
  const initStart = await emulate.child.waitForLine(/^INIT_START .*app pid (\d+)/);
  const appPid = Number(/app pid (\d+)/.exec(initStart)![1]);
  assert.equal(await get(emulate, "/hold/0"), "held");

  const event = loadEvent("aws-lambda-go/lambda-urls-request.json");
  const rie = await emulate.fetch(RIE_PATH, {
    method: "POST",
    body: JSON.stringify({ ...event, rawPath: "/hold/200", rawQueryString: "" }),
  });
  assert.equal(rie.status, 200);
  assert.equal(rie.headers.get("x-amz-function-error"), "Unhandled", emulate.child.output());
  const error = await rie.json();
  assert.equal(error.errorType, "Runtime.ExitError");
  assert.match(
    error.errorMessage,
    /^RequestId: \S+ Error: Runtime exited with error: signal: killed$/,
  );
  await emulate.child.waitForLine(/^MEMORY EXCEEDED: the environment uses \d+ MB of its 128 MB/);
  const killed = await report(emulate, 2);
  assert.equal(killed.get("Status"), "error");
  assert.equal(killed.get("Error Type"), "Runtime.OutOfMemory");
  assert.ok(megabytes(killed) > 128);
  assert.deepEqual(await survivors([appPid]), [], "the app was killed");

  // A front-end request afterwards gets a fresh environment.
  assert.equal(await get(emulate, "/hold/0"), "held");
  await emulate.child.waitForNth(/^INIT_START a new execution environment/, 2);
  const fresh = await report(emulate, 3);
  assert.match(fresh.get("Init Duration") ?? "", /ms$/, "a new environment reports its init");
  assert.ok(megabytes(fresh) < 128);
});

Deno.test("--env-file gives the app its variables and the defaults; the shell's win", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/test.env`;
    await Deno.writeTextFile(
      file,
      [
        "# settings for the test",
        'export GREETING="hello from .env \u{1F600}"',
        "AWS_LAMBDA_FUNCTION_TIMEOUT=7",
        "PORT=1 # the shell's PORT must win, or the app would not start",
      ].join("\n"),
    );
    await using emulate = await startEmulate({ app: APP, args: ["--env-file", file] });
    assert.equal(await get(emulate, "/env/GREETING"), "hello from .env \u{1F600}");
    assert.match(emulate.child.output(), /function timeout 7 s/);
    assert.equal(await get(emulate, "/env/AWS_LAMBDA_FUNCTION_TIMEOUT"), "7");
    assert.equal(await get(emulate, "/env/AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), "128");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
