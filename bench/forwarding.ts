// deno-lint-ignore-file no-console -- a benchmark script prints its report
/**
 * Forwarding benchmark: per invocation, the time from the emulator handing out an event to it
 * receiving the result, against the same request sent straight to the app with the adapter's own
 * HTTP client. Also the adapter's cold start and its memory.
 *
 * Run: deno task bench   (prints a Markdown report)
 *
 * @module
 */

import { type Emulator, startEmulator } from "../src/emulator/mod.ts";
import { createHttpClient } from "../src/http/client.ts";
import { readBody } from "../src/http/read_body.ts";
import type { OutgoingRequest } from "../src/http/types.ts";
import { adapterCommand, Child, freePort } from "../tests/harness.ts";
import { median, rssKiB, sampleRss } from "./stats.ts";

const SIZES: [string, number][] = [
  ["0 B", 0],
  ["1 KiB", 1024],
  ["64 KiB", 65536],
  ["1 MiB", 1 << 20],
  ["6 MB", 6_000_000],
];
const encoder = new TextEncoder();
const app = new URL("./bench_app.ts", import.meta.url).pathname;

function iterations(size: number): number {
  return size >= 1 << 20 ? (size > 2 << 20 ? 15 : 40) : 300;
}

/** A Function URL event and the equivalent direct request. */
function caseOf(direction: "request" | "response", kind: "text" | "binary", size: number) {
  // For binary, `size` is the encoded (base64) size, as LWA's benchmark counts it.
  const raw = kind === "text" ? size : Math.floor((size * 3) / 4);
  const bytes = new Uint8Array(raw);
  if (kind === "text") bytes.fill(120);
  else for (let i = 0; i < raw; i++) bytes[i] = (i * 31) % 256;
  const contentType = kind === "text" ? "text/plain" : "application/octet-stream";
  const method = direction === "request" ? "POST" : "GET";
  const path = direction === "request" ? "/upload" : `/${kind}/${raw}`;
  const event = {
    version: "2.0",
    rawPath: path,
    rawQueryString: "",
    headers: { host: "bench.lambda-url.us-east-1.on.aws", "content-type": contentType },
    requestContext: { http: { method, path }, requestId: "bench" },
    body: direction === "request"
      ? (kind === "text" ? new TextDecoder().decode(bytes) : bytes.toBase64())
      : "",
    isBase64Encoded: direction === "request" && kind === "binary",
  };
  const request: OutgoingRequest = {
    method,
    target: path,
    headers: [["content-type", contentType]],
    body: direction === "request" ? bytes : null,
  };
  return { payload: encoder.encode(JSON.stringify(event)), request };
}

async function forwarding(emulator: Emulator, appPort: number, sizes: [string, number][]) {
  const direct = createHttpClient({ hostname: "127.0.0.1", port: appPort });
  const rows: string[] = [];
  for (const direction of ["request", "response"] as const) {
    for (const kind of ["text", "binary"] as const) {
      for (const [label, size] of sizes) {
        const { payload, request } = caseOf(direction, kind, size);
        const count = iterations(size);
        const viaAdapter: number[] = [];
        const straight: number[] = [];
        for (let i = 0; i < count + 5; i++) {
          const result = await emulator.invoke(payload);
          if (result.kind !== "response") throw new Error(`${label}: ${JSON.stringify(result)}`);
          const started = performance.now();
          await readBody((await direct.request(request)).body);
          const directMs = performance.now() - started;
          if (i < 5) continue; // warm-up
          viaAdapter.push(result.timing.completedAt - result.timing.handedOutAt);
          straight.push(directMs);
        }
        const a = median(viaAdapter);
        const d = median(straight);
        rows.push(
          `| ${direction} body | ${kind} | ${label} | ${d.toFixed(3)} | ${a.toFixed(3)} | ${
            (a / d).toFixed(2)
          } | ${(a - d).toFixed(3)} | ${count} |`,
        );
      }
    }
  }
  await direct.close();
  return rows;
}

async function coldStart(appPort: number, runs = 10) {
  const adapter: number[] = [];
  const noop: number[] = [];
  const script = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(script, "");
  for (let i = 0; i < runs; i++) {
    await using emulator = await startEmulator();
    const spawned = performance.now();
    await using child = new Child("adapter", adapterCommand(), {
      env: { AWS_LAMBDA_RUNTIME_API: emulator.runtimeApi, AWS_LWA_PORT: `${appPort}` },
    });
    await emulator.waitForInit();
    adapter.push(emulator.stats.firstNextAt! - spawned);
    child.kill("SIGKILL");
    const started = performance.now();
    await new Deno.Command(Deno.execPath(), { args: ["run", script] }).output();
    noop.push(performance.now() - started);
  }
  await Deno.remove(script);
  return { adapter: median(adapter), noop: median(noop) };
}

async function main() {
  const appPort = freePort();
  await using appProcess = new Child("app", [
    Deno.execPath(),
    "run",
    "--allow-net",
    "--allow-env",
    app,
  ], {
    env: { PORT: `${appPort}` },
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  void appProcess;

  const cold = await coldStart(appPort);

  await using emulator = await startEmulator({ functionTimeoutMs: 60_000 });
  await using adapter = new Child("adapter", adapterCommand(), {
    env: { AWS_LAMBDA_RUNTIME_API: emulator.runtimeApi, AWS_LWA_PORT: `${appPort}` },
  });
  await emulator.waitForInit();
  const pid = adapter.process.pid;
  const rssAtInit = await rssKiB(pid);
  // Small bodies first, so their memory figure is not the large bodies' heap.
  let sampler = sampleRss(pid);
  const rows = await forwarding(emulator, appPort, SIZES.filter(([, size]) => size <= 65536));
  const rssSmall = sampler.stop();
  sampler = sampleRss(pid);
  rows.push(...await forwarding(emulator, appPort, SIZES.filter(([, size]) => size > 65536)));
  const rssLarge = sampler.stop();
  const rssAfter = await rssKiB(pid);

  console.log(`# Forwarding benchmark (${new Date().toISOString()}, deno ${Deno.version.deno})\n`);
  console.log("Times in ms, medians. direct = the app called with the adapter's HTTP client;");
  console.log("adapter = emulator hands out the event until it receives the result.\n");
  console.log("| body | kind | size | direct | adapter | ratio | overhead | n |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const row of rows) console.log(row);
  console.log(
    `\nCold start (spawn to first /next, app already up, median of 10): ${
      cold.adapter.toFixed(1)
    } ms`,
  );
  console.log(
    `  of which Deno itself (spawn to exit of an empty script): ${cold.noop.toFixed(1)} ms`,
  );
  const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;
  console.log(
    `RSS: ${mib(rssAtInit)} idle after init; peak ${mib(rssSmall)} while the bodies up to ` +
      `64 KiB run, ${mib(rssLarge)} while the 1 MiB and 6 MB bodies run; ${mib(rssAfter)} after`,
  );
}

if (import.meta.main) await main();
