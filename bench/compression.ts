// deno-lint-ignore-file no-console -- a benchmark script prints its report
/**
 * Compression levels, measured: MB/s and output size for gzip levels 1-9 and brotli qualities
 * 0-11 on real JSON (the project's Lambda event fixtures) and real text as HTML (the README and
 * sources, each once). Also the web `CompressionStream` (no level setting) for comparison.
 *
 * Run: deno run -A bench/compression.ts   (part of `deno task bench`)
 *
 * @module
 */

import * as zlib from "node:zlib";
import { allEventNames, loadEvent } from "../tests/fixtures.ts";
import { median } from "./stats.ts";

/** Real JSON: every Lambda event fixture of the project in one array (about 500 KB). */
function jsonBody(): Uint8Array {
  const events = allEventNames().map((name) => loadEvent(name));
  return new TextEncoder().encode(JSON.stringify({ events, count: events.length }));
}

/** Real prose and code as an HTML page: the README and every source file once (no repeats). */
function htmlBody(): Uint8Array {
  const root = new URL("../", import.meta.url);
  const files = ["README.md"];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(new URL(dir, root))) {
      if (entry.isDirectory && entry.name !== "fixtures" && entry.name !== "node_modules") {
        walk(`${dir}${entry.name}/`);
      } else if (entry.isFile && /\.(ts|js|md)$/.test(entry.name)) {
        files.push(`${dir}${entry.name}`);
      }
    }
  };
  walk("src/");
  walk("tests/");
  const escape = (text: string) =>
    text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  let html = "<!doctype html><html><head><title>lambda-adapter</title></head><body><main>";
  for (const file of files.sort()) {
    const text = Deno.readTextFileSync(new URL(file, root));
    html += `<article><h2>${file}</h2>` +
      text.split("\n\n").map((block) => `<p class="block">${escape(block)}</p>`).join("\n") +
      "</article>\n";
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

const bodies: [string, Uint8Array][] = [["JSON", jsonBody()], ["HTML", htmlBody()]];

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
