import assert from "node:assert/strict";
import {
  createLogger,
  LOG_FIELD_LIMIT,
  LOG_MESSAGE_LIMIT,
  parseLogFormat,
  parseLogLevel,
} from "./log.ts";

function capture(options: Parameters<typeof createLogger>[0] = {}) {
  const lines: string[] = [];
  const log = createLogger({ ...options, write: (line) => lines.push(line) });
  return { log, lines };
}

Deno.test("createLogger() filters by level", () => {
  const { log, lines } = capture({ level: "warn" });
  log.debug("hidden");
  log.info("hidden");
  log.warn("shown");
  log.error("shown too");
  assert.deepEqual(lines, ["WARN shown", "ERROR shown too"]);
  assert.equal(log.enabled("info"), false);
  assert.equal(log.enabled("error"), true);
});

Deno.test("createLogger() writes text lines with key=value fields", () => {
  const { log, lines } = capture();
  log.with({ requestId: "abc" }).info("app is ready", {
    url: "http://x/",
    reason: "status 503",
    n: 3,
  });
  assert.deepEqual(lines, [
    'INFO app is ready requestId=abc url=http://x/ reason="status 503" n=3',
  ]);
});

Deno.test("createLogger() writes Lambda's JSON log shape", () => {
  const now = () => new Date("2026-11-25T12:00:00.000Z");
  const { log, lines } = capture({ format: "json", now });
  log.with({ requestId: "r-1" }).error("invocation failed", { errorType: "X" });
  assert.deepEqual(JSON.parse(lines[0]!), {
    timestamp: "2026-11-25T12:00:00.000Z",
    level: "ERROR",
    message: "invocation failed",
    requestId: "r-1",
    errorType: "X",
  });
});

Deno.test("parseLogLevel() and parseLogFormat() accept Lambda's spellings", () => {
  assert.equal(parseLogLevel("DEBUG"), "debug");
  assert.equal(parseLogLevel("FATAL"), "error");
  assert.equal(parseLogLevel("Warn"), "warn");
  assert.throws(() => parseLogLevel("verbose"), SyntaxError);
  assert.equal(parseLogFormat("JSON"), "json");
  assert.equal(parseLogFormat("Text"), "text");
  assert.throws(() => parseLogFormat("yaml"), SyntaxError);
});

Deno.test("createLogger() caps attacker-sized messages and fields, saying how much was cut", () => {
  const huge = "x-€💳".repeat(100_000);
  for (const format of ["text", "json"] as const) {
    const { log, lines } = capture({ format });
    log.error(huge, { errorMessage: huge, nested: { name: huge } });
    assert.equal(lines.length, 1);
    const size = new TextEncoder().encode(lines[0]!).length;
    assert.ok(size < LOG_MESSAGE_LIMIT + 2 * LOG_FIELD_LIMIT + 500, `${format}: ${size} bytes`);
    assert.match(lines[0]!, /more bytes cut\]/);
    if (format === "json") assert.doesNotThrow(() => JSON.parse(lines[0]!));
  }
});
