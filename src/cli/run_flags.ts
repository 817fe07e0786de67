/**
 * How the adapter runs: the permissions and V8 flags `deno compile` bakes into the binary.
 * `emulate` starts the adapter with them when it runs under `deno run`, and so do
 * `deno task start`, the Dockerfile, the tests and the benchmarks (scripts/runtime_flags.ts;
 * tests/runtime_flags_test.ts checks that they all agree).
 *
 * @module
 */

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
