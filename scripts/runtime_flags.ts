/**
 * How the adapter is run, in one place: the permissions and V8 flags `deno compile` bakes into
 * the binary, which `deno task start`, the bundle test, the arm64 test, the benchmarks and the
 * Dockerfile use too (tests/runtime_flags_test.ts checks that they all agree), and the bundle
 * those runs use.
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url);

/** The adapter needs net, env and read (its own file name); `emulate` also starts processes. */
export const PERMISSIONS = ["--allow-net", "--allow-env", "--allow-read", "--allow-run"];

/**
 * V8 flags, measured with bench/memory.ts and bench/peer.ts on the bundle (docs/benchmarks.md):
 * - `--max-semi-space-size=1`: a 1 MB young generation instead of up to 16 MB per semi-space.
 * - `--single-threaded`: no V8 background threads; with the above, RSS after a thousand small
 *   invocations 46 MiB instead of 49 to 52 MiB, at the same latency.
 * - `--max-opt=2`: optimising tiers up to Maglev, not TurboFan; about 2 MiB less after those
 *   invocations, at the same latency.
 * - `--expose-gc`: lets the adapter run a full GC before polling again after a large
 *   invocation (src/adapter/memory.ts): 55 MiB after the large bodies instead of 164 MiB.
 */
export const V8_FLAGS = [
  "--v8-flags=--max-semi-space-size=1,--single-threaded,--max-opt=2,--expose-gc",
];

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
