import assert from "node:assert/strict";
import { endLine, reportLine, startLine, timeoutLine } from "./lambda_log.ts";

Deno.test("lambda_log formats START, END and the timeout line like Lambda", () => {
  assert.equal(startLine("id-1", "$LATEST"), "START RequestId: id-1 Version: $LATEST");
  assert.equal(endLine("id-1"), "END RequestId: id-1");
  assert.equal(timeoutLine("id-1", 3000), "id-1 Task timed out after 3.00 seconds");
  assert.equal(timeoutLine("id-1", 250), "id-1 Task timed out after 0.25 seconds");
});

Deno.test("reportLine() writes Lambda's fields in Lambda's order, tab-separated", () => {
  assert.equal(
    reportLine({ requestId: "id-1", durationMs: 3.214, memoryMb: 128, maxMemoryUsedMb: 71 }),
    "REPORT RequestId: id-1\tDuration: 3.21 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\t" +
      "Max Memory Used: 71 MB\t",
  );
  // The first invocation bills its init too (Lambda, since August 2025).
  assert.equal(
    reportLine({
      requestId: "id-2",
      durationMs: 395.99,
      memoryMb: 512,
      maxMemoryUsedMb: 301,
      initDurationMs: 265.72,
    }),
    "REPORT RequestId: id-2\tDuration: 395.99 ms\tBilled Duration: 662 ms\tMemory Size: 512 MB\t" +
      "Max Memory Used: 301 MB\tInit Duration: 265.72 ms\t",
  );
  assert.equal(
    reportLine({ requestId: "id-3", durationMs: 0.2, memoryMb: 256 }),
    "REPORT RequestId: id-3\tDuration: 0.20 ms\tBilled Duration: 1 ms\tMemory Size: 256 MB\t",
  );
});

Deno.test("reportLine() ends a failed invocation's line with its status", () => {
  assert.equal(
    reportLine({
      requestId: "id-4",
      durationMs: 812.4,
      memoryMb: 256,
      maxMemoryUsedMb: 257,
      status: "error",
      errorType: "Runtime.OutOfMemory",
    }),
    "REPORT RequestId: id-4\tDuration: 812.40 ms\tBilled Duration: 813 ms\tMemory Size: 256 MB\t" +
      "Max Memory Used: 257 MB\tStatus: error\tError Type: Runtime.OutOfMemory",
  );
  assert.match(
    reportLine({ requestId: "id-5", durationMs: 3000, memoryMb: 128, status: "timeout" }),
    /Memory Size: 128 MB\tStatus: timeout$/,
  );
});
