// deno-lint-ignore-file no-console -- a benchmark script prints its report
/**
 * Forwarding benchmark: per invocation, the time from the emulator handing out an event to it
 * receiving the result, against the same request sent straight to the app with the adapter's own
 * HTTP client. The adapter's memory and cold start have their own sections (bench/memory.ts,
 * bench/cold_start.ts).
 *
 * Run: deno task bench   (prints a Markdown report)
 *
 * @module
 */

import { type Emulator, startEmulator } from "../src/emulator/mod.ts";
import { createHttpClient } from "../src/http/client.ts";
import { readBody } from "../src/http/read_body.ts";
import type { OutgoingRequest } from "../src/http/types.ts";
import { adapterCommand, Child, prepareAdapter } from "../tests/harness.ts";
import { startBenchApp } from "./adapters.ts";
import { median } from "./stats.ts";

const SIZES: [string, number][] = [
  ["0 B", 0],
  ["1 KiB", 1024],
  ["64 KiB", 65536],
  ["1 MiB", 1 << 20],
  ["6 MB", 6_000_000],
];
const encoder = new TextEncoder();

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

async function main() {
  const { port: appPort, app } = await startBenchApp();
  await using _app = app;

  await using emulator = await startEmulator({ functionTimeoutMs: 60_000 });
  await using adapter = new Child("adapter", adapterCommand(), {
    env: { AWS_LAMBDA_RUNTIME_API: emulator.runtimeApi, AWS_LWA_PORT: `${appPort}` },
  });
  await emulator.waitForInit();
  void adapter;
  const rows = await forwarding(emulator, appPort, SIZES);

  console.log(`# Forwarding benchmark (${new Date().toISOString()}, deno ${Deno.version.deno})\n`);
  console.log("Times in ms, medians. direct = the app called with the adapter's HTTP client;");
  console.log("adapter = emulator hands out the event until it receives the result.\n");
  console.log("| body | kind | size | direct | adapter | ratio | overhead | n |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const row of rows) console.log(row);
}

if (import.meta.main) {
  await prepareAdapter();
  await main();
}
