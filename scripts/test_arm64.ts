// deno-lint-ignore-file no-console -- a test driver reports what it runs
/**
 * `deno task test:arm64`: a smoke subset of the end-to-end suite with the adapter running on the
 * arm64 (aarch64) build of Deno under qemu-user, against the bundled program. Slow (the arm64
 * V8 is emulated), so it is not part of `deno task test`.
 *
 * Needs Debian's qemu-user-static, libc6-arm64-cross and libgcc-s1-arm64-cross; fetches Deno for
 * linux-arm64 from npm (@deno/linux-arm64-glibc) into .cache/.
 *
 * @module
 */

import { bundle as build, PERMISSIONS, V8_FLAGS } from "./runtime_flags.ts";
import { exists } from "./fs.ts";

const ROOT = new URL("../", import.meta.url);
const CACHE = new URL(".cache/deno-arm64/", ROOT).pathname;
const DENO_ARM64 = `${CACHE}package/deno`;
const SYSROOT = "/usr/aarch64-linux-gnu";

async function run(command: string, args: string[], options: Deno.CommandOptions = {}) {
  const { success } = await new Deno.Command(command, { args, ...options }).output();
  return success;
}

if (!exists(SYSROOT) || !(await run("qemu-aarch64-static", ["--version"]).catch(() => false))) {
  console.error(
    "test:arm64 needs qemu-user and an arm64 sysroot: " +
      "apt-get install qemu-user-static libc6-arm64-cross libgcc-s1-arm64-cross",
  );
  Deno.exit(1);
}
if (!exists(DENO_ARM64)) {
  await Deno.mkdir(CACHE, { recursive: true });
  const spec = `@deno/linux-arm64-glibc@${Deno.version.deno}`;
  console.log(`fetching ${spec} from npm`);
  if (!(await run("npm", ["pack", spec], { cwd: CACHE, stdout: "null" }))) Deno.exit(1);
  const tarball = [...Deno.readDirSync(CACHE)].find((entry) => entry.name.endsWith(".tgz"))!;
  if (!(await run("tar", ["xzf", tarball.name], { cwd: CACHE }))) Deno.exit(1);
}

const bundle = await build();

const adapter = [
  "qemu-aarch64-static",
  "-L",
  SYSROOT,
  DENO_ARM64,
  "run",
  ...PERMISSIONS,
  ...V8_FLAGS,
  bundle,
];
const version = await new Deno.Command(adapter[0]!, { args: [...adapter.slice(1, 4), "--version"] })
  .output();
console.log(new TextDecoder().decode(version.stdout).split("\n")[0]);
const suite = [
  "tests/e2e_apps_test.ts",
  "tests/e2e_bad_input_test.ts",
  "tests/e2e_streaming_test.ts",
];
// Timing assertions are left out: the emulated arm64 V8 is many times slower.
const filter =
  "/every HTTP source|Express app with repeated|bad events|empty body|dies mid-stream|REST API answer streams/";
const result = await new Deno.Command(Deno.execPath(), {
  args: ["test", "--allow-all", "--filter", filter, ...suite],
  cwd: ROOT.pathname,
  env: { LAMBDA_ADAPTER_CMD: adapter.join(" ") },
  stdout: "inherit",
  stderr: "inherit",
}).output();
Deno.exit(result.code);
