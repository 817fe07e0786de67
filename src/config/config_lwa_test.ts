/**
 * Every setting against LWA's parsing (lwa-behaviour.md §2; LWA 1.0 `src/lib.rs`): a value LWA
 * reads as what it says means the same here (with a warning where it is odd), a value LWA
 * silently ignores or misreads is refused, naming the variable and value. The `lwa` column says
 * what LWA does with the value; docs/differences-from-lwa.md has the same table.
 */

import assert from "node:assert/strict";
import { type AdapterConfig, ConfigError, loadConfig } from "./config.ts";

type Pick = (config: AdapterConfig) => unknown;

/** What a variable sets. */
const FIELD: Record<string, Pick> = {
  AWS_LWA_PORT: (c) => c.appPort,
  PORT: (c) => c.appPort,
  AWS_LWA_HOST: (c) => c.appHost,
  HOST: (c) => c.appHost,
  AWS_LWA_READINESS_CHECK_PORT: (c) => c.readiness.port,
  AWS_LWA_READINESS_CHECK_PATH: (c) => c.readiness.path,
  READINESS_CHECK_PATH: (c) => c.readiness.path,
  AWS_LWA_READINESS_CHECK_PROTOCOL: (c) => c.readiness.protocol,
  AWS_LWA_READINESS_CHECK_HEALTHY_STATUS: (c) => c.readiness.healthyStatus,
  AWS_LWA_READINESS_CHECK_MIN_UNHEALTHY_STATUS: (c) => c.readiness.healthyStatus,
  AWS_LWA_ASYNC_INIT: (c) => c.asyncInit,
  ASYNC_INIT: (c) => c.asyncInit,
  AWS_LWA_REMOVE_BASE_PATH: (c) => c.removeBasePath,
  REMOVE_BASE_PATH: (c) => c.removeBasePath,
  AWS_LWA_ENABLE_COMPRESSION: (c) => c.enableCompression,
  AWS_LWA_INVOKE_MODE: (c) => c.invokeMode,
  AWS_LWA_PASS_THROUGH_PATH: (c) => c.passThroughPath,
  AWS_LWA_AUTHORIZATION_SOURCE: (c) => c.authorizationSource,
  AWS_LWA_ERROR_STATUS_CODES: (c) => c.errorStatusCodes,
  AWS_LWA_LAMBDA_RUNTIME_API_PROXY: (c) => [c.runtimeApi.port, c.extensionApi.port],
  AWS_LAMBDA_MAX_CONCURRENCY: (c) => c.maxConcurrency,
  AWS_LAMBDA_INITIALIZATION_TYPE: (c) => c.snapStart,
  AWS_LAMBDA_LOG_LEVEL: (c) => c.logLevel,
  RUST_LOG: (c) => c.logLevel,
  AWS_LAMBDA_LOG_FORMAT: (c) => c.logFormat,
  AWS_LWA_WEBSOCKET_PATH_PREFIX: (c) => c.webSocketPathPrefix,
  AWS_LWA_BINARY_MEDIA_TYPES: (c) => c.binaryMediaTypes,
};

/** `[variable, value, what LWA does, what happens here]`; `warn` is a pattern of the warning. */
type Row = [
  variable: string,
  value: string,
  lwa: string,
  here: { is: unknown; warn?: RegExp } | { refused: RegExp },
];

