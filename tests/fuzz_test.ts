/**
 * Seeded, replayable fuzz of the whole adapter (issue 9): real event fixtures whose string
 * fields carry non-ASCII text (astral characters, and sometimes lone surrogates) and bodies of
 * 0 to 128 KiB, crossed with app behaviours on the wire (echo, chunked, binary, close, garbage,
 * truncation, a hang, an early 413, a huge head) and Runtime/Extensions API faults (error
 * statuses, resets before and after the request got through, bad JSON, outages).
 *
 * The adapter runs in-process (`runAdapter`) against the emulator through a fault proxy, so the
 * test's own leak checks also prove that it releases everything. `TEST_SEED=<n>` replays a run;
 * `FUZZ_CASES=<n>` runs more, `FUZZ_TRACE=1` shows each case.
 *
 * Invariants: every invocation gets exactly one result and none an internal error; an app that
 * behaves gets exactly the request the event describes (body bytes, UTF-8 header values); a
 * lone surrogate in a field fails that invocation as InvalidRequest; nothing reaches the app
 * twice and no result is posted twice; the adapter serves on after every fault and exits 0.
 */

import assert from "node:assert/strict";
import { runAdapter } from "../src/adapter/run.ts";
import { Shutdown } from "../src/adapter/shutdown.ts";
import { loadConfig } from "../src/config/config.ts";
import { startEmulator } from "../src/emulator/mod.ts";
import { createLogger } from "../src/util/log.ts";
import { loadEvent } from "./fixtures.ts";
import { Random } from "./random.ts";
import { type Fault, startFaultProxy } from "./support/fault_proxy.ts";
import {
  type AppBehaviour,
  binaryAnswer,
  fnv,
  type SeenRequest,
  startFuzzApp,
} from "./support/fuzz_app.ts";

const CASES = Number(Deno.env.get("FUZZ_CASES") ?? 400);
/** `FUZZ_TRACE=1` prints each case and the adapter's warnings as they happen. */
const TRACE = Deno.env.get("FUZZ_TRACE") !== undefined;
// deno-lint-ignore no-console -- tracing on request only
const trace = (line: string) => console.error(line);
const SIZES = [0, 1, 2, 3, 100, 1023, 4096, 65_535, 65_536, 65_537, 131_072];
const TEXT = ["a", "é", "ü", "日", "本", "💳", "𝄞", "🙂", " ", "~", "%", "+", "=", "&", "€", "—"];
const LONE = ["\ud800", "\udfff", "\ud83d"];

/** A source's event and how to set its path, its headers and its body. */
interface Source {
  name: string;
  fixture: string;
  setPath(event: Record<string, unknown>, path: string): void;
  setHeader(event: Record<string, unknown>, name: string, value: string): void;
  /** Sets the query `key=value`; `raw` is appended unencoded (a lone surrogate). */
  setQuery(event: Record<string, unknown>, key: string, value: string, raw: string): void;
}

/** REST APIs hand over decoded values; the adapter encodes them once. */
function decodedQuery(event: Record<string, unknown>, key: string, value: string, raw: string) {
  event.multiValueQueryStringParameters = { [key]: [value + raw] };
  event.queryStringParameters = { [key]: value + raw };
}

/** ALB hands over the values as the client sent them, still encoded. */
function encodedQuery(event: Record<string, unknown>, key: string, value: string, raw: string) {
  const encoded = encodeURIComponent(value) + raw;
  if (event.multiValueQueryStringParameters) {
    event.multiValueQueryStringParameters = { [encodeURIComponent(key)]: [encoded] };
  } else event.queryStringParameters = { [encodeURIComponent(key)]: encoded };
}

/** HTTP APIs and Function URLs pass `rawQueryString` as sent. */
function rawQuery(event: Record<string, unknown>, key: string, value: string, raw: string) {
  event.rawQueryString = `${encodeURIComponent(key)}=${encodeURIComponent(value)}${raw}`;
}

/** Sets a header in whichever header maps the event has, replacing any other spelling. */
function setHeader(event: Record<string, unknown>, name: string, value: string) {
  for (const key of ["headers", "multiValueHeaders"]) {
    const map = event[key] as Record<string, unknown> | undefined;
    if (!map) continue;
    for (const existing of Object.keys(map)) {
      if (existing.toLowerCase() === name) delete map[existing];
    }
    map[name] = key === "headers" ? value : [value];
  }
}

const SOURCES: Source[] = [
  {
    name: "rest",
    fixture: "aws-lambda-go/apigw-request.json",
    setPath: (event, path) => event.path = path,
    setHeader,
    setQuery: decodedQuery,
  },
  {
    name: "httpApi",
    fixture: "aws-lambda-go/apigw-v2-request-no-authorizer.json",
    setPath: (event, path) => event.rawPath = path,
    setHeader,
    setQuery: rawQuery,
  },
  {
    name: "functionUrl",
    fixture: "aws-lambda-go/lambda-urls-request.json",
    setPath: (event, path) => event.rawPath = path,
    setHeader,
    setQuery: rawQuery,
  },
  {
    name: "alb",
    fixture: "aws-lambda-go/alb-lambda-target-request-headers-only.json",
    setPath: (event, path) => event.path = path,
    setHeader,
    setQuery: encodedQuery,
  },
  {
    name: "albMulti",
    fixture: "aws-lambda-go/alb-lambda-target-request-multivalue-headers.json",
    setPath: (event, path) => event.path = path,
    setHeader,
    setQuery: encodedQuery,
  },
];

