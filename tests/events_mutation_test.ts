/**
 * Seeded mutation test over every fixture: fields deleted or given the wrong type, huge or
 * CR/LF-laden header values, bad base64, broken percent-encoding, non-ASCII paths, odd methods.
 * However mangled, an event never makes the handler throw: it becomes a request the wire accepts
 * or a readable InvalidEvent/InvalidRequest error, never an internal error.
 */

import { fakeResponse } from "./support/http_response.ts";
import assert from "node:assert/strict";
import { createInvocationHandler } from "../src/adapter/handler.ts";
import { convertOptions, loadConfig } from "../src/config/config.ts";
import { detectSource } from "../src/events/detect.ts";
import { isObject } from "../src/events/fields.ts";
import { buildRequestHead, requestFraming } from "../src/http/wire.ts";
import type { HttpClient } from "../src/http/types.ts";
import { createLogger } from "../src/util/log.ts";
import { allEventNames, loadEvent } from "./fixtures.ts";
import { Random } from "./random.ts";

const MUTATIONS_PER_FIXTURE = 40;
const WRONG_VALUES = [null, 0, -1, 1.5, true, false, "", "x", [], {}, ["a", 1], { a: [1] }];
const PATHS = [
  "%zz",
  "/%",
  "/ü/日本",
  '/a b"c<d>',
  "/../../etc/passwd",
  "",
  "no-slash",
  "//x",
  "/\u0000x",
  "/a?b#c",
];
const QUERIES = ["a b\"c<d>'#e%zz", "%", "ü=ü", "a=1&&&=", "\u0001", "x".repeat(10_000)];
const METHODS = ["", "G E T", "get", "PATCH", "\n", "X".repeat(1000), "CONNECT", "ü"];
const HEADER_VALUES = [
  "a\r\nx-injected: 1",
  "a\nb",
  "nul\u0000",
  "x".repeat(65_536),
  "ünï",
  "\t tab ",
];
const HEADER_NAMES = ["bad name", "colon:", "", "ü", "x".repeat(300)];
const PATH_KEYS = new Set(["path", "rawPath", "raw_path"]);
const HEADER_MAPS = new Set(["headers", "multiValueHeaders"]);

const { config } = loadConfig({ AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001" });
let leaked: string | undefined;
const client: HttpClient = (request) => {
  try {
    buildRequestHead(request, "127.0.0.1:8080", requestFraming(request));
    if (/[^\x21-\x7e]/.test(request.target)) throw new TypeError("non-ASCII target");
  } catch (error) {
    leaked = `${(error as Error).message} in ${request.method} ${request.target}`;
  }
  return Promise.resolve(
    fakeResponse(200, [["content-type", "application/json"]], '{"ok":true}', "OK"),
  );
};
const handle = createInvocationHandler({
  config,
  convert: convertOptions(config),
  client,
  log: createLogger({ level: "off" }),
  readiness: { ready: true, wait: () => Promise.resolve() },
});

type Json = unknown;
type Path = (string | number)[];

function paths(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => (out.push([...prefix, i]), paths(item, [...prefix, i], out)));
  } else if (isObject(value)) {
    for (const key of Object.keys(value)) {
      out.push([...prefix, key]);
      paths(value[key], [...prefix, key], out);
    }
  }
  return out;
}

function parentOf(root: Json, path: Path): Record<string | number, Json> {
  let node = root as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  return node;
}

