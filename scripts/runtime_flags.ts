/**
 * How the adapter is run, for the build scripts, tests and benchmarks: the permissions and V8
 * flags `deno compile` bakes into the binary (defined in src/cli/run_flags.ts, which `emulate`
 * uses too; tests/runtime_flags_test.ts checks that `deno task start` and the Dockerfile agree),
 * and the bundle those runs use.
 *
 * @module
 */

import { PERMISSIONS, V8_FLAGS } from "../src/cli/run_flags.ts";

export { PERMISSIONS, V8_FLAGS };

const ROOT = new URL("../", import.meta.url);

/** Where `bundle()` writes: the entry point, beside the chunks `import()` loads on demand. */
export const BUNDLE_ENTRY = new URL("dist/bundle/main.js", ROOT).pathname;

/**
 * Bundles src/main.ts with code splitting, so `emulate` and `invoke` (and the `node:http` they
 * import, 60 ms and 11 MB at start) stay in a chunk the adapter itself never loads, as in the
 * compiled binary. One file would inline them into the adapter's start-up.
 *
 * @returns the entry point's path
 */
export async function bundle(): Promise<string> {
  const outdir = new URL("dist/bundle/", ROOT).pathname;
  await Deno.remove(outdir, { recursive: true }).catch(() => {});
  const built = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--platform",
      "deno",
      "--code-splitting",
      "--outdir",
      outdir,
      new URL("src/main.ts", ROOT).pathname,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!built.success) {
    throw new Error(`deno bundle failed:\n${new TextDecoder().decode(built.stderr)}`);
  }
  return BUNDLE_ENTRY;
}

/** The command line that runs the bundle as the binary would run. */
export function bundleCommand(entry = BUNDLE_ENTRY): string[] {
  return [Deno.execPath(), "run", ...PERMISSIONS, ...V8_FLAGS, entry];
}