const ROWS: Row[] = [
  ["AWS_LWA_PORT", "3000", "3000", { is: 3000 }],
  ["AWS_LWA_PORT", "03000", "3000 (URL port)", { is: 3000 }],
  ["AWS_LWA_PORT", "0", "port 0: every request fails", { refused: /port number/ }],
  ["AWS_LWA_PORT", "65536", "invalid URL, exit 1", { refused: /port number/ }],
  ["AWS_LWA_PORT", " 3000", "invalid readiness URL, exit 1", { refused: /port number/ }],
  ["AWS_LWA_PORT", "", "port 80 (empty is set)", { is: 8080 }],
  ["PORT", "4000", "4000, no warning", { is: 4000 }],
  ["PORT", "http", "invalid URL, exit 1", { refused: /port number/ }],
  ["AWS_LWA_HOST", "localhost", "localhost", { is: "127.0.0.1" }],
  ["AWS_LWA_HOST", "0.0.0.0", "0.0.0.0, which Linux routes to loopback", { is: "127.0.0.1" }],
  ["AWS_LWA_HOST", "[::1]", "::1", { is: "::1" }],
  ["AWS_LWA_HOST", "127.0.0.2", "127.0.0.2", { is: "127.0.0.2" }],
  ["AWS_LWA_HOST", "10.0.0.5", "connects to 10.0.0.5", { refused: /loopback/ }],
  ["AWS_LWA_HOST", "invalid host", "invalid URL, exit 1", { refused: /loopback/ }],
  ["HOST", "example.com", "connects to example.com, with a warning", {
    is: "127.0.0.1",
    warn: /Ignoring HOST/,
  }],
  ["AWS_LWA_READINESS_CHECK_PORT", "3001", "3001", { is: 3001 }],
  ["AWS_LWA_READINESS_CHECK_PORT", "x", "invalid URL, exit 1", { refused: /port number/ }],
  ["AWS_LWA_READINESS_CHECK_PATH", "/healthz", "/healthz", { is: "/healthz" }],
  ["AWS_LWA_READINESS_CHECK_PATH", "/ready?full=1", "/ready?full=1", { is: "/ready?full=1" }],
  ["AWS_LWA_READINESS_CHECK_PATH", "/a b", "/a%20b", { is: "/a%20b", warn: /read as \/a%20b/ }],
  ["AWS_LWA_READINESS_CHECK_PATH", "/é", "/%C3%A9", { is: "/%C3%A9", warn: /read as/ }],
  ["AWS_LWA_READINESS_CHECK_PATH", "/a/../b", "/b", { is: "/b", warn: /read as \/b/ }],
  ["AWS_LWA_READINESS_CHECK_PATH", "/x#top", "/x", { is: "/x", warn: /read as \/x/ }],
  ["AWS_LWA_READINESS_CHECK_PATH", "health", "`:8080health`, exit 1", {
    refused: /starting with \//,
  }],
  ["READINESS_CHECK_PATH", "/ready", "/ready, with a warning", {
    is: "/ready",
    warn: /'READINESS_CHECK_PATH' is deprecated/,
  }],
  ["AWS_LWA_READINESS_CHECK_PROTOCOL", "TCP", "tcp", { is: "tcp" }],
  ["AWS_LWA_READINESS_CHECK_PROTOCOL", "Http", "http", { is: "http" }],
  ["AWS_LWA_READINESS_CHECK_PROTOCOL", " http", "http (the fallback)", {
    is: "http",
    warn: /read as http/,
  }],
  ["AWS_LWA_READINESS_CHECK_PROTOCOL", " tcp", "http", { refused: /silently use http/ }],
  ["AWS_LWA_READINESS_CHECK_PROTOCOL", "grpc", "http", { refused: /silently use http/ }],
  ["AWS_LWA_READINESS_CHECK_HEALTHY_STATUS", "200-399, 404", "200-399, 404", {
    is: [[200, 399], [404, 404]],
  }],
  ["AWS_LWA_READINESS_CHECK_HEALTHY_STATUS", "+200-0399", "200-399 (u16 parsing)", {
    is: [[200, 399]],
  }],
  ["AWS_LWA_READINESS_CHECK_HEALTHY_STATUS", "200 - 399", "part skipped: empty list, hangs", {
    refused: /LWA would skip it/,
  }],
  ["AWS_LWA_READINESS_CHECK_HEALTHY_STATUS", "399-200", "empty range: hangs", {
    refused: /starts after it ends/,
  }],
  ["AWS_LWA_READINESS_CHECK_HEALTHY_STATUS", "", "empty list: hangs", { is: [[100, 499]] }],
  ["AWS_LWA_READINESS_CHECK_MIN_UNHEALTHY_STATUS", "400", "ignored since 1.0", {
    is: [[100, 399]],
    warn: /HEALTHY_STATUS=100-399/,
  }],
  ["AWS_LWA_ASYNC_INIT", "true", "true", { is: true }],
  ["AWS_LWA_ASYNC_INIT", "false", "false", { is: false }],
  ["AWS_LWA_ASYNC_INIT", "False", "false", { is: false, warn: /read as false/ }],
  ["AWS_LWA_ASYNC_INIT", "0", "false", { is: false, warn: /read as false/ }],
  ["AWS_LWA_ASYNC_INIT", "TRUE", "false", { refused: /lowercase "true"/ }],
  ["AWS_LWA_ASYNC_INIT", "1", "false", { refused: /lowercase "true"/ }],
  ["AWS_LWA_ASYNC_INIT", " true", "false", { refused: /lowercase "true"/ }],
  ["AWS_LWA_ASYNC_INIT", "sometimes", "false", { refused: /silently use false/ }],
  ["ASYNC_INIT", "true", "true, with a warning", { is: true, warn: /'ASYNC_INIT' is deprecated/ }],
  ["AWS_LWA_ENABLE_COMPRESSION", "true", "true", { is: true }],
  ["AWS_LWA_ENABLE_COMPRESSION", "yes", "false", { refused: /lowercase "true"/ }],
  ["AWS_LWA_ENABLE_COMPRESSION", "off", "false", { is: false, warn: /read as false/ }],
  ["AWS_LWA_REMOVE_BASE_PATH", "/prod", "/prod as a raw prefix", { is: "/prod" }],
  ["AWS_LWA_REMOVE_BASE_PATH", "/prod/", "/prod/ as a raw prefix", { is: "/prod" }],
  ["AWS_LWA_REMOVE_BASE_PATH", "prod", "never matches a path", { refused: /starting with \// }],
  ["AWS_LWA_REMOVE_BASE_PATH", "/", "removes nothing", { refused: /removes nothing/ }],
  ["AWS_LWA_REMOVE_BASE_PATH", "/a b", "compared raw", { refused: /spaces/ }],
  ["REMOVE_BASE_PATH", "/stage", "/stage, with a warning", { is: "/stage", warn: /deprecated/ }],
  ["AWS_LWA_INVOKE_MODE", "response_stream", "response_stream", { is: "response_stream" }],
  ["AWS_LWA_INVOKE_MODE", "RESPONSE_STREAM", "response_stream", { is: "response_stream" }],
  ["AWS_LWA_INVOKE_MODE", "Buffered", "buffered", { is: "buffered" }],
  ["AWS_LWA_INVOKE_MODE", "buffered ", "buffered (the fallback)", {
    is: "buffered",
    warn: /read as buffered/,
  }],
  ["AWS_LWA_INVOKE_MODE", "response-stream", "buffered", { refused: /silently use buffered/ }],
  ["AWS_LWA_INVOKE_MODE", "streaming", "buffered", { refused: /silently use buffered/ }],
  ["AWS_LWA_PASS_THROUGH_PATH", "/sqs", "/sqs", { is: "/sqs" }],
  ["AWS_LWA_PASS_THROUGH_PATH", "events", "/events", { is: "/events", warn: /read as \/events/ }],
  ["AWS_LWA_PASS_THROUGH_PATH", "/sqs events", "/sqs%20events", {
    is: "/sqs%20events",
    warn: /read as/,
  }],
  ["AWS_LWA_PASS_THROUGH_PATH", "/a/../b", "/b", { is: "/b", warn: /read as \/b/ }],
  ["AWS_LWA_PASS_THROUGH_PATH", "/a?b", "/a%3Fb", { is: "/a%3Fb", warn: /read as/ }],
  ["AWS_LWA_PASS_THROUGH_PATH", "", "/ (empty is set)", { is: "/events" }],
  ["AWS_LWA_AUTHORIZATION_SOURCE", "X-Auth-Token", "x-auth-token", { is: "x-auth-token" }],
  ["AWS_LWA_AUTHORIZATION_SOURCE", "x auth", "never found", { refused: /header name/ }],
  ["AWS_LWA_AUTHORIZATION_SOURCE", " x-auth", "never found", { refused: /header name/ }],
  ["AWS_LWA_ERROR_STATUS_CODES", "500, 502-504", "500, 502-504", {
    is: [[500, 500], [502, 504]],
  }],
  ["AWS_LWA_ERROR_STATUS_CODES", "500,5xx", "500 only, 5xx skipped", {
    refused: /'5xx'.*LWA would skip it/,
  }],
  ["AWS_LWA_ERROR_STATUS_CODES", "", "empty list, never matches", { is: undefined }],
  ["AWS_LWA_LAMBDA_RUNTIME_API_PROXY", "127.0.0.1:9002", "polls and registers there", {
    is: [9002, 9001],
  }],
  ["AWS_LWA_LAMBDA_RUNTIME_API_PROXY", "http://127.0.0.1:9002", "registration fails, exit 1", {
    is: [9002, 9001],
  }],
  ["AWS_LWA_LAMBDA_RUNTIME_API_PROXY", "https://proxy:1", "fails to connect", {
    refused: /not HTTPS/,
  }],
  ["AWS_LAMBDA_MAX_CONCURRENCY", "8", "8", { is: 8 }],
  ["AWS_LAMBDA_MAX_CONCURRENCY", "+8", "8 (u32 parsing)", { is: 8 }],
  ["AWS_LAMBDA_MAX_CONCURRENCY", "0", "1", { refused: /whole number/ }],
  ["AWS_LAMBDA_MAX_CONCURRENCY", " 8", "1", { refused: /whole number/ }],
  ["AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start", "no pooling", { is: true }],
  ["AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand", "pooling", { is: false }],
  ["AWS_LAMBDA_LOG_LEVEL", "DEBUG", "debug", { is: "debug" }],
  ["AWS_LAMBDA_LOG_LEVEL", "FATAL", "info (no such level)", { is: "error" }],
  ["AWS_LAMBDA_LOG_LEVEL", "chatty", "info", { refused: /expected one of/ }],
  ["RUST_LOG", "debug", "debug", { is: "debug" }],
  ["RUST_LOG", "lambda_web_adapter=debug", "debug for that target", {
    is: "info",
    warn: /Ignoring RUST_LOG/,
  }],
  ["AWS_LAMBDA_LOG_FORMAT", "JSON", "json", { is: "json" }],
  ["AWS_LAMBDA_LOG_FORMAT", "xml", "text", { refused: /JSON or Text/ }],
  ["AWS_LWA_WEBSOCKET_PATH_PREFIX", "/ws/", "not an LWA setting", { is: "/ws" }],
  ["AWS_LWA_BINARY_MEDIA_TYPES", "image/*, application/pdf", "not an LWA setting", {
    is: ["image/*", "application/pdf"],
  }],
];

Deno.test("loadConfig() reads every setting as LWA does, or refuses what LWA misreads", async (t) => {
  for (const [variable, value, lwa, here] of ROWS) {
    await t.step(`${variable}=${JSON.stringify(value)} (LWA: ${lwa})`, () => {
      const env = { AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001", [variable]: value };
      if ("refused" in here) {
        let caught: unknown;
        try {
          loadConfig(env);
        } catch (error) {
          caught = error;
        }
        assert.ok(caught instanceof ConfigError, "expected the value to be refused");
        assert.deepEqual(caught.problems.map((p) => [p.variable, p.value]), [[variable, value]]);
        assert.match(caught.message, here.refused);
        return;
      }
      const { config, warnings } = loadConfig(env);
      assert.deepEqual(FIELD[variable]!(config), here.is);
      if (here.warn) {
        assert.ok(warnings.some((line) => here.warn!.test(line)), warnings.join("\n"));
      } else {
        assert.deepEqual(warnings, []);
      }
    });
  }
});

Deno.test("every setting LWA reads has a row in the table", () => {
  const lwaSettings = [
    "AWS_LWA_PORT",
    "PORT",
    "AWS_LWA_HOST",
    "HOST",
    "AWS_LWA_READINESS_CHECK_PORT",
    "AWS_LWA_READINESS_CHECK_PATH",
    "AWS_LWA_READINESS_CHECK_PROTOCOL",
    "AWS_LWA_READINESS_CHECK_HEALTHY_STATUS",
    "AWS_LWA_ASYNC_INIT",
    "AWS_LWA_REMOVE_BASE_PATH",
    "AWS_LWA_ENABLE_COMPRESSION",
    "AWS_LWA_INVOKE_MODE",
    "AWS_LWA_PASS_THROUGH_PATH",
    "AWS_LWA_AUTHORIZATION_SOURCE",
    "AWS_LWA_ERROR_STATUS_CODES",
    "AWS_LWA_LAMBDA_RUNTIME_API_PROXY",
    "AWS_LAMBDA_MAX_CONCURRENCY",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_LEVEL",
    "RUST_LOG",
    "AWS_LAMBDA_LOG_FORMAT",
  ];
  const covered = new Set(ROWS.map(([variable]) => variable));
  assert.deepEqual(lwaSettings.filter((name) => !covered.has(name)), []);
});