/** Applies one random mutation; returns its description and whether it must fail the event. */
function mutate(event: Record<string, Json>, random: Random): { what: string; mustFail: boolean } {
  const all = paths(event);
  const operator = random.int(7);
  if (operator === 0 && all.length > 0) {
    const path = random.pick(all);
    const parent = parentOf(event, path);
    if (Array.isArray(parent)) parent.splice(path.at(-1) as number, 1);
    else delete parent[path.at(-1)!];
    return { what: `delete ${path.join(".")}`, mustFail: false };
  }
  if (operator === 1 && all.length > 0) {
    const path = random.pick(all);
    parentOf(event, path)[path.at(-1)!] = structuredClone(random.pick(WRONG_VALUES));
    return { what: `retype ${path.join(".")}`, mustFail: false };
  }
  if (operator === 2) {
    const map = random.pick(["headers", "multiValueHeaders"]);
    const value = random.pick(HEADER_VALUES);
    const multi = map === "multiValueHeaders";
    const existing = isObject(event[map]) ? event[map] as Record<string, Json> : {};
    event[map] = { ...existing, "x-mutated": multi ? [value] : value };
    return {
      what: `header ${map} ${JSON.stringify(value.slice(0, 20))}`,
      mustFail: /[\r\n\0]/.test(value),
    };
  }
  if (operator === 3) {
    const name = random.pick(HEADER_NAMES);
    event["headers"] = { ...(isObject(event["headers"]) ? event["headers"] : {}), [name]: "v" };
    const valid = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name);
    return { what: `header name ${JSON.stringify(name.slice(0, 20))}`, mustFail: !valid };
  }
  if (operator === 4) {
    event["body"] = random.pick(["not base64!", "====", "YQ=", "Y", "%%%"]);
    event["isBase64Encoded"] = true;
    event["is_base64_encoded"] = true;
    return { what: "bad base64 body", mustFail: true };
  }
  if (operator === 5) {
    const keys = Object.keys(event).filter((key) => PATH_KEYS.has(key));
    const key = keys.length > 0 ? random.pick(keys) : "path";
    event[key] = random.pick(PATHS);
    if ("rawQueryString" in event) event["rawQueryString"] = random.pick(QUERIES);
    return { what: `path ${JSON.stringify(event[key])}`, mustFail: false };
  }
  const method = random.pick(METHODS);
  for (const key of ["httpMethod", "method"]) if (key in event) event[key] = method;
  const context = event["requestContext"];
  if (isObject(context) && isObject(context["http"])) context["http"]["method"] = method;
  return { what: `method ${JSON.stringify(method.slice(0, 20))}`, mustFail: false };
}

/** Whether the mutated header map is one the detected source reads. */
function readsMap(event: Record<string, Json>, source: string, what: string): boolean {
  if (source === "passThrough") return false;
  if (what.startsWith("header name")) {
    return source !== "alb" || !isObject(event["multiValueHeaders"]);
  }
  const map = what.split(" ")[1]!;
  if (!HEADER_MAPS.has(map)) return false;
  if (source === "apiGatewayV1" || source === "webSocket") return true;
  if (source === "alb") {
    return (map === "multiValueHeaders") === isObject(event["multiValueHeaders"]);
  }
  return map === "headers";
}

Deno.test("mangled events never crash the handler and fail with a readable error", async () => {
  const random = new Random();
  const counts = { cases: 0, responses: 0, errors: 0 };
  for (const fixture of allEventNames()) {
    for (let i = 0; i < MUTATIONS_PER_FIXTURE; i++) {
      const event = loadEvent<Record<string, Json>>(fixture);
      const { what, mustFail } = mutate(event, random);
      const source = detectSource(event).source;
      const context = `${fixture} #${i} (${what}, seed ${random.seed})`;
      leaked = undefined;
      const outcome = await handle({
        requestId: "m",
        deadlineMs: Date.now() + 3000,
        invokedFunctionArn: undefined,
        traceId: undefined,
        clientContext: null,
        cognitoIdentity: null,
        tenantId: undefined,
        payload: new TextEncoder().encode(JSON.stringify(event)),
      });
      counts.cases++;
      assert.equal(leaked, undefined, `unsendable request from ${context}: ${leaked}`);
      assert.notEqual(outcome.kind, "stream");
      if (outcome.kind !== "error") counts.responses++;
      else {
        counts.errors++;
        assert.ok(
          outcome.errorType === "LambdaAdapter.InvalidRequest" ||
            outcome.errorType === "LambdaAdapter.InvalidEvent",
          `${context}: ${outcome.errorType} ${outcome.errorMessage}`,
        );
        assert.match(outcome.errorMessage, /\S/);
      }
      const readsBody = what !== "bad base64 body" || source !== "passThrough";
      if (mustFail && readsBody && readsMap(event, source, what)) {
        assert.equal(outcome.kind, "error", `${context} should fail`);
      }
      if (what === "bad base64 body" && source !== "passThrough") {
        assert.equal(outcome.kind, "error", `${context} should fail`);
      }
    }
  }
  assert.ok(counts.cases >= 4000, JSON.stringify(counts));
  assert.ok(counts.errors > 500 && counts.responses > 500, JSON.stringify(counts));
});
