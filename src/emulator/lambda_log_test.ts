import assert from "node:assert/strict";
import { endLine, reportLine, startLine, timeoutLine } from "./lambda_log.ts";

Deno.test("lambda_log formats START, END and the timeout line like Lambda", () => {
  assert.equal(startLine("id-1", "$LATEST"), "START RequestId: id-1 Version: $LATEST");
  assert.equal(endLine("id-1"), "END RequestId: id-1");
  assert.equal(timeoutLine("id-1", 3000), "id-1 Task timed out after 3.00 seconds");
  assert.equal(timeoutLine("id-1", 250), "id-1 Task timed out after 0.25 seconds");
});

Deno.test("reportLine() rounds the billed duration up and adds Init Duration when given", () => {
  assert.equal(
    reportLine("id-1", 3.214, 128),
    "REPORT RequestId: id-1\tDuration: 3.21 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB",
  );
  assert.match(
    reportLine("id-1", 0.2, 256, 145.7),
    /Billed Duration: 1 ms\t.*Init Duration: 145\.70 ms$/,
  );
});
