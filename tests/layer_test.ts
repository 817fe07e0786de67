/**
 * The layer zip: LWA's layout and modes, LF endings, byte-identical rebuilds; and `bootstrap`
 * starting the handler file the way Lambda's exec wrapper contract says.
 */

import assert from "node:assert/strict";
import { buildLayer } from "../scripts/layer.ts";
import { buildZip } from "../scripts/zip.ts";

const ROOT = new URL("../", import.meta.url);

/** Lists a zip with Python's zipfile, an independent reader. */
async function listZip(bytes: Uint8Array) {
  const path = await Deno.makeTempFile({ suffix: ".zip" });
  await Deno.writeFile(path, bytes);
  const script = `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps([{"name": i.filename, "mode": i.external_attr >> 16, "date": list(i.date_time),
  "data": z.read(i).decode("latin-1")} for i in z.infolist()]))`;
  const { stdout, success, stderr } = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", script, path],
  }).output();
  await Deno.remove(path);
  assert.ok(success, new TextDecoder().decode(stderr));
  return JSON.parse(new TextDecoder().decode(stdout)) as {
    name: string;
    mode: number;
    date: number[];
    data: string;
  }[];
}

Deno.test("buildLayer() lays out bootstrap and extensions/lambda-adapter with mode 0755", async () => {
  const binary = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
  const bootstrap = new TextEncoder().encode('#!/bin/bash\r\nexec -- "x"\r\n');
  const entries = await listZip(buildLayer(binary, bootstrap));
  assert.deepEqual(entries.map(({ name, mode, date }) => ({ name, mode, date })), [
    { name: "bootstrap", mode: 0o100755, date: [1980, 1, 1, 0, 0, 0] },
    { name: "extensions/", mode: 0o040755, date: [1980, 1, 1, 0, 0, 0] },
    { name: "extensions/lambda-adapter", mode: 0o100755, date: [1980, 1, 1, 0, 0, 0] },
  ]);
  assert.equal(entries[0]!.data, '#!/bin/bash\nexec -- "x"\n');
  const extracted = Uint8Array.from(entries[2]!.data, (c) => c.charCodeAt(0));
  assert.deepEqual(extracted, binary);
});

Deno.test("buildLayer() is deterministic", async () => {
  const bootstrap = await Deno.readFile(new URL("layer/bootstrap", ROOT));
  const binary = new TextEncoder().encode("not really a binary");
  assert.deepEqual(buildLayer(binary, bootstrap), buildLayer(binary, bootstrap));
  const shuffled = buildZip([{ name: "b", mode: 0o644, data: binary }, { name: "a", mode: 0o644 }]);
  const sorted = buildZip([{ name: "a", mode: 0o644 }, { name: "b", mode: 0o644, data: binary }]);
  assert.deepEqual(shuffled, sorted);
});

Deno.test("layer/bootstrap executes ${LAMBDA_TASK_ROOT}/${_HANDLER}", async () => {
  const taskRoot = await Deno.makeTempDir();
  await Deno.writeTextFile(`${taskRoot}/run.sh`, '#!/bin/sh\necho "started with $# args: $*"\n');
  await Deno.chmod(`${taskRoot}/run.sh`, 0o755);
  const bootstrap = new URL("layer/bootstrap", ROOT).pathname;
  assert.equal((await Deno.stat(bootstrap)).mode! & 0o777, 0o755);
  const text = await Deno.readTextFile(bootstrap);
  assert.ok(!text.includes("\r"), "LF line endings");
  const { stdout, success } = await new Deno.Command(bootstrap, {
    // The managed runtime passes its own command line; the wrapper ignores it.
    args: ["/var/runtime/bootstrap", "--flag"],
    env: { LAMBDA_TASK_ROOT: taskRoot, _HANDLER: "run.sh" },
  }).output();
  assert.ok(success);
  assert.equal(new TextDecoder().decode(stdout), "started with 0 args: \n");
  await Deno.remove(taskRoot, { recursive: true });
});
