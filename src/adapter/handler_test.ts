import assert from "node:assert/strict";
import { loadEvent } from "../../tests/fixtures.ts";
import { fakeResponse } from "../../tests/support/http_response.ts";
import { handlerFor, hangingClient, invocation, READY } from "../../tests/support/invocations.ts";
import { ManualClock } from "../../tests/support/manual_clock.ts";
import { MAX_BUFFERED_PAYLOAD, type Outcome } from "./handler.ts";
import { HttpProtocolError } from "../http/errors.ts";
import type { HttpClient, OutgoingRequest } from "../http/types.ts";
import * as zlib from "node:zlib";
import type { ReadinessGate } from "./readiness_gate.ts";

function setup(
  client: HttpClient,
  env: Record<string, string> = {},
  readiness = READY,
  zlib?: typeof import("node:zlib"),
) {
  return handlerFor(client, { env, readiness, ...(zlib ? { zlib } : {}) });
}

function json(outcome: Outcome) {
  assert.equal(outcome.kind, "response", JSON.stringify(outcome));
  return JSON.parse(new TextDecoder().decode((outcome as { payload: Uint8Array }).payload));
}

Deno.test("createInvocationHandler() forwards an HTTP API event and shapes the result", async () => {
  const seen: OutgoingRequest[] = [];
  const { handle } = setup((request) => {
    seen.push(request);
    return Promise.resolve(fakeResponse(200, [["content-type", "text/plain"]], "hi"));
  });
  const event = loadEvent("aws-lambda-go/apigw-v2-request-no-authorizer.json");
  const result = json(await handle(invocation(event)));
  assert.deepEqual(result, {
    statusCode: 200,
    headers: { "content-type": "text/plain" },
    body: "hi",
    isBase64Encoded: false,
    cookies: [],
  });
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.method, "GET");
  assert.equal(seen[0]!.target, "/");
});

Deno.test("createInvocationHandler() fails on an error status with the app's status and body", async () => {
  const { handle } = setup(
    () => Promise.resolve(fakeResponse(502, [], "Bad Gateway")),
    { AWS_LWA_ERROR_STATUS_CODES: "500-504" },
  );
  const outcome = await handle(invocation(loadEvent("aws-lambda-go/sqs-event.json")));
  assert.deepEqual(outcome, {
    kind: "error",
    errorType: "LambdaAdapter.ErrorStatus",
    errorMessage: '{"statusCode":502,"body":"Bad Gateway"}',
  });
});

Deno.test("createInvocationHandler() turns each bad input into a readable error", async (t) => {
  const ok: HttpClient = () => Promise.resolve(fakeResponse(200, [], "ok"));
  const v2 = loadEvent("aws-lambda-go/apigw-v2-request-no-authorizer.json");
  const cases: [string, HttpClient, string | unknown, string, RegExp][] = [
    ["not JSON", ok, "{not json", "LambdaAdapter.InvalidEvent", /not valid JSON/],
    [
      "bad base64",
      ok,
      { ...v2, body: "**", isBase64Encoded: true },
      "LambdaAdapter.InvalidRequest",
      /base64/,
    ],
    [
      "CR/LF header",
      ok,
      { ...v2, headers: { a: "x\r\ny" } },
      "LambdaAdapter.InvalidRequest",
      /control/,
    ],
    [
      "refused",
      () => Promise.reject(new Deno.errors.ConnectionRefused("Connection refused (os error 111)")),
      v2,
      "LambdaAdapter.AppUnreachable",
      /refused/,
    ],
    [
      "reset",
      () => Promise.reject(new Deno.errors.ConnectionReset("reset")),
      v2,
      "LambdaAdapter.AppUnreachable",
      /closed the connection/,
    ],
    [
      "garbage",
      () => Promise.reject(new HttpProtocolError("bad status line")),
      v2,
      "LambdaAdapter.AppInvalidResponse",
      /not valid HTTP/,
    ],
  ];
  for (const [name, client, event, errorType, message] of cases) {
    await t.step(name, async () => {
      const outcome = await setup(client).handle(invocation(event));
      assert.equal(outcome.kind, "error");
      if (outcome.kind !== "error") return;
      assert.equal(outcome.errorType, errorType);
      assert.match(outcome.errorMessage, message);
    });
  }
});

Deno.test("createInvocationHandler() gives up 25 ms before the invocation's deadline", async () => {
  const clock = new ManualClock();
  const { handle } = handlerFor(hangingClient, { clock });
  const event = loadEvent("aws-lambda-go/sqs-event.json");
  let settled = false;
  const outcome = handle(invocation(event, { deadlineMs: clock.epochMs() + 1000 }));
  outcome.then(() => settled = true);
  await clock.advanceAndSettle(974);
  assert.equal(settled, false);
  await clock.advanceAndSettle(1);
  const failed = await outcome;
  assert.equal(failed.kind === "error" && failed.errorType, "LambdaAdapter.AppTimeout");
  assert.match((failed as { errorMessage: string }).errorMessage, /remaining 975 ms/);
  assert.equal(clock.pending, 0);
});

