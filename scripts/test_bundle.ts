// deno-lint-ignore-file no-console -- a test driver reports what it runs
/**
 * Bundles the program with `deno bundle` into dist/lambda-adapter.js and runs the end-to-end
 * suite against the bundle, which proves the module graph is self-contained (what
 * `deno compile` needs) and that the bundled program behaves as the sources do.
 *
 * Run: deno run -A scripts/test_bundle.ts   (the second half of `deno task test`)
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url);
const bundle = new URL("dist/lambda-adapter.js", ROOT).pathname;

const bundled = await new Deno.Command(Deno.execPath(), {
  args: ["bundle", "--platform", "deno", "--output", bundle, new URL("src/main.ts", ROOT).pathname],
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (!bundled.success) Deno.exit(1);

const suite = [...Deno.readDirSync(new URL("tests/", ROOT))]
  .filter((entry) => /^e2e_.*_test\.ts$/.test(entry.name))
  .map((entry) => new URL(`tests/${entry.name}`, ROOT).pathname)
  .sort();
console.log(`running ${suite.length} end-to-end test files against ${bundle}`);
const run = await new Deno.Command(Deno.execPath(), {
  args: ["test", "--allow-all", "--parallel", ...suite],
  env: {
    LAMBDA_ADAPTER_CMD: `${Deno.execPath()} run --allow-net --allow-env --allow-read --allow-run ` +
      `--v8-flags=--max-semi-space-size=2 ${bundle}`,
  },
  stdout: "inherit",
  stderr: "inherit",
}).output();
Deno.exit(run.code);