const API_FAULTS: [RegExp, Fault][] = [
  [/^GET \/2020-01-01\/extension\/event\/next/, { kind: "status", status: 500, body: "boom" }],
  [/^GET \/2020-01-01\/extension\/event\/next/, { kind: "reset" }],
  [/^GET \/2020-01-01\/extension\/event\/next/, { kind: "body", body: "{not json" }],
  [/^GET \/2018-06-01\/runtime\/invocation\/next/, { kind: "reset" }],
  [/^GET \/2018-06-01\/runtime\/invocation\/next/, { kind: "status", status: 500 }],
  [/^POST .*\/(response|error)$/, { kind: "resetAfterForward" }],
];

const BEHAVIOURS: [AppBehaviour, number][] = [
  ["echo", 60],
  ["chunked", 10],
  ["binary", 10],
  ["close", 3],
  ["headOnlyClose", 3],
  ["garbage", 3],
  ["truncated", 3],
  ["early413", 3],
  ["hugeHead", 2],
  ["hang", 1],
];

function text(random: Random, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += random.pick(TEXT);
  return out;
}

function weighted<T>(random: Random, items: [T, number][]): T {
  let at = random.int(items.reduce((sum, [, weight]) => sum + weight, 0));
  for (const [item, weight] of items) if ((at -= weight) < 0) return item;
  return items[0]![0];
}

/** One generated case: the event, what the app should see, and whether it must be refused. */
function generate(random: Random, id: string) {
  const source = random.pick(SOURCES);
  const event = structuredClone(loadEvent(source.fixture)) as Record<string, unknown>;
  const path = `/${text(random, 1 + random.int(6))}/${random.pick([".", "..", "%2e%2e", "x"])}`;
  const header = text(random, 1 + random.int(30)).trim() || "x";
  const size = random.next() < 0.7 ? random.pick(SIZES) : random.int(131_073);
  const binary = random.next() < 0.3;
  const bytes = binary ? random.bytes(size) : undefined;
  const body = bytes ? bytes.toBase64() : Array.from(text(random, size)).slice(0, size).join("");
  const query = text(random, random.int(20));
  const lone = random.next() < 0.1 ? random.pick(["path", "header", "body", "query"]) : undefined;
  const surrogate = random.pick(LONE);
  source.setPath(event, lone === "path" ? path + surrogate : path);
  source.setHeader(event, "x-fuzz", lone === "header" ? header + surrogate : header);
  source.setHeader(event, "cookie", `name=José; 🍪=${header}`);
  source.setQuery(event, "qé", query, lone === "query" ? surrogate : "");
  // A header name that is not an HTTP token (non-ASCII) fails the event too.
  const badName = lone === undefined && random.next() < 0.03;
  if (badName) source.setHeader(event, `x-é${text(random, 2)}`, "v");
  event.body = lone === "body" && !binary ? body + surrogate : body;
  event.isBase64Encoded = binary;
  if (source.name === "httpApi" || source.name === "functionUrl") {
    delete event.cookies;
    const context = event.requestContext as Record<string, unknown>;
    context.http = { ...(context.http as object), method: "POST", path };
  } else event.httpMethod = "POST";
  const sent = bytes ?? new TextEncoder().encode(body);
  return {
    id,
    source: source.name,
    event,
    header,
    query,
    sent,
    refused: badName
      ? /not a valid header name/
      : lone !== undefined && !(binary && lone === "body")
      ? /lone surrogate/
      : undefined,
  };
}

