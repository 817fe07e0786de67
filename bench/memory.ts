// deno-lint-ignore-file no-console -- a benchmark script prints its report
/**
 * Memory benchmark, as issue 10 states its goals: our adapter's RSS idle after init, after 1,000
 * small invocations, one second after 100 POSTs of a 1 MiB text body and 20 answers of a 4.4 MB
 * binary body, and its peak over all of that (VmHWM, which the kernel keeps exactly; RSS is
 * also sampled every 10 ms as a cross-check). The adapter runs as users run it
 * (`adapterCommand()`: the shipped V8 flags), behind the bench app, with REST events.
 *
 * Run: deno run -A bench/memory.ts [--small=1000] [--posts=100] [--answers=20]
 * (part of `deno task bench`)
 *
 * @module
 */

import { prepareAdapter } from "../tests/harness.ts";
import { sleep } from "../src/util/async.ts";
import { spawnAdapter, startBenchApp } from "./adapters.ts";
import { intOption } from "./options.ts";
import { restEvent, textBytes } from "./rest_event.ts";
import { DEFAULT_RUNTIME, type FakeRuntime, startRuntime } from "./runtimes.ts";
import { loadAverage, memoryKiB, mib, sampleRss } from "./stats.ts";

const MiB = 1 << 20;

async function run(fake: FakeRuntime, payload: Uint8Array<ArrayBuffer>, times: number) {
  for (let i = 0; i < times; i++) {
    const invoked = await fake.invoke(payload);
    if (!invoked.ok) throw new Error(new TextDecoder().decode(invoked.body).slice(0, 300));
  }
}

function line(label: string, kib: number, goalMiB: number) {
  const met = kib / 1024 <= goalMiB ? "yes" : "no";
  console.log(`| ${label} | ${mib(kib)} | ≤ ${goalMiB} | ${met} |`);
}

async function main() {
  const small = intOption("small", "MEMORY_SMALL", 1000);
  const posts = intOption("posts", "MEMORY_POSTS", 100);
  const answers = intOption("answers", "MEMORY_ANSWERS", 20);
  const loadBefore = loadAverage();
  const { port, app } = await startBenchApp();
  await using _app = app;
  await using fake = await startRuntime(DEFAULT_RUNTIME, 60_000);
  await using adapter = spawnAdapter("ours", fake.runtimeApi, port);
  await fake.waitForInit();
  const pid = adapter.process.pid;
  const sampler = sampleRss(pid, 10);
  await sleep(1000);
  const idleNow = memoryKiB(pid);
  const idle = idleNow.rss;

  await run(fake, restEvent({ method: "GET", path: "/text/2" }), small);
  await sleep(1000);
  const afterSmall = memoryKiB(pid).rss;

  const post = restEvent({
    method: "POST",
    path: "/upload",
    body: { kind: "text", bytes: textBytes(MiB) },
  });
  await run(fake, post, posts);
  await run(fake, restEvent({ method: "GET", path: "/binary/4400000" }), answers);
  await sleep(1000);
  const after = memoryKiB(pid);
  const sampledPeak = sampler.stop();

  console.log(`\n# Memory of our adapter (${DEFAULT_RUNTIME} Runtime API, REST events)\n`);
  console.log("RSS of the adapter process in MiB (the goals' MB read as MiB, as Lambda's are).");
  console.log(`Load average (1 min) ${loadBefore} at the start, ${loadAverage()} at the end.\n`);
  console.log("| measure | MiB | goal (issue 10) | met |");
  console.log("|---|---|---|---|");
  line("RSS idle, 1 s after init", idle, 40);
  line(`RSS 1 s after ${small} small invocations (GET, 2-byte answer)`, afterSmall, 48);
  line(
    `RSS 1 s after ${posts} POSTs of 1 MiB text and ${answers} answers of 4.4 MB binary`,
    after.rss,
    64,
  );
  line("peak RSS over all of it (VmHWM)", after.peak, 100);
  console.log(`\nHighest RSS seen by sampling every 10 ms: ${mib(sampledPeak)} MiB.`);
  console.log(
    `Of the idle RSS, ${mib(idleNow.file)} MiB are mapped files (the executable's pages, ` +
      `shared and reclaimable) and ${mib(idleNow.anon)} MiB the process's own memory; ` +
      `1 s after the large bodies, ${mib(after.file)} and ${mib(after.anon)} MiB.`,
  );
}

if (import.meta.main) {
  await prepareAdapter();
  await main();
}
