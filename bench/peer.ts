// deno-lint-ignore-file no-console -- a benchmark script prints its report
/**
 * `deno task bench:peer`: our adapter against the Rust LWA binary in one run. The same fake
 * Runtime API code (one instance per adapter), the same Deno app, the same API Gateway REST
 * events; the adapters take turns invocation by invocation (ABBA order), so both see the same
 * machine noise. Per invocation it times event handed out → result read, from the Runtime API's
 * side. Then RSS idle, after the load and peak (VmHWM) of each adapter, and cold start.
 *
 * Usage: deno task bench:peer [--n=500] [--large-n=80] [--warmup=5] [--cold=20]
 *        [--runtime=minimal|emulator, or several: minimal,emulator]
 * (also PEER_N, PEER_LARGE_N, PEER_WARMUP, PEER_COLD, PEER_RUNTIME; LWA_BIN names the binary).
 * `--runtime` picks the fake Runtime API (bench/runtimes.ts); naming both runs every adapter
 * against each in the same run, which measures what the fake itself costs.
 *
 * @module
 */

import { prepareAdapter } from "../tests/harness.ts";
import { MAX_RESPONSE_BYTES } from "../src/emulator/mod.ts";
import { sleep } from "../src/util/async.ts";
import { type AdapterKind, lwaMissing, startBenchApp } from "./adapters.ts";
import { intOption, listOption } from "./options.ts";
import { coldStart, type Lane, laneMemory, startLanes, stopLanes, turns } from "./peer_lanes.ts";
import { gitCommit, printHeader, printRow } from "./peer_report.ts";
import { largestTextBody, restEvent, type RestRequest, textBytes } from "./rest_event.ts";
import { DEFAULT_RUNTIME, RUNTIME_KINDS, type RuntimeKind } from "./runtimes.ts";
import { loadAverage, median } from "./stats.ts";

const MiB = 1 << 20;

interface Row {
  label: string;
  request: RestRequest;
  /** Body bytes the app answers with (checked once per adapter). */
  answerBytes?: number;
  large: boolean;
}

function rows(): Row[] {
  const post = largestTextBody();
  const answer = MAX_RESPONSE_BYTES - 2048;
  const get = (path: string) => ({ method: "GET" as const, path });
  const postText = (size: number) => ({
    method: "POST" as const,
    path: "/upload",
    body: { kind: "text" as const, bytes: textBytes(size) },
  });
  return [
    { label: "GET, 2-byte answer", request: get("/text/2"), answerBytes: 2, large: false },
    { label: "POST 64 KiB text", request: postText(65536), large: false },
    { label: "GET 64 KiB text", request: get("/text/65536"), answerBytes: 65536, large: false },
    { label: "GET 1 MiB text", request: get(`/text/${MiB}`), answerBytes: MiB, large: true },
    { label: "GET 1 MiB binary", request: get(`/binary/${MiB}`), answerBytes: MiB, large: true },
    { label: `POST 6 MB text (${post} B)`, request: postText(post), large: true },
    {
      label: `GET 6 MB text (${answer} B)`,
      request: get(`/text/${answer}`),
      answerBytes: answer,
      large: true,
    },
    {
      label: "GET 4.4 MB binary (5.9 MB as base64)",
      request: get("/binary/4400000"),
      answerBytes: 4_400_000,
      large: true,
    },
  ];
}

const decoder = new TextDecoder();

/** Checks a result once per lane and row: a 200 whose body has the expected size. */
function check(lane: Lane, row: Row, body: Uint8Array): void {
  const result = JSON.parse(decoder.decode(body));
  if (result.statusCode !== 200) {
    throw new Error(`${lane.adapter}: ${row.label}: ${decoder.decode(body).slice(0, 300)}`);
  }
  if (row.answerBytes === undefined) return;
  const size = result.isBase64Encoded
    ? Uint8Array.fromBase64(result.body).byteLength
    : new TextEncoder().encode(result.body).byteLength;
  if (size !== row.answerBytes) {
    throw new Error(
      `${lane.adapter}: ${row.label}: ${size} body bytes, expected ${row.answerBytes}`,
    );
  }
}

async function invoke(lane: Lane, payload: Uint8Array<ArrayBuffer>, row: Row, first: boolean) {
  const invoked = await lane.fake.invoke(payload);
  if (!invoked.ok || first) check(lane, row, invoked.body);
  return invoked.ms;
}

