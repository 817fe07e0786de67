/**
 * The layout rules `docs/architecture.md` states, checked on the source tree: `src/` holds one
 * folder per part and `main.ts`; a part imports only from the parts below it; product code never
 * imports test code; files stay small.
 *
 * @module
 */

import assert from "node:assert/strict";
import { dirname, relative, resolve } from "node:path";

const SRC = new URL("../src/", import.meta.url).pathname;

/** The parts, lowest first: each may import from those before it, never from those after. */
const LAYERS = ["util", "http", "lambda", "events", "config", "adapter", "emulator", "cli"];
const MAX_LINES = 300;

function sourceFiles(dir = SRC): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = `${dir}${entry.name}`;
    if (entry.isDirectory) files.push(...sourceFiles(`${path}/`));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files.sort();
}

function importsOf(file: string): string[] {
  const text = Deno.readTextFileSync(file);
  const specifiers = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*"([^"]+)"/g),
    ...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g),
  ].map((match) => match[1]!);
  return specifiers.filter((spec) => spec.startsWith("."));
}

function partOf(path: string): string | undefined {
  const rel = relative(SRC, path);
  if (rel.startsWith("..")) return undefined;
  return rel.includes("/") ? rel.split("/")[0] : "main.ts";
}

Deno.test("src/ holds main.ts and one folder per part", () => {
  const entries = [...Deno.readDirSync(SRC)];
  const files = entries.filter((entry) => entry.isFile).map((entry) => entry.name);
  const folders = entries.filter((entry) => entry.isDirectory).map((entry) => entry.name).sort();
  assert.deepEqual(files, ["main.ts"]);
  assert.deepEqual(folders, [...LAYERS].sort());
});

Deno.test("parts import only from the parts below them", () => {
  const problems: string[] = [];
  for (const file of sourceFiles()) {
    const from = partOf(file)!;
    const isTest = file.endsWith("_test.ts");
    for (const spec of importsOf(file)) {
      const target = resolve(dirname(file), spec);
      const to = partOf(target);
      const where = `${relative(SRC, file)} imports ${spec}`;
      if (to === undefined) {
        // Outside src/: tests may use tests/, product code only deno.json.
        if (!isTest && !target.endsWith("/deno.json")) problems.push(`${where} (outside src/)`);
        continue;
      }
      if (from === "main.ts" || to === from) continue;
      if (to === "main.ts") {
        problems.push(`${where} (main.ts is the top)`);
        continue;
      }
      if (LAYERS.indexOf(to) > LAYERS.indexOf(from)) {
        problems.push(`${where} (${from} sits below ${to})`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test(`source files stay under ${MAX_LINES} lines`, () => {
  const long = sourceFiles()
    .map((file) => [relative(SRC, file), Deno.readTextFileSync(file).split("\n").length] as const)
    .filter(([, lines]) => lines > MAX_LINES);
  assert.deepEqual(long, []);
});