Deno.test("fuzz: events × app behaviours × API faults never break the adapter", async () => {
  const random = new Random();
  const emulator = await startEmulator({ functionTimeoutMs: 5000, extensions: 1 });
  const proxy = await startFaultProxy(emulator.runtimeApi);
  const app = startFuzzApp();
  const { config } = loadConfig({
    AWS_LAMBDA_RUNTIME_API: proxy.address,
    AWS_LWA_PORT: `${app.port}`,
    AWS_LAMBDA_FUNCTION_NAME: "fuzz",
  });
  const shutdown = new Shutdown();
  const logs: string[] = [];
  const adapter = runAdapter(config, {
    log: createLogger({
      write: (line) => {
        logs.push(line);
        if (TRACE) trace(line);
      },
      level: "warn",
    }),
    shutdown,
    userAgent: "fuzz",
    extensionName: "lambda-adapter",
  });
  await emulator.waitForInit();
  const tally: Record<string, number> = {};
  try {
    for (let i = 0; i < CASES; i++) {
      const generated = generate(random, `fuzz-${random.seed}-${i}`);
      const behaviour = weighted(random, BEHAVIOURS);
      app.behaviours.set(generated.id, behaviour);
      if (random.next() < 0.15) {
        const [match, fault] = random.pick(API_FAULTS);
        proxy.inject(match, fault);
      }
      if (random.next() < 0.02) await proxy.outage(30);
      if (TRACE) trace(`case ${i}: ${generated.source} ${behaviour}`);
      const where = `case ${i} (${generated.source}, ${behaviour}, seed ${random.seed})`;
      const result = await emulator.invoke(generated.event, {
        requestId: generated.id,
        ...(behaviour === "hang" ? { timeoutMs: 400 } : {}),
      });
      const outcome = check(generated, behaviour, result, app.seen.get(generated.id), where);
      tally[outcome] = (tally[outcome] ?? 0) + 1;
    }
    // Nothing ran twice and no result was posted twice.
    for (const [id, requests] of app.seen) {
      assert.ok(requests.length <= 1, `${id} reached the app twice`);
    }
    const posts = new Map<string, number>();
    for (const line of proxy.forwarded) {
      const match = /^POST \/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(
        line,
      );
      if (match) posts.set(match[1]!, (posts.get(match[1]!) ?? 0) + 1);
    }
    for (const [id, count] of posts) assert.equal(count, 1, `${id} was posted ${count} times`);
    assert.ok((tally.ok ?? 0) > CASES / 2, JSON.stringify(tally));
    assert.ok((tally.refused ?? 0) > 0 && (tally.appFault ?? 0) > 0, JSON.stringify(tally));
    assert.doesNotMatch(logs.join("\n"), /InternalError|is gone|terminating/);
  } finally {
    shutdown.begin("test over", 1000);
    assert.equal(await adapter, 0);
    await app.close();
    await proxy.close();
    await emulator.close();
  }
});

type Generated = ReturnType<typeof generate>;
type Result = Awaited<ReturnType<Awaited<ReturnType<typeof startEmulator>>["invoke"]>>;

/** Checks one result against the case; returns its class for the tally. */
function check(
  generated: Generated,
  behaviour: AppBehaviour,
  result: Result,
  seen: SeenRequest[] | undefined,
  where: string,
): string {
  const error = result.kind === "error" ? result : undefined;
  assert.notEqual(
    error?.errorType,
    "LambdaAdapter.InternalError",
    `${where}: ${error?.errorMessage}`,
  );
  if (generated.refused) {
    assert.equal(
      error?.errorType,
      "LambdaAdapter.InvalidRequest",
      `${where}: ${JSON.stringify(result)}`,
    );
    assert.match(error!.errorMessage, generated.refused);
    assert.equal(seen, undefined, `${where}: a refused event reached the app`);
    return "refused";
  }
  assert.equal(seen?.length, 1, `${where}: the app saw ${seen?.length ?? 0} requests`);
  const request = seen![0]!;
  if (request.body !== undefined) {
    assert.equal(request.body.length, generated.sent.length, `${where}: body length`);
    assert.equal(fnv(request.body), fnv(generated.sent), `${where}: body bytes`);
  }
  const [, queryString = ""] = request.target.split("?");
  const pair = queryString.split("&").find((part) => part.startsWith("q%C3%A9="));
  assert.equal(
    decodeURIComponent(pair?.slice("q%C3%A9=".length) ?? ""),
    generated.query,
    `${where}: query`,
  );
  const headers = new Map(request.headers);
  assert.equal(headers.get("x-fuzz"), generated.header, `${where}: x-fuzz header`);
  assert.equal(headers.get("cookie"), `name=José; 🍪=${generated.header}`, `${where}: cookie`);
  if (["echo", "chunked", "binary"].includes(behaviour)) {
    assert.equal(result.kind, "response", `${where}: ${JSON.stringify(result)}`);
    const json = JSON.parse(new TextDecoder().decode((result as { body: Uint8Array }).body));
    assert.equal(json.statusCode, 200, where);
    const body = json.isBase64Encoded ? Uint8Array.fromBase64(json.body) : json.body;
    if (behaviour === "binary") {
      const got = body === "" ? new Uint8Array() : body;
      assert.deepEqual(got, binaryAnswer(generated.sent.length), `${where}: binary answer`);
    } else {
      assert.deepEqual(JSON.parse(body), { n: generated.sent.length, h: fnv(generated.sent) });
    }
    return "ok";
  }
  if (behaviour === "early413" && result.kind === "response") return "ok";
  if (behaviour === "hang" && result.kind === "timeout") return "appFault";
  assert.equal(result.kind, "error", `${where}: ${JSON.stringify(result)}`);
  const expected = behaviour === "hang" ? /AppTimeout/ : /AppUnreachable|AppInvalidResponse/;
  assert.match(error!.errorType, expected, `${where}: ${error!.errorMessage}`);
  return "appFault";
}
