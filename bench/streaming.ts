// deno-lint-ignore-file no-console -- a benchmark script prints its report
/**
 * Streaming benchmark: time to first body byte and throughput, through the adapter in
 * response_stream mode against the app called directly with the adapter's HTTP client.
 *
 * Run: deno run -A bench/streaming.ts   (part of `deno task bench`)
 *
 * @module
 */

import { startEmulator } from "../src/emulator/mod.ts";
import { createHttpClient } from "../src/http/client.ts";
import { adapterCommand, Child, freePort, prepareAdapter } from "../tests/harness.ts";
import { median } from "./stats.ts";

const app = new URL("./bench_app.ts", import.meta.url).pathname;
const SIZE = 100 * 1024 * 1024;

function event(path: string) {
  return {
    version: "2.0",
    rawPath: path,
    rawQueryString: "",
    headers: { host: "bench.lambda-url.us-east-1.on.aws" },
    requestContext: {
      domainName: "bench.lambda-url.us-east-1.on.aws",
      http: { method: "GET", path },
      requestId: "bench",
    },
    isBase64Encoded: false,
  };
}

async function main() {
  const port = freePort();
  await using _app = new Child("app", [Deno.execPath(), "run", "--allow-net", "--allow-env", app], {
    env: { PORT: `${port}` },
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  await using emulator = await startEmulator({ functionTimeoutMs: 60_000 });
  await using _adapter = new Child("adapter", adapterCommand(), {
    env: {
      AWS_LAMBDA_RUNTIME_API: emulator.runtimeApi,
      AWS_LWA_PORT: `${port}`,
      AWS_LWA_INVOKE_MODE: "response_stream",
    },
  });
  await emulator.waitForInit();
  const direct = createHttpClient({ hostname: "127.0.0.1", port });

  const viaAdapter: number[] = [];
  const straight: number[] = [];
  for (let i = 0; i < 60; i++) {
    const result = await emulator.invoke(event("/ttfb"));
    if (result.kind !== "stream" || result.timing.firstByteAt === undefined) {
      throw new Error(JSON.stringify(result));
    }
    const started = performance.now();
    const response = await direct.request({ method: "GET", target: "/ttfb", headers: [] });
    const reader = response.body.getReader();
    await reader.read();
    const firstByte = performance.now() - started;
    while (!(await reader.read()).done);
    if (i < 10) continue;
    viaAdapter.push(result.timing.firstByteAt - result.timing.handedOutAt);
    straight.push(firstByte);
  }
  const ttfbAdapter = median(viaAdapter);
  const ttfbDirect = median(straight);

  const throughput: { adapter: number[]; direct: number[] } = { adapter: [], direct: [] };
  for (let i = 0; i < 5; i++) {
    let started = performance.now();
    const result = await emulator.invoke(event(`/stream/${SIZE}`), { keepStreamBody: false });
    if (result.kind !== "stream" || result.bodyBytes !== SIZE) throw new Error("short stream");
    throughput.adapter.push(SIZE / 1e6 / ((performance.now() - started) / 1000));
    started = performance.now();
    const response = await direct.request({
      method: "GET",
      target: `/stream/${SIZE}`,
      headers: [],
    });
    for await (const _ of response.body);
    throughput.direct.push(SIZE / 1e6 / ((performance.now() - started) / 1000));
  }
  await direct.close();
  const mbAdapter = median(throughput.adapter);
  const mbDirect = median(throughput.direct);

  console.log(`# Streaming benchmark (${new Date().toISOString()}, deno ${Deno.version.deno})\n`);
  console.log("| measure | direct | through the adapter | ratio |");
  console.log("|---|---|---|---|");
  console.log(
    `| time to first body byte (median of 50) | ${ttfbDirect.toFixed(3)} ms | ${
      ttfbAdapter.toFixed(3)
    } ms | ${(ttfbAdapter / ttfbDirect).toFixed(2)} |`,
  );
  console.log(
    `| throughput, 100 MiB stream (median of 5) | ${mbDirect.toFixed(0)} MB/s | ${
      mbAdapter.toFixed(0)
    } MB/s | ${(mbAdapter / mbDirect).toFixed(2)} |`,
  );
}

if (import.meta.main) {
  await prepareAdapter();
  await main();
}
