import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "./config.ts";

const BASE = { AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001" };

function load(env: Record<string, string>) {
  return loadConfig({ ...BASE, ...env });
}

function problemsOf(env: Record<string, string>) {
  try {
    load(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail(`expected a ConfigError for ${JSON.stringify(env)}`);
}

Deno.test("loadConfig() applies LWA's defaults", () => {
  const { config, warnings } = load({});
  assert.deepEqual(warnings, []);
  assert.equal(config.appHost, "127.0.0.1");
  assert.equal(config.appPort, 8080);
  assert.deepEqual(config.readiness, {
    port: 8080,
    path: "/",
    protocol: "http",
    healthyStatus: [[100, 499]],
  });
  assert.equal(config.asyncInit, false);
  assert.equal(config.removeBasePath, undefined);
  assert.equal(config.enableCompression, false);
  assert.equal(config.invokeMode, "buffered");
  assert.equal(config.passThroughPath, "/events");
  assert.equal(config.authorizationSource, undefined);
  assert.equal(config.errorStatusCodes, undefined);
  assert.deepEqual(config.runtimeApi, { hostname: "127.0.0.1", port: 9001, basePath: "" });
  assert.deepEqual(config.extensionApi, config.runtimeApi);
  assert.equal(config.maxConcurrency, 1);
  assert.equal(config.snapStart, false);
  assert.equal(config.logLevel, "info");
  assert.equal(config.logFormat, "text");
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.readiness));
});

Deno.test("loadConfig() reads every AWS_LWA_ setting", () => {
  const { config } = load({
    AWS_LWA_PORT: "3000",
    AWS_LWA_HOST: "localhost",
    AWS_LWA_READINESS_CHECK_PORT: "3001",
    AWS_LWA_READINESS_CHECK_PATH: "/healthz",
    AWS_LWA_READINESS_CHECK_PROTOCOL: "TCP",
    AWS_LWA_READINESS_CHECK_HEALTHY_STATUS: "200-399,404",
    AWS_LWA_ASYNC_INIT: "true",
    AWS_LWA_REMOVE_BASE_PATH: "/prod/",
    AWS_LWA_ENABLE_COMPRESSION: "true",
    AWS_LWA_INVOKE_MODE: "RESPONSE_STREAM",
    AWS_LWA_PASS_THROUGH_PATH: "/sqs",
    AWS_LWA_AUTHORIZATION_SOURCE: "X-Auth-Token",
    AWS_LWA_ERROR_STATUS_CODES: "500,502-504",
    AWS_LWA_LAMBDA_RUNTIME_API_PROXY: "http://127.0.0.1:9002",
    AWS_LAMBDA_MAX_CONCURRENCY: "8",
    AWS_LAMBDA_LOG_LEVEL: "DEBUG",
    AWS_LAMBDA_LOG_FORMAT: "JSON",
    AWS_LAMBDA_FUNCTION_NAME: "fn",
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512",
    AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/fn",
    AWS_LAMBDA_LOG_STREAM_NAME: "stream",
    AWS_LAMBDA_INITIALIZATION_TYPE: "snap-start",
  });
  assert.equal(config.appPort, 3000);
  assert.equal(config.appHost, "127.0.0.1");
  assert.deepEqual(config.readiness, {
    port: 3001,
    path: "/healthz",
    protocol: "tcp",
    healthyStatus: [[200, 399], [404, 404]],
  });
  assert.equal(config.asyncInit, true);
  assert.equal(config.removeBasePath, "/prod");
  assert.equal(config.enableCompression, true);
  assert.equal(config.invokeMode, "response_stream");
  assert.equal(config.passThroughPath, "/sqs");
  assert.equal(config.authorizationSource, "x-auth-token");
  assert.deepEqual(config.errorStatusCodes, [[500, 500], [502, 504]]);
  assert.deepEqual(config.runtimeApi, { hostname: "127.0.0.1", port: 9002, basePath: "" });
  assert.deepEqual(config.extensionApi, { hostname: "127.0.0.1", port: 9001, basePath: "" });
  assert.equal(config.maxConcurrency, 8);
  assert.equal(config.logLevel, "debug");
  assert.equal(config.logFormat, "json");
  assert.equal(config.snapStart, true);
  assert.deepEqual(config.lambda, {
    functionName: "fn",
    functionVersion: "$LATEST",
    memoryMb: 512,
    logGroup: "/aws/lambda/fn",
    logStream: "stream",
  });
});

Deno.test("loadConfig() falls back to PORT silently and to deprecated names with a warning", () => {
  const { config, warnings } = load({
    PORT: "4000",
    HOST: "0.0.0.0",
    READINESS_CHECK_PORT: "4001",
    READINESS_CHECK_PATH: "/ready",
    READINESS_CHECK_PROTOCOL: "tcp",
    REMOVE_BASE_PATH: "/stage",
    ASYNC_INIT: "true",
  });
  assert.equal(config.appPort, 4000);
  assert.equal(config.appHost, "127.0.0.1");
  assert.equal(config.readiness.port, 4001);
  assert.equal(config.readiness.path, "/ready");
  assert.equal(config.readiness.protocol, "tcp");
  assert.equal(config.removeBasePath, "/stage");
  assert.equal(config.asyncInit, true);
  const deprecated = warnings.filter((line) => line.includes("is deprecated"));
  assert.equal(deprecated.length, 6);
  assert.ok(warnings.some((line) => line.includes("'HOST'") && line.includes("AWS_LWA_HOST")));
  assert.ok(!warnings.some((line) => line.includes("'PORT'")));
});

Deno.test("loadConfig() lets the new name win over the deprecated one, without a warning", () => {
  const { config, warnings } = load({
    PORT: "4000",
    AWS_LWA_PORT: "5000",
    ASYNC_INIT: "false",
    AWS_LWA_ASYNC_INIT: "true",
  });
  assert.equal(config.appPort, 5000);
  assert.equal(config.asyncInit, true);
  assert.deepEqual(warnings, []);
});

Deno.test("loadConfig() treats an empty value as unset", () => {
  const { config } = load({
    AWS_LWA_PORT: "",
    AWS_LWA_INVOKE_MODE: "",
    AWS_LWA_ERROR_STATUS_CODES: "",
  });
  assert.equal(config.appPort, 8080);
  assert.equal(config.invokeMode, "buffered");
  assert.equal(config.errorStatusCodes, undefined);
});

Deno.test("loadConfig() honours the removed MIN_UNHEALTHY_STATUS with a warning", () => {
  const { config, warnings } = load({ AWS_LWA_READINESS_CHECK_MIN_UNHEALTHY_STATUS: "400" });
  assert.deepEqual(config.readiness.healthyStatus, [[100, 399]]);
  assert.match(warnings.join("\n"), /HEALTHY_STATUS=100-399/);
});

Deno.test("loadConfig() rejects every unreadable value, naming variable and value", async (t) => {
  const cases: [Record<string, string>, string][] = [
    [{ AWS_LWA_PORT: "80a" }, "AWS_LWA_PORT"],
    [{ AWS_LWA_PORT: "70000" }, "AWS_LWA_PORT"],
    [{ PORT: "http" }, "PORT"],
    [{ AWS_LWA_READINESS_CHECK_PORT: "0" }, "AWS_LWA_READINESS_CHECK_PORT"],
    [{ AWS_LWA_READINESS_CHECK_PATH: "health" }, "AWS_LWA_READINESS_CHECK_PATH"],
    [{ AWS_LWA_READINESS_CHECK_PROTOCOL: "grpc" }, "AWS_LWA_READINESS_CHECK_PROTOCOL"],
    [
      { AWS_LWA_READINESS_CHECK_HEALTHY_STATUS: "200 to 399" },
      "AWS_LWA_READINESS_CHECK_HEALTHY_STATUS",
    ],
    [{ AWS_LWA_ASYNC_INIT: "sometimes" }, "AWS_LWA_ASYNC_INIT"],
    [{ AWS_LWA_ENABLE_COMPRESSION: "gzip" }, "AWS_LWA_ENABLE_COMPRESSION"],
    [{ AWS_LWA_INVOKE_MODE: "streaming" }, "AWS_LWA_INVOKE_MODE"],
    [{ AWS_LWA_REMOVE_BASE_PATH: "prod" }, "AWS_LWA_REMOVE_BASE_PATH"],
    [{ AWS_LWA_AUTHORIZATION_SOURCE: "x auth" }, "AWS_LWA_AUTHORIZATION_SOURCE"],
    [{ AWS_LWA_ERROR_STATUS_CODES: "5xx" }, "AWS_LWA_ERROR_STATUS_CODES"],
    [{ AWS_LWA_HOST: "10.0.0.5" }, "AWS_LWA_HOST"],
    [{ AWS_LAMBDA_MAX_CONCURRENCY: "many" }, "AWS_LAMBDA_MAX_CONCURRENCY"],
    [{ AWS_LAMBDA_MAX_CONCURRENCY: "0" }, "AWS_LAMBDA_MAX_CONCURRENCY"],
    [{ AWS_LAMBDA_LOG_LEVEL: "chatty" }, "AWS_LAMBDA_LOG_LEVEL"],
    [{ AWS_LAMBDA_LOG_FORMAT: "xml" }, "AWS_LAMBDA_LOG_FORMAT"],
    [{ AWS_LWA_LAMBDA_RUNTIME_API_PROXY: "https://proxy:1" }, "AWS_LWA_LAMBDA_RUNTIME_API_PROXY"],
    [{ AWS_LAMBDA_RUNTIME_API: "not a host" }, "AWS_LAMBDA_RUNTIME_API"],
  ];
  for (const [env, variable] of cases) {
    await t.step(`${variable}=${Object.values(env)[0]}`, () => {
      const problems = problemsOf(env);
      assert.equal(problems.length, 1);
      assert.equal(problems[0]!.variable, variable);
      assert.equal(problems[0]!.value, Object.values(env)[0]);
    });
  }
});

Deno.test("loadConfig() reports every problem at once and requires the Runtime API", () => {
  let caught: unknown;
  try {
    loadConfig({ AWS_LWA_PORT: "x", AWS_LWA_INVOKE_MODE: "fast" });
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ConfigError);
  assert.deepEqual(caught.problems.map((p) => p.variable), [
    "AWS_LWA_PORT",
    "AWS_LWA_INVOKE_MODE",
    "AWS_LAMBDA_RUNTIME_API",
  ]);
  assert.match(caught.message, /Invalid AWS_LWA_PORT="x": expected a port number/);
});

Deno.test("loadConfig() ignores a non-loopback HOST meant for the app, with a warning", () => {
  const { config, warnings } = load({ HOST: "example.com" });
  assert.equal(config.appHost, "127.0.0.1");
  assert.match(warnings.join("\n"), /Ignoring HOST="example.com"/);
});

Deno.test("loadConfig() reads a bare RUST_LOG level and ignores directives", () => {
  assert.equal(load({ RUST_LOG: "debug" }).config.logLevel, "debug");
  const { config, warnings } = load({ RUST_LOG: "lambda_web_adapter=debug" });
  assert.equal(config.logLevel, "info");
  assert.match(warnings.join("\n"), /RUST_LOG/);
  assert.equal(
    load({ AWS_LWA_LOG_LEVEL: "error", AWS_LAMBDA_LOG_LEVEL: "debug" }).config.logLevel,
    "error",
  );
});