/** Runs every row, the lanes taking turns (the order flips each round). */
async function latency(lanes: Lane[], counts: { n: number; largeN: number; warmUp: number }) {
  const table: { row: Row; count: number; medians: number[] }[] = [];
  for (const row of rows()) {
    const payload = restEvent(row.request);
    const count = row.large ? counts.largeN : counts.n;
    const times: number[][] = lanes.map(() => []);
    for (let i = 0; i < count + counts.warmUp; i++) {
      for (const j of turns(lanes.length, i)) {
        const ms = await invoke(lanes[j]!, payload, row, i === 0);
        if (i >= counts.warmUp) times[j]!.push(ms);
      }
    }
    table.push({ row, count, medians: times.map(median) });
  }
  return table;
}

async function main() {
  const counts = {
    n: intOption("n", "PEER_N", 500),
    largeN: intOption("large-n", "PEER_LARGE_N", 80),
    warmUp: intOption("warmup", "PEER_WARMUP", 5),
  };
  const coldRuns = intOption("cold", "PEER_COLD", 20);
  const runtimes = listOption("runtime", "PEER_RUNTIME", [DEFAULT_RUNTIME]) as RuntimeKind[];
  for (const runtime of runtimes) {
    if (!RUNTIME_KINDS.includes(runtime)) {
      throw new Error(`unknown --runtime ${runtime}: one of ${RUNTIME_KINDS.join(", ")}`);
    }
  }
  const missing = lwaMissing();
  const adapters: AdapterKind[] = missing ? ["ours"] : ["ours", "lwa"];

  const loadBefore = loadAverage();
  const { port: appPort, app } = await startBenchApp();
  await using _app = app;
  const lanes = await startLanes(adapters, runtimes, appPort);
  let table;
  const memory: { idle: number; after: number; peak: number }[] = [];
  try {
    await sleep(1000);
    const idle = lanes.map((lane) => laneMemory(lane).rss);
    table = await latency(lanes, counts);
    await sleep(1000);
    for (const [i, lane] of lanes.entries()) {
      const now = laneMemory(lane);
      memory.push({ idle: idle[i]!, after: now.rss, peak: now.peak });
    }
  } finally {
    await stopLanes(lanes);
  }
  const cold = await coldStart(adapters, runtimes[0]!, appPort, coldRuns);

  printReport({ lanes, runtimes, counts, table, memory, cold, coldRuns, loadBefore, missing });
}

interface Report {
  lanes: Lane[];
  runtimes: RuntimeKind[];
  counts: { warmUp: number };
  table: { row: Row; count: number; medians: number[] }[];
  memory: { idle: number; after: number; peak: number }[];
  cold: number[];
  coldRuns: number;
  loadBefore: number;
  missing: string | undefined;
}

function printReport(
  { lanes, runtimes, counts, table, memory, cold, coldRuns, loadBefore, missing }: Report,
) {
  const date = new Date().toISOString();
  console.log(`# Ours against the Rust LWA (${date}, commit ${gitCommit()})\n`);
  console.log(
    `Load average (1 min) ${loadBefore} at the start, ${loadAverage()} at the end, on ` +
      `${navigator.hardwareConcurrency} cores.\n`,
  );
  if (missing) console.log(`LWA columns skipped: ${missing}.\n`);
  console.log(
    `Fake Runtime API: ${runtimes.join(" and ")}; API Gateway REST events; times in ms, ` +
      `medians after ${counts.warmUp} warm-up invocations each; memory in MiB; ratio = ours / LWA.\n`,
  );
  printHeader(runtimes, !missing);
  for (const { row, count, medians } of table) {
    printRow(row.label, lanes, runtimes, (i) => medians[i]!, { digits: 3, n: count });
  }
  const total = table.reduce((sum, entry) => sum + entry.count + counts.warmUp, 0);
  const memoryRow = (label: string, pick: (i: number) => number, n?: number) =>
    printRow(label, lanes, runtimes, (i) => pick(i) / 1024, { digits: 1, ...(n ? { n } : {}) });
  memoryRow("RSS idle, 1 s after init (MiB)", (i) => memory[i]!.idle);
  memoryRow("RSS 1 s after that load (MiB)", (i) => memory[i]!.after, total);
  memoryRow("peak RSS, VmHWM (MiB)", (i) => memory[i]!.peak);
  const coldLanes = lanes.filter((lane) => lane.runtime === runtimes[0]);
  printRow(
    `cold start, spawn → first /next (ms, ${runtimes[0]})`,
    coldLanes,
    [runtimes[0]!],
    (i) => cold[i]!,
    { digits: 1, n: coldRuns },
  );
}

if (import.meta.main) {
  await prepareAdapter();
  await main();
}
