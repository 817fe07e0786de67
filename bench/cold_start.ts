// deno-lint-ignore-file no-console -- a benchmark script prints its report
/**
 * Cold start benchmark: spawn to the first `/runtime/invocation/next`, the app already up, for
 * the adapter run from its sources (`deno run src/main.ts`) and from the bundle
 * (`deno bundle` with code splitting → dist/bundle/main.js), both with the shipped permissions
 * and V8 flags,
 * spawned in turns. For scale: `deno run` of an empty script, spawn to exit.
 *
 * Run: deno run -A bench/cold_start.ts [--runs=20]   (part of `deno task bench`)
 *
 * @module
 */

import { bundle, bundleCommand } from "../scripts/runtime_flags.ts";
import { adapterCommand } from "../tests/harness.ts";
import { spawnAdapter, startBenchApp } from "./adapters.ts";
import { intOption } from "./options.ts";
import { DEFAULT_RUNTIME, startRuntime } from "./runtimes.ts";
import { loadAverage, median } from "./stats.ts";

const GOAL_MS = 30;

async function firstNext(command: string[], appPort: number): Promise<number> {
  await using fake = await startRuntime(DEFAULT_RUNTIME, 60_000);
  const spawned = performance.now();
  await using _adapter = spawnAdapter("ours", fake.runtimeApi, appPort, command);
  await fake.waitForInit();
  return fake.firstNextAt! - spawned;
}

async function emptyScript(script: string): Promise<number> {
  const started = performance.now();
  await new Deno.Command(Deno.execPath(), { args: ["run", script] }).output();
  return performance.now() - started;
}

async function main() {
  const runs = intOption("runs", "COLD_RUNS", 20);
  const loadBefore = loadAverage();
  const bundled = await bundle();
  const commands = {
    source: adapterCommand(),
    bundle: bundleCommand(bundled),
  };
  const { port, app } = await startBenchApp();
  await using _app = app;
  const script = await Deno.makeTempFile({ suffix: ".ts" });
  const times = { source: [] as number[], bundle: [] as number[], empty: [] as number[] };
  try {
    // One of each first, unmeasured: it fills the module and code caches.
    await firstNext(commands.source, port);
    await firstNext(commands.bundle, port);
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? (["source", "bundle"] as const) : (["bundle", "source"] as const);
      for (const kind of order) times[kind].push(await firstNext(commands[kind], port));
      times.empty.push(await emptyScript(script));
    }
  } finally {
    await Deno.remove(script);
  }
  const bundleMs = median(times.bundle);
  console.log(`\n# Cold start (${DEFAULT_RUNTIME} Runtime API)\n`);
  console.log(`Spawn to the first /runtime/invocation/next, app already up; medians of ${runs}.`);
  console.log(`Load average (1 min) ${loadBefore} at the start, ${loadAverage()} at the end.\n`);
  console.log("| adapter as | ms | goal (issue 10) | met |");
  console.log("|---|---|---|---|");
  console.log(`| \`deno run src/main.ts\` | ${median(times.source).toFixed(1)} | | |`);
  console.log(
    `| bundle (dist/bundle/main.js) | ${bundleMs.toFixed(1)} | ≤ ${GOAL_MS} | ${
      bundleMs <= GOAL_MS ? "yes" : "no"
    } |`,
  );
  console.log(
    `| for scale: \`deno run\` of an empty script, spawn to exit | ${
      median(times.empty).toFixed(1)
    } | | |`,
  );
}

if (import.meta.main) await main();
