import assert from "node:assert/strict";
import {
  aptLine,
  type DebianNeed,
  installPackages,
  missingPackages,
  npmStaleness,
  type Runner,
  setUp,
} from "./test_setup.ts";
import { exists } from "./fs.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const NOBODY_HAS: DebianNeed = {
  what: "a tool nobody has",
  packages: ["no-such-package", "nor-this-one"],
  probe: ["no-such-command-for-lambda-adapter-tests"],
};

/** A runner that records each command and fails those `fails` says fail. */
function recorder(fails: (command: readonly string[], count: number) => boolean) {
  const commands: string[] = [];
  const runner: Runner = (command) => {
    commands.push(command.join(" "));
    return Promise.resolve({ success: !fails(command, commands.length), output: "apt said no" });
  };
  return { commands, runner };
}

/** The repository's files as a fresh clone has them: tracked and new ones, no node_modules. */
async function freshCopy(): Promise<string> {
  const { stdout } = await new Deno.Command("git", {
    args: ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    cwd: ROOT,
  }).output();
  const target = await Deno.makeTempDir({ prefix: "lambda-adapter-clone-" });
  for (const file of new TextDecoder().decode(stdout).split("\0")) {
    if (file === "" || !exists(`${ROOT}${file}`)) continue;
    await Deno.mkdir(`${target}/${file.split("/").slice(0, -1).join("/")}`, { recursive: true });
    await Deno.copyFile(`${ROOT}${file}`, `${target}/${file}`);
  }
  return target;
}

async function setupIn(root: string) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", `${root}/scripts/test_setup.ts`],
    env: { NO_COLOR: "1" },
  }).output();
  const decoder = new TextDecoder();
  return { code, output: decoder.decode(stdout) + decoder.decode(stderr) };
}

Deno.test("the test command's setup makes a fresh clone ready, then has nothing to do", async () => {
  const clone = await freshCopy();
  try {
    const first = await setupIn(clone);
    assert.equal(first.code, 0, first.output);
    assert.match(first.output, /npm ci in examples\/express-zip \(node_modules is missing\)/);
    assert.match(first.output, /npm ci in tests\/apps\/express \(node_modules is missing\)/);
    assert.ok(exists(`${clone}/tests/apps/express/node_modules/express/package.json`));
    assert.ok(exists(`${clone}/examples/express-zip/node_modules/express/package.json`));
    assert.equal(npmStaleness(`${clone}/tests/apps/express`), undefined);

    const again = await setupIn(clone);
    assert.equal(again.code, 0, again.output);
    assert.equal(again.output, "");
  } finally {
    await Deno.remove(clone, { recursive: true });
  }
});

Deno.test("setup not as root stops at once with the apt-get line, touching nothing", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/tests/apps/app`, { recursive: true });
    await Deno.writeTextFile(`${root}/tests/apps/app/package-lock.json`, "{}");
    const error = await setUp(root, false, [NOBODY_HAS]);
    assert.match(error!, /missing: no-such-package, nor-this-one/);
    assert.ok(error!.endsWith("\n  sudo apt-get install -y no-such-package nor-this-one"));
    assert.ok(!exists(`${root}/tests/apps/app/node_modules`), "npm ci did not run");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("setup finds missing packages by probing, each package once", async () => {
  const needs: DebianNeed[] = [
    { what: "a", packages: ["pa", "shared"], probe: ["probe-a"] },
    { what: "b", packages: ["pb"], probe: ["probe-b"] },
    { what: "c", packages: ["shared", "pc"], probe: ["probe-c"] },
  ];
  const { commands, runner } = recorder((command) => command[0] !== "probe-b");
  assert.deepEqual(await missingPackages(needs, runner), ["pa", "shared", "pc"]);
  assert.deepEqual(commands, ["probe-a", "probe-b", "probe-c"]);
  assert.equal(aptLine(["pa", "pc"]), "sudo apt-get install -y pa pc");
});

Deno.test("setup as root installs, updating the package lists when the first try fails", async () => {
  const install = "apt-get install -y -q --no-install-recommends pa pb";
  const once = recorder(() => false);
  assert.equal(await installPackages(["pa", "pb"], true, once.runner), undefined);
  assert.deepEqual(once.commands, [install]);

  const retried = recorder((_command, count) => count === 1);
  assert.equal(await installPackages(["pa", "pb"], true, retried.runner), undefined);
  assert.deepEqual(retried.commands, [install, "apt-get update -q", install]);

  const never = recorder((command) => command[1] === "install");
  assert.match((await installPackages(["pa", "pb"], true, never.runner))!, /apt said no/);
  assert.equal(await installPackages([], false, never.runner), undefined);
});

Deno.test("npm staleness: missing, not from npm ci, other versions; optional ones may be absent", async () => {
  const folder = await Deno.makeTempDir();
  const lock = (packages: Record<string, unknown>) => JSON.stringify({ packages });
  const wanted = {
    "": { name: "app" },
    "node_modules/a": { version: "1.0.0", integrity: "sha512-a" },
    "node_modules/b": { version: "2.0.0", integrity: "sha512-b", optional: true },
  };
  try {
    await Deno.writeTextFile(`${folder}/package-lock.json`, lock(wanted));
    assert.equal(npmStaleness(folder), "node_modules is missing");
    await Deno.mkdir(`${folder}/node_modules`);
    assert.equal(npmStaleness(folder), "node_modules was not installed by npm ci");
    const installed = `${folder}/node_modules/.package-lock.json`;
    await Deno.writeTextFile(installed, lock({ "node_modules/b": wanted["node_modules/b"] }));
    assert.equal(npmStaleness(folder), "node_modules/a is missing");
    const older = { version: "0.9.0", integrity: "sha512-old" };
    await Deno.writeTextFile(installed, lock({ "node_modules/a": older }));
    assert.equal(npmStaleness(folder), "node_modules/a is 0.9.0, the lockfile wants 1.0.0");
    await Deno.writeTextFile(installed, lock({ "node_modules/a": wanted["node_modules/a"] }));
    assert.equal(npmStaleness(folder), undefined);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
