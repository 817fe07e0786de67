import assert from "node:assert/strict";
import { parseReading, ProcessMemory, toMb } from "./process_memory.ts";

const MIB = 1024 * 1024;
// A grandchild of the root: sh -> sh -> python, which holds 48 MiB once it prints "held".
const HOLDER = `
import sys, time
block = bytearray(48 * 1024 * 1024)
for offset in range(0, len(block), 4096):
    block[offset] = 1
print("held", flush=True)
time.sleep(60)
`;

Deno.test("ProcessMemory reads a whole process tree, grandchildren included", async (t) => {
  const memory = ProcessMemory.start();
  if (!memory) {
    t.step({ name: "skipped: no /proc here", ignore: true, fn: () => {} });
    return;
  }
  const root = new Deno.Command("sh", {
    args: ["-c", `sh -c '/usr/bin/python3 -c "$0"; true' '${HOLDER}'; true`],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let tree: readonly number[] = [root.pid];
  try {
    const reader = root.stdout.pipeThrough(new TextDecoderStream()).getReader();
    assert.equal((await reader.read()).value?.trim(), "held");
    const reading = await memory.read([root.pid]);
    assert.ok(reading);
    tree = reading.pids;
    assert.ok(reading.pids.length >= 3, `sh, sh and python: ${reading.pids}`);
    assert.equal(reading.pids[0], root.pid);
    assert.ok(reading.bytes >= 48 * MIB, `${reading.bytes} bytes`);
    assert.ok(reading.bytes < 100 * MIB, `${reading.bytes} bytes`);

    const gone = await memory.read([2 ** 22 + 1]);
    assert.deepEqual(gone, { bytes: 0, pids: [2 ** 22 + 1] }, "a pid that is not there is 0");
    await reader.cancel();
  } finally {
    for (const pid of tree) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    await root.status;
    await memory.close();
  }
  assert.equal(await memory.read([Deno.pid]), undefined, "closed");
});

Deno.test("parseReading() and toMb() read the walker's answers", () => {
  assert.deepEqual(parseReading("2048 12 13 \n"), { bytes: 2 * MIB, pids: [12, 13] });
  assert.deepEqual(parseReading("0 "), { bytes: 0, pids: [] });
  assert.equal(toMb(0), 0);
  assert.equal(toMb(1), 1);
  assert.equal(toMb(64 * MIB), 64);
});
