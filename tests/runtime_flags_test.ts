/**
 * The adapter runs with the same permissions and V8 flags wherever it runs: the compiled binary
 * (scripts/compile.ts and the Dockerfile), `deno task start`, the bundle and arm64 tests, and
 * the benchmarks (issue 10: what is measured is what users run).
 */

import assert from "node:assert/strict";
import denoConfig from "../deno.json" with { type: "json" };
import { PERMISSIONS, V8_FLAGS } from "../scripts/runtime_flags.ts";
import { adapterCommand } from "./harness.ts";

const ROOT = new URL("../", import.meta.url);

function flagsIn(command: string): string[] {
  return command.split(/\s+/).filter((word) =>
    word.startsWith("--allow-") || word.startsWith("--v8-flags")
  );
}

Deno.test("deno task start runs the adapter with the binary's permissions and V8 flags", () => {
  assert.deepEqual(flagsIn(denoConfig.tasks.start).sort(), [...PERMISSIONS, ...V8_FLAGS].sort());
});

Deno.test("the Dockerfile compiles with the same permissions and V8 flags", () => {
  const dockerfile = Deno.readTextFileSync(new URL("Dockerfile", ROOT));
  const compile = dockerfile.slice(dockerfile.indexOf("deno compile")).split("--target")[0]!;
  assert.deepEqual(
    flagsIn(compile.replaceAll("\\", " ")).sort(),
    [...PERMISSIONS, ...V8_FLAGS].sort(),
  );
});

Deno.test("the test harness runs the adapter with the same permissions and V8 flags", () => {
  if (Deno.env.get("LAMBDA_ADAPTER_BIN") || Deno.env.get("LAMBDA_ADAPTER_CMD")) return;
  for (const flag of [...PERMISSIONS, ...V8_FLAGS]) {
    assert.ok(adapterCommand().includes(flag), flag);
  }
});

Deno.test("the compile script bakes the same permissions and V8 flags into the binary", () => {
  const script = Deno.readTextFileSync(new URL("scripts/compile.ts", ROOT));
  assert.match(script, /\.\.\.PERMISSIONS/);
  assert.match(script, /\.\.\.V8_FLAGS/);
});
