import assert from "node:assert/strict";
import { formatBytes, formatTable } from "./invoke_table.ts";

Deno.test("formatTable() aligns columns and counts what failed", () => {
  const lines = formatTable([
    { file: "a.json", source: "alb", status: "200", durationMs: 12.4, bytes: 345, failed: false },
    {
      file: "sub/\u{1F600}.json",
      source: "rest-api",
      status: "Runtime.ExitError",
      durationMs: 1500,
      bytes: 2048,
      failed: true,
    },
  ]);
  assert.deepEqual(lines, [
    "FILE        SOURCE    STATUS             DURATION     SIZE",
    "a.json      alb       200                   12 ms    345 B",
    "sub/\u{1F600}.json  rest-api  Runtime.ExitError   1500 ms  2.0 KiB",
    "2 events, 1 failed: Runtime.ExitError",
  ]);
  assert.equal(formatTable([])[1], "0 events, all answered");
});

Deno.test("formatBytes() picks a readable unit", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(1536), "1.5 KiB");
  assert.equal(formatBytes(5 * 1024 * 1024), "5.0 MiB");
});
