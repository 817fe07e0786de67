/**
 * The benchmark instruments run and print what they promise, with tiny counts. No figure is
 * judged here (figures come from full runs, docs/benchmarks.md); the shape of each report is.
 */

import assert from "node:assert/strict";
import { lwaMissing } from "../bench/adapters.ts";

const BENCH = new URL("../bench/", import.meta.url);
const NUMBER = String.raw`\d+\.\d+`;

async function run(script: string, args: string[], env: Record<string, string> = {}) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL(script, BENCH).pathname, ...args],
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  assert.ok(
    output.success,
    `${script} failed:\n${text}\n${new TextDecoder().decode(output.stderr)}`,
  );
  return text;
}

const PEER_ROWS = [
  "GET, 2-byte answer",
  "POST 64 KiB text",
  "GET 64 KiB text",
  "GET 1 MiB text",
  "GET 1 MiB binary",
  "POST 6 MB text",
  "GET 6 MB text",
  "GET 4.4 MB binary",
  "RSS idle, 1 s after init",
  "RSS 1 s after that load",
  "peak RSS, VmHWM",
  "cold start, spawn → first /next",
];
const TINY_PEER = ["--n=1", "--large-n=1", "--warmup=0", "--cold=1"];

Deno.test({
  name: "bench:peer puts ours beside LWA with a ratio in every row",
  ignore: lwaMissing() !== undefined,
  async fn() {
    const report = await run("peer.ts", TINY_PEER);
    assert.match(report, /\| case \| ours \| LWA \| ratio \| n \|/);
    for (const row of PEER_ROWS) {
      assert.match(report, new RegExp(`\\| ${row}.*\\| ${NUMBER} \\| ${NUMBER} \\| ${NUMBER} \\|`));
    }
  },
});

Deno.test("bench:peer skips the LWA columns with the reason when the binary is absent", async () => {
  const report = await run("peer.ts", TINY_PEER, { LWA_BIN: "/nonexistent/lwa-lambda-adapter" });
  assert.match(report, /LWA columns skipped: \/nonexistent\/lwa-lambda-adapter is absent/);
  assert.match(report, /\| case \| ours \| n \|/);
  for (const row of PEER_ROWS) assert.match(report, new RegExp(`\\| ${row}.*\\| ${NUMBER} \\|`));
});

Deno.test("the memory bench prints each of issue 10's figures beside its goal", async () => {
  const report = await run("memory.ts", ["--small=5", "--posts=1", "--answers=1"]);
  for (
    const [measure, goal] of [["RSS idle", 40], ["after 5 small", 48], ["POSTs of 1 MiB", 64], [
      "peak RSS",
      100,
    ]]
  ) {
    assert.match(
      report,
      new RegExp(`\\| [^|]*${measure}[^|]* \\| ${NUMBER} \\| ≤ ${goal} \\| (yes|no) \\|`),
    );
  }
});

Deno.test("the cold start bench times the sources and the bundle", async () => {
  const report = await run("cold_start.ts", ["--runs=1"]);
  assert.match(report, new RegExp(`\\| \`deno run src/main.ts\` \\| ${NUMBER} \\|`));
  assert.match(
    report,
    new RegExp(`\\| bundle \\(dist/bundle/main.js\\) \\| ${NUMBER} \\| ≤ 30 \\| (yes|no) \\|`),
  );
});

Deno.test("the soak prints RSS and fds at each checkpoint and a verdict per goal", async () => {
  const report = await run("soak.ts", ["--small=20", "--large=2", "--warmup=5", "--every=10"]);
  assert.match(report, new RegExp(`\\| 10 \\| 11 \\| ${NUMBER} \\| -?${NUMBER} \\| \\d+ \\|`));
  assert.match(report, new RegExp(`\\| 20 \\| 22 \\| ${NUMBER} \\| -?${NUMBER} \\| \\d+ \\|`));
  assert.match(report, /\| RSS growth after warm-up < 5 MiB \| .* \| (PASS|FAIL) \|/);
  assert.match(report, /\| open fds constant \| .* \| (PASS|FAIL) \|/);
  assert.match(report, /\| no failed invocation \| 0 failed \| PASS \|/);
});
