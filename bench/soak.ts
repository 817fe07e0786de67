// deno-lint-ignore-file no-console -- a benchmark script prints its report
/**
 * `deno task soak` (issue 9): 100,000 small invocations and 1,000 of 1 MiB, each with a
 * 15-minute deadline (what leaked timers per invocation), through our adapter as users run it.
 * The 1 MiB ones are spread evenly among the small ones and alternate a POST of 1 MiB text with
 * a GET answering 1 MiB binary. Every 10,000 small invocations it prints the adapter's RSS and
 * open file descriptors (/proc/<pid>/fd). A warm-up of the same mix comes first; its end is the
 * baseline. Goals: RSS grows by under 5 MiB from the baseline to the end, the fd count never
 * changes, and no invocation fails. It prints PASS or FAIL against them; it is a benchmark, not
 * a test, and always exits 0 unless it could not run.
 *
 * Usage: deno task soak [--small=100000] [--large=1000] [--warmup=5000] [--every=10000]
 *        [--runtime=emulator|minimal]   (also SOAK_SMALL, SOAK_LARGE, SOAK_WARMUP, SOAK_EVERY,
 *        SOAK_RUNTIME). Quick run: deno task soak --small=5000 --large=50 --warmup=500 --every=1000
 *
 * @module
 */

import { prepareAdapter } from "../tests/harness.ts";
import { spawnAdapter, startBenchApp } from "./adapters.ts";
import { intOption, listOption } from "./options.ts";
import { restEvent, textBytes } from "./rest_event.ts";
import { type FakeRuntime, type RuntimeKind, startRuntime } from "./runtimes.ts";
import { loadAverage, memoryKiB, mib, openFds } from "./stats.ts";

const FIFTEEN_MINUTES = 15 * 60 * 1000;
const GROWTH_GOAL_KIB = 5 * 1024;
const MiB = 1 << 20;

const SMALL = restEvent({ method: "GET", path: "/text/2" });
const LARGE = [
  restEvent({ method: "POST", path: "/upload", body: { kind: "text", bytes: textBytes(MiB) } }),
  restEvent({ method: "GET", path: `/binary/${MiB}` }),
];

/** Runs `small` small invocations with `large` 1 MiB ones spread evenly among them. */
class Load {
  failures = 0;
  invocations = 0;
  #largeDone = 0;
  readonly #fake: FakeRuntime;

  constructor(fake: FakeRuntime) {
    this.#fake = fake;
  }

  async run(small: number, large: number, every: number, onCheckpoint: (done: number) => void) {
    for (let i = 0; i < small; i++) {
      await this.#invoke(SMALL);
      const due = Math.floor(((i + 1) * large) / small) - Math.floor((i * large) / small);
      for (let k = 0; k < due; k++) await this.#invoke(LARGE[this.#largeDone++ % 2]!);
      if (every > 0 && (i + 1) % every === 0) onCheckpoint(i + 1);
    }
  }

  async #invoke(payload: Uint8Array<ArrayBuffer>) {
    const invoked = await this.#fake.invoke(payload);
    this.invocations++;
    if (!invoked.ok) {
      this.failures++;
      if (this.failures <= 5) {
        console.log(`failed invocation: ${new TextDecoder().decode(invoked.body).slice(0, 300)}`);
      }
    }
  }
}

async function main() {
  const small = intOption("small", "SOAK_SMALL", 100_000);
  const large = intOption("large", "SOAK_LARGE", 1000);
  const warmup = intOption("warmup", "SOAK_WARMUP", 5000);
  const every = intOption("every", "SOAK_EVERY", 10_000);
  const runtime = listOption("runtime", "SOAK_RUNTIME", ["emulator"])[0] as RuntimeKind;

  const loadBefore = loadAverage();
  const { port, app } = await startBenchApp();
  await using _app = app;
  await using fake = await startRuntime(runtime, FIFTEEN_MINUTES);
  await using adapter = spawnAdapter("ours", fake.runtimeApi, port);
  await fake.waitForInit();
  const pid = adapter.process.pid;
  const idle = memoryKiB(pid).rss;

  console.log(`# Soak (${runtime} Runtime API, deadline 15 min ahead, REST events)\n`);
  console.log(`RSS idle after init: ${mib(idle)} MiB, open fds: ${openFds(pid)}.`);
  const warm = new Load(fake);
  const started = performance.now();
  await warm.run(warmup, Math.round((warmup * large) / Math.max(small, 1)), 0, () => {});
  const baseline = { rss: memoryKiB(pid).rss, fds: openFds(pid) };
  console.log(
    `After a warm-up of ${warm.invocations} invocations (${
      ((performance.now() - started) / 1000).toFixed(0)
    } s): RSS ${mib(baseline.rss)} MiB, open fds ${baseline.fds}. This is the baseline.\n`,
  );

  console.log(
    "| small invocations | all invocations | RSS (MiB) | growth (MiB) | open fds | elapsed (s) |",
  );
  console.log("|---|---|---|---|---|---|");
  const load = new Load(fake);
  const points: { rss: number; fds: number }[] = [];
  const soakStarted = performance.now();
  await load.run(small, large, every, (done) => {
    const point = { rss: memoryKiB(pid).rss, fds: openFds(pid) };
    points.push(point);
    console.log(
      `| ${done} | ${load.invocations} | ${mib(point.rss)} | ${
        mib(point.rss - baseline.rss)
      } | ${point.fds} | ${((performance.now() - soakStarted) / 1000).toFixed(0)} |`,
    );
  });
  const end = { ...memoryKiB(pid), fds: openFds(pid) };
  const growth = end.rss - baseline.rss;
  const fdsSeen = new Set([baseline.fds, ...points.map((point) => point.fds), end.fds]);
  const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");

  console.log(
    `\n${load.invocations} invocations (${small} small, ${large} of 1 MiB) in ${
      ((performance.now() - soakStarted) / 1000).toFixed(0)
    } s; peak RSS (VmHWM) ${mib(end.peak)} MiB; ${adapter.lines.length} adapter log lines.\n`,
  );
  console.log(`Load average (1 min) ${loadBefore} at the start, ${loadAverage()} at the end.\n`);
  console.log("| goal (issue 9) | measured | verdict |");
  console.log("|---|---|---|");
  console.log(
    `| RSS growth after warm-up < 5 MiB | ${mib(growth)} MiB (${mib(baseline.rss)} → ${
      mib(end.rss)
    }) | ${verdict(growth < GROWTH_GOAL_KIB)} |`,
  );
  console.log(
    `| open fds constant | ${[...fdsSeen].join(", ")} | ${verdict(fdsSeen.size === 1)} |`,
  );
  console.log(
    `| no failed invocation | ${load.failures + warm.failures} failed | ${
      verdict(load.failures + warm.failures === 0)
    } |`,
  );
}

if (import.meta.main) {
  await prepareAdapter();
  await main();
}
