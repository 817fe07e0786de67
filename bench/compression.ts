// deno-lint-ignore-file no-console -- a benchmark script prints its report
/**
 * Compression levels, measured: MB/s and output size for gzip levels 1-9 and brotli qualities
 * 0-11 on a JSON API answer and an HTML page (both about 1 MB, generated from a word list with a
 * fixed seed, so they are as repetitive as real text, not more). Also the web
 * `CompressionStream` (no level setting) for comparison.
 *
 * Run: deno run -A bench/compression.ts   (part of `deno task bench`)
 *
 * @module
 */

import * as zlib from "node:zlib";
import { Random } from "../tests/random.ts";
import { median } from "./stats.ts";

const WORDS = (
  "lambda adapter request response stream header body cookie token user order item price " +
  "total status created updated deleted region account function invoke event source queue " +
  "message record batch failure retry timeout deadline memory duration cold warm start"
).split(" ");

function jsonBody(random: Random): Uint8Array {
  const items = [];
  for (let i = 0; items.length < 4000; i++) {
    items.push({
      id: `${random.int(1e9)}-${i}`,
      name: `${random.pick(WORDS)} ${random.pick(WORDS)}`,
      price: Math.round(random.next() * 100000) / 100,
      tags: [random.pick(WORDS), random.pick(WORDS)],
      createdAt: new Date(1.7e12 + random.int(1e10)).toISOString(),
      active: random.next() > 0.5,
    });
  }
  return new TextEncoder().encode(JSON.stringify({ items, count: items.length }));
}

function htmlBody(random: Random): Uint8Array {
  let html = "<!doctype html><html><head><title>Report</title></head><body><main>";
  while (html.length < 1_000_000) {
    const words = Array.from({ length: 12 + random.int(40) }, () => random.pick(WORDS)).join(" ");
    html += `<section class="card"><h2>${random.pick(WORDS)}</h2><p>${words}</p>` +
      `<a href="/items/${random.int(1e6)}">more</a></section>\n`;
  }
  return new TextEncoder().encode(html + "</main></body></html>");
}

function measure(compress: () => Uint8Array, bytes: number) {
  let output = compress();
  const times: number[] = [];
  const end = performance.now() + 600;
  while (performance.now() < end || times.length < 3) {
    const started = performance.now();
    output = compress();
    times.push(performance.now() - started);
  }
  const ms = median(times);
  return { mbps: bytes / 1e6 / (ms / 1000), ratio: output.byteLength / bytes };
}

async function webStream(body: Uint8Array, format: string): Promise<Uint8Array> {
  const stream = ReadableStream.from([body as BufferSource]).pipeThrough(
    new CompressionStream(format as CompressionFormat),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const random = new Random(7);
const bodies: [string, Uint8Array][] = [["JSON", jsonBody(random)], ["HTML", htmlBody(random)]];

console.log(`# Compression levels (${new Date().toISOString()}, deno ${Deno.version.deno})\n`);
console.log(
  `Bodies: ${bodies.map(([name, body]) => `${name} ${body.byteLength} bytes`).join(", ")}.\n`,
);
console.log("| algorithm | level | JSON MB/s | JSON size | HTML MB/s | HTML size |");
console.log("|---|---|---|---|---|---|");
const rows: [string, number, (body: Uint8Array) => Uint8Array][] = [];
for (let level = 1; level <= 9; level++) {
  rows.push(["gzip", level, (body) => zlib.gzipSync(body, { level })]);
}
for (let quality = 0; quality <= 11; quality++) {
  rows.push([
    "brotli",
    quality,
    (body) =>
      zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality } }),
  ]);
}
for (const [algorithm, level, compress] of rows) {
  const cells = bodies.map(([, body]) => measure(() => compress(body), body.byteLength));
  console.log(
    `| ${algorithm} | ${level} | ${
      cells.map((c) => `${c.mbps.toFixed(0)} | ${(c.ratio * 100).toFixed(1)}%`).join(" | ")
    } |`,
  );
}
for (const format of ["gzip", "brotli"]) {
  const cells = [];
  for (const [, body] of bodies) {
    const times: number[] = [];
    let size = 0;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      size = (await webStream(body, format)).byteLength;
      times.push(performance.now() - started);
    }
    cells.push(
      `${(body.byteLength / 1e6 / (median(times) / 1000)).toFixed(0)} | ${
        (size / body.byteLength * 100).toFixed(1)
      }%`,
    );
  }
  console.log(`| CompressionStream ${format} | - | ${cells.join(" | ")} |`);
}
