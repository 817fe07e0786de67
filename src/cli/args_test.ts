import assert from "node:assert/strict";
import { HELP, parseEmulateArgs, parseInvokeArgs } from "./args.ts";
import { EVENT_SOURCES } from "./event_shapes.ts";

Deno.test("parseEmulateArgs() reads options, then the app's command after --", () => {
  const args = parseEmulateArgs(
    [
      "--port",
      "9100",
      "--event-source=alb",
      "--timeout",
      "10",
      "--",
      "node",
      "index.js",
      "--port",
      "1",
    ],
    {},
    "/work/my-app",
  );
  assert.deepEqual(args, {
    command: ["node", "index.js", "--port", "1"],
    port: 9100,
    host: "127.0.0.1",
    eventSource: "alb",
    timeoutMs: 10_000,
    memoryMb: 128,
    enforceMemory: false,
    envFiles: [],
    concurrency: 1,
    functionName: "my-app",
    region: "us-east-1",
    handler: "run.sh",
    inspect: undefined,
    inspectShowSecrets: false,
  });
});

Deno.test("parseEmulateArgs() takes Lambda's defaults from the environment", () => {
  const args = parseEmulateArgs(["--", "app"], {
    AWS_LAMBDA_FUNCTION_TIMEOUT: "30",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "1024",
    AWS_LAMBDA_MAX_CONCURRENCY: "4",
    AWS_LAMBDA_FUNCTION_NAME: "fn",
    AWS_REGION: "eu-west-1",
  }, "/");
  assert.equal(args.timeoutMs, 30_000);
  assert.equal(args.memoryMb, 1024);
  assert.equal(args.concurrency, 4);
  assert.equal(args.functionName, "fn");
  assert.equal(args.region, "eu-west-1");
});

Deno.test("parseEmulateArgs() explains what is wrong", () => {
  assert.throws(() => parseEmulateArgs([], {}, "/"), /after --/);
  assert.throws(
    () => parseEmulateArgs(["--bogus", "1", "--", "x"], {}, "/"),
    /unknown option --bogus/,
  );
  assert.throws(() => parseEmulateArgs(["--port"], {}, "/"), /--port needs a value/);
  assert.throws(
    () => parseEmulateArgs(["--event-source", "sqs", "--", "x"], {}, "/"),
    /must be one of/,
  );
  assert.throws(
    () => parseEmulateArgs(["--timeout", "soon", "--", "x"], {}, "/"),
    /--timeout must be/,
  );
});

Deno.test("parseEmulateArgs() reads flags and repeated options", () => {
  const args = parseEmulateArgs(
    ["--env-file", ".env", "--enforce-memory", "--env-file=.env.local", "--memory=256", "--", "x"],
    {},
    "/",
  );
  assert.deepEqual(args.envFiles, [".env", ".env.local"]);
  assert.equal(args.enforceMemory, true);
  assert.equal(args.memoryMb, 256);
  assert.throws(
    () => parseEmulateArgs(["--enforce-memory=yes", "--", "x"], {}, "/"),
    /unknown option --enforce-memory=yes/,
  );
});

Deno.test("parseEmulateArgs() reads --inspect with or without a port", () => {
  const on = parseEmulateArgs(["--inspect", "--", "x"], {}, "/");
  assert.equal(on.inspect, 9001);
  assert.equal(on.inspectShowSecrets, false);
  const port = parseEmulateArgs(["--inspect=9100", "--inspect-show-secrets", "--", "x"], {}, "/");
  assert.equal(port.inspect, 9100);
  assert.equal(port.inspectShowSecrets, true);
  assert.equal(parseEmulateArgs(["--inspect=0", "--", "x"], {}, "/").inspect, 0);
  assert.throws(
    () => parseEmulateArgs(["--inspect", "9100", "--", "x"], {}, "/"),
    /unknown option 9100/,
  );
});

Deno.test("parseInvokeArgs() reads event files, folders and the front door URL", () => {
  assert.deepEqual(parseInvokeArgs(["--event", "e.json"]), {
    events: ["e.json"],
    url: "http://127.0.0.1:9000",
  });
  assert.deepEqual(parseInvokeArgs(["--url=http://localhost:9100"]), {
    events: [],
    url: "http://localhost:9100",
  });
  assert.deepEqual(parseInvokeArgs(["a.json", "--event=b.json", "events/", "--url", "u"]), {
    events: ["a.json", "b.json", "events/"],
    url: "u",
  });
  assert.throws(() => parseInvokeArgs(["--events", "x"]), /unknown option --events/);
  assert.throws(() => parseInvokeArgs(["--url"]), /--url needs a value/);
});

Deno.test("HELP explains every option and event source", () => {
  for (
    const option of [
      "--port",
      "--host",
      "--event-source",
      "--timeout",
      "--memory",
      "--concurrency",
      "--function-name",
      "--region",
      "--handler",
      "--enforce-memory",
      "--env-file",
      "--inspect",
      "--inspect-show-secrets",
      "--event",
      "--url",
    ]
  ) {
    assert.ok(HELP.includes(option), option);
  }
  for (const source of EVENT_SOURCES) assert.ok(HELP.includes(source), source);
});
