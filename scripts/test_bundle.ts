// deno-lint-ignore-file no-console -- a test driver reports what it runs
/**
 * Bundles the program with `deno bundle` (scripts/runtime_flags.ts) and runs the end-to-end
 * suite against the bundle, which proves the module graph is self-contained (what
 * `deno compile` needs) and that the bundled program behaves as the sources do.
 *
 * Run: deno run -A scripts/test_bundle.ts   (the second half of `deno task test`)
 *
 * @module
 */

import { bundle as build, bundleCommand } from "./runtime_flags.ts";

const ROOT = new URL("../", import.meta.url);
const bundle = await build();

const suite = [...Deno.readDirSync(new URL("tests/", ROOT))]
  .filter((entry) => /^e2e_.*_test\.ts$/.test(entry.name))
  .map((entry) => new URL(`tests/${entry.name}`, ROOT).pathname)
  .sort();
console.log(`running ${suite.length} end-to-end test files against ${bundle}`);
const run = await new Deno.Command(Deno.execPath(), {
  args: ["test", "--allow-all", "--parallel", "--trace-leaks", ...suite],
  env: { LAMBDA_ADAPTER_CMD: bundleCommand(bundle).join(" ") },
  stdout: "inherit",
  stderr: "inherit",
}).output();
Deno.exit(run.code);
