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

/** `unzip -Z` (zipinfo) of a zip: type and mode string, host system, and name of each entry. */
async function zipinfo(path: string) {
  const { stdout, success, stderr } = await new Deno.Command("unzip", { args: ["-Z", path] })
    .output();
  assert.ok(success, new TextDecoder().decode(stderr));
  return new TextDecoder().decode(stdout).split("\n").flatMap((line) => {
    const match = line.match(
      /^([-dl][-rwxsStT]{9})\s+\S+\s+(\S+)\s+\d+\s+\S+\s+\S+\s+\S+\s+\S+\s+(.+)$/,
    );
    return match ? [{ mode: match[1]!, host: match[2]!, name: match[3]! }] : [];
  });
}

/** LWA's layer, as `unzip -Z` lists it: /opt/bootstrap and /opt/extensions/lambda-adapter, 0755. */
const LWA_LAYOUT = [
  { mode: "-rwxr-xr-x", host: "unx", name: "bootstrap" },
  { mode: "drwxr-xr-x", host: "unx", name: "extensions/" },
  { mode: "-rwxr-xr-x", host: "unx", name: "extensions/lambda-adapter" },
];
const hasUnzip = await new Deno.Command("unzip", { args: ["-v"] }).output().then(
  (out) => out.success,
  () => false,
);

Deno.test({
  name: "unzip -Z lists the layer zip with LWA's layout and modes",
  ignore: !hasUnzip,
  fn: async () => {
    const bootstrap = await Deno.readFile(new URL("layer/bootstrap", ROOT));
    const path = await Deno.makeTempFile({ suffix: ".zip" });
    await Deno.writeFile(path, buildLayer(new TextEncoder().encode("\x7fELF"), bootstrap));
    assert.deepEqual(await zipinfo(path), LWA_LAYOUT);
    await Deno.remove(path);
  },
});

// The release workflow builds the real zips and sets LAYER_ZIPS_REQUIRED=1; elsewhere they are
// checked when `deno task compile && deno task layer` made them.
const ELF_MACHINE = { x86_64: 0x3e, arm64: 0xb7 } as const;
for (const arch of ["x86_64", "arm64"] as const) {
  const zip = new URL(`dist/lambda-adapter-layer-${arch}.zip`, ROOT).pathname;
  const present = await Deno.stat(zip).then(() => true, () => false);
  const required = Deno.env.get("LAYER_ZIPS_REQUIRED") === "1";
  Deno.test({
    name: `dist/lambda-adapter-layer-${arch}.zip has LWA's layout and an ${arch} binary`,
    ignore: !hasUnzip || (!present && !required),
    fn: async () => {
      assert.ok(present, `${zip} is missing: run deno task compile && deno task layer`);
      assert.deepEqual(await zipinfo(zip), LWA_LAYOUT);
      const { stdout } = await new Deno.Command("unzip", {
        args: ["-p", zip, "extensions/lambda-adapter"],
      }).output();
      assert.deepEqual([...stdout.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46], "an ELF binary");
      assert.equal(
        new DataView(stdout.buffer, stdout.byteOffset).getUint16(18, true),
        ELF_MACHINE[arch],
      );
    },
  });
}