Deno.test("createInvocationHandler() refuses results over Lambda's buffered limit", async () => {
  const big = new Uint8Array(MAX_BUFFERED_PAYLOAD + 1);
  const { handle } = setup(() =>
    Promise.resolve(fakeResponse(200, [["content-type", "application/octet-stream"]], big))
  );
  const outcome = await handle(invocation(loadEvent("aws-lambda-go/lambda-urls-request.json")));
  assert.equal(outcome.kind === "error" && outcome.errorType, "LambdaAdapter.ResponseTooLarge");
  assert.match((outcome as { errorMessage: string }).errorMessage, /response_stream/);
  // 4.8 MB of binary becomes 6.4 MB of base64: the encoded size is what counts.
  const binary = new Uint8Array(4_800_000);
  const encoded = await setup(() =>
    Promise.resolve(fakeResponse(200, [["content-type", "image/png"]], binary))
  ).handle(invocation(loadEvent("aws-lambda-go/lambda-urls-request.json")));
  assert.match((encoded as { errorMessage: string }).errorMessage, /The result is \d+ bytes/);
});

Deno.test("createInvocationHandler() waits for an unready app, bounded by the deadline", async () => {
  const clock = new ManualClock();
  const gate: ReadinessGate = {
    ready: false,
    wait: (signal) =>
      new Promise((_resolve, reject) =>
        signal.addEventListener("abort", () => reject(new Error("x")))
      ),
  };
  const { handle } = handlerFor(() => Promise.resolve(fakeResponse(200, [], "")), {
    readiness: gate,
    clock,
  });
  let settled = false;
  const outcome = handle(invocation({}, { deadlineMs: clock.epochMs() + 100 }));
  outcome.then(() => settled = true);
  await clock.advanceAndSettle(74);
  assert.equal(settled, false);
  await clock.advanceAndSettle(1);
  assert.equal((await outcome).kind, "error");
});

Deno.test("createInvocationHandler() streams Function URL and REST answers, buffers the rest", async () => {
  const { handle, lines } = setup(
    () => Promise.resolve(fakeResponse(200, [["content-type", "text/plain"]], "streamed")),
    { AWS_LWA_INVOKE_MODE: "response_stream" },
  );
  const url = await handle(invocation(loadEvent("aws-lambda-go/lambda-urls-request.json")));
  assert.equal(url.kind, "stream");
  const bytes = new Uint8Array(
    await new Response((url as { body: ReadableStream }).body).arrayBuffer(),
  );
  const text = new TextDecoder().decode(bytes);
  assert.ok(
    text.startsWith('{"statusCode":200,"headers":{"content-type":"text/plain"},"cookies":[]}'),
  );
  assert.ok(text.endsWith("\0\0\0\0\0\0\0\0streamed"));
  const rest = await handle(
    invocation(loadEvent("aws-lambda-rust-runtime/apigw_proxy_request.json")),
  );
  assert.equal(rest.kind, "stream");
  const httpApi = await handle(invocation(loadEvent("aws-lambda-go/apigw-v2-request-iam.json")));
  assert.equal(httpApi.kind, "response");
  for (let i = 0; i < 2; i++) {
    const alb = await handle(
      invocation(loadEvent("aws-lambda-go/alb-lambda-target-request-headers-only.json")),
    );
    assert.equal(json(alb).statusDescription, "200 OK");
  }
  assert.equal(lines.filter((line) => line.includes("alb events cannot be streamed")).length, 1);
});

Deno.test("createInvocationHandler() compresses buffered answers for clients that accept it", async () => {
  const page = "<html>" + "<p>hello compression</p>".repeat(200) + "</html>";
  const client = () => Promise.resolve(fakeResponse(200, [["content-type", "text/html"]], page));
  const { handle } = setup(client, { AWS_LWA_ENABLE_COMPRESSION: "true" }, READY, zlib);
  const base = loadEvent("aws-lambda-go/lambda-urls-request.json");
  const br = json(
    await handle(invocation({ ...base, headers: { "accept-encoding": "gzip, br" } })),
  );
  assert.equal(br.isBase64Encoded, true);
  assert.equal(br.headers["content-encoding"], "br");
  assert.equal(br.headers["vary"], "Accept-Encoding");
  assert.equal(
    new TextDecoder().decode(zlib.brotliDecompressSync(Uint8Array.fromBase64(br.body))),
    page,
  );
  const gzip = json(await handle(invocation({ ...base, headers: { "accept-encoding": "gzip" } })));
  assert.equal(new TextDecoder().decode(zlib.gunzipSync(Uint8Array.fromBase64(gzip.body))), page);
  const plain = json(await handle(invocation({ ...base, headers: {} })));
  assert.equal(plain.isBase64Encoded, false);
  assert.equal(plain.body, page);
  assert.equal(plain.headers["vary"], "Accept-Encoding");
  assert.equal(plain.headers["content-encoding"], undefined);
});
