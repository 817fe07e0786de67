import assert from "node:assert/strict";
import { answerFor } from "./answers.ts";
import { exitFailure, exitStatusText, initErrorFailure } from "./failures.ts";

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const text = (body: Uint8Array) => decoder.decode(body);
const REQUEST_ID = "6bc28136-e9c6-4c6f-9a5b-0c5d1c2f0a11";
const code = (n: number): Deno.CommandStatus => ({ success: n === 0, code: n, signal: null });

Deno.test("an app that exited: Runtime.ExitError on the RIE path, the front end's 502 elsewhere", () => {
  const failure = exitFailure({ process: "app", status: code(3) }, REQUEST_ID, ["[app] oops"]);
  const rie = answerFor(failure, "function-url", true, "12 ms");
  assert.equal(rie.response.status, 200);
  assert.deepEqual(rie.response.headers, [
    ["x-amz-function-error", "Unhandled"],
    ["content-type", "application/json"],
  ]);
  assert.deepEqual(JSON.parse(text(rie.response.body)), {
    errorType: "Runtime.ExitError",
    errorMessage: `RequestId: ${REQUEST_ID} Error: Runtime exited with error: exit status 3`,
  });
  assert.deepEqual(rie.log, [
    "Runtime.ExitError in 12 ms: the app exited with code 3",
    "  its last lines of output:",
    "    [app] oops",
  ]);
  const door = answerFor(failure, "rest-api", false, "12 ms");
  assert.equal(door.response.status, 502);
  assert.equal(text(door.response.body), '{"message":"Internal Server Error"}');
});

Deno.test("an adapter that exited is an extension crash; a signal is worded as Go words it", () => {
  const killed: Deno.CommandStatus = { success: false, code: 137, signal: "SIGKILL" };
  assert.equal(exitStatusText(killed), "signal: killed");
  const failure = exitFailure({ process: "adapter", status: code(1) }, REQUEST_ID, []);
  assert.equal(failure.errorType, "Extension.Crash");
  assert.equal(failure.reason, "the adapter exited with code 1");
  assert.deepEqual(answerFor(failure, "alb", true, "1 ms").log, [
    "Extension.Crash in 1 ms: the adapter exited with code 1",
  ]);
});

Deno.test("a posted init error answers the invocation with the runtime's own error", () => {
  const posted = JSON.stringify({
    errorType: "LambdaAdapter.InvalidConfig",
    errorMessage: "bad ✓ 🚀",
  });
  const failure = initErrorFailure("LambdaAdapter.InvalidConfig", posted, REQUEST_ID, []);
  const rie = answerFor(failure, "function-url", true, "3 ms");
  assert.deepEqual(JSON.parse(text(rie.response.body)), JSON.parse(posted));
});

Deno.test("a timeout answers as AWS's emulator does: 200, plain text, Lambda's words", () => {
  for (const during of ["init", "invoke"] as const) {
    const timeout = {
      kind: "timeout",
      requestId: REQUEST_ID,
      timeoutMs: 2000,
      during,
      tail: [],
    } as const;
    const rie = answerFor(timeout, "function-url", true, "2001 ms");
    assert.equal(rie.response.status, 200);
    assert.equal(text(rie.response.body), "Task timed out after 2.00 seconds");
    assert.deepEqual(rie.response.headers, [
      ["x-amz-function-error", "Unhandled"],
      ["content-type", "text/plain; charset=utf-8"],
    ]);
    const door = answerFor(timeout, "alb", false, "2001 ms");
    assert.equal(door.response.status, 502);
    assert.match(door.log[0]!, /^Task timed out after /);
  }
});

Deno.test("results pass through the RIE path raw and through the front door reshaped", () => {
  const body = encoder.encode('{"statusCode":201,"body":"made"}');
  const response = {
    kind: "response",
    requestId: REQUEST_ID,
    body,
    headers: new Headers(),
  } as const;
  const timing = { queuedAt: 0, handedOutAt: 0, completedAt: 0 };
  const rie = answerFor({ ...response, timing }, "function-url", true, "5 ms");
  assert.deepEqual(rie.response.body, body);
  assert.deepEqual(rie.log, ["result of 32 bytes in 5 ms"]);
  const door = answerFor({ ...response, timing }, "function-url", false, "5 ms");
  assert.equal(door.response.status, 201);
  assert.equal(text(door.response.body), "made");
  assert.deepEqual(door.log, ["201 in 5 ms, 4 bytes"]);

  const stopped = answerFor({ kind: "stopped" }, "function-url", true, "5 ms");
  assert.equal(stopped.response.status, 503);
});
