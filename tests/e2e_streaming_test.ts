/**
 * Response streaming end to end: the real adapter streaming to the emulator's streaming
 * endpoint, which records the prelude, each body chunk with its arrival time, and the trailers.
 */

import assert from "node:assert/strict";
import { rssKiB, sampleRss } from "../bench/stats.ts";
import type { InvokeResult } from "../src/emulator/mod.ts";
import { loadEvent } from "./fixtures.ts";
import { resultJson, startStack } from "./harness.ts";
import { invokeAckedEvents } from "./support/acked_events.ts";
import { lateClock } from "./support/late_clock.ts";

const url = loadEvent("aws-lambda-go/lambda-urls-request.json");
const rest = loadEvent("aws-lambda-rust-runtime/apigw_proxy_request.json");
const alb = loadEvent("aws-lambda-go/alb-lambda-target-request-headers-only.json");
const STREAMING = { AWS_LWA_INVOKE_MODE: "response_stream" };

type Stream = Extract<InvokeResult, { kind: "stream" }>;

function stream(result: InvokeResult): Stream {
  assert.equal(result.kind, "stream", JSON.stringify(result).slice(0, 300));
  return result as Stream;
}

Deno.test("server-sent events arrive one by one, each before the app writes the next", async () => {
  await using stack = await startStack({ app: "deno", env: STREAMING });
  const { result, events, bodyError } = await invokeAckedEvents(
    stack,
    { ...url, rawPath: "/_/events/10/sse" },
    "sse",
  );
  const streamed = stream(result);
  assert.equal(streamed.headers.get("lambda-runtime-function-response-mode"), "streaming");
  assert.equal(streamed.contentType, "application/vnd.awslambda.http-integration-response");
  assert.deepEqual(streamed.prelude, {
    statusCode: 200,
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      date: (streamed.prelude as { headers: { date: string } }).headers.date,
    },
    cookies: [],
  });
  // The app wrote each event only after the test had received the one before.
  assert.deepEqual(events, Array.from({ length: 10 }, (_, i) => `id: ${i}\ndata: event ${i}`));
  assert.equal(streamed.chunks.length, 10);
  assert.equal(bodyError, undefined);
  assert.equal(streamed.errorType, undefined);
});

Deno.test("a REST API answer streams too; ALB and SQS get buffered results in streaming mode", async () => {
  await using stack = await startStack({ app: "deno", env: STREAMING });
  const restResult = stream(await stack.emulator.invoke({ ...rest, path: "/_/text/5" }));
  assert.equal(new TextDecoder().decode(restResult.body), "xxxxx");
  const albResult = resultJson(await stack.emulator.invoke({ ...alb, path: "/_/text/5" }));
  assert.equal(albResult.statusDescription, "200 OK");
  assert.equal(albResult.body, "xxxxx");
  const sqs = resultJson(await stack.emulator.invoke(loadEvent("aws-lambda-go/sqs-event.json")));
  assert.equal(sqs.path, "/events");
  await stack.adapter.waitForLine(/alb events cannot be streamed/);
});

Deno.test("an empty body ends the stream right after the prelude (LWA#499)", async () => {
  await using stack = await startStack({ app: "deno", env: STREAMING });
  const result = stream(await stack.emulator.invoke({ ...url, rawPath: "/_/redirect" }));
  assert.equal((result.prelude as { statusCode: number }).statusCode, 302);
  assert.equal(result.bodyBytes, 0);
  // An empty body left open would run into the deadline and end with an AppTimeout trailer.
  assert.equal(result.errorType, undefined);
});

Deno.test("a 100 MB stream passes with the adapter's memory flat", async () => {
  await using stack = await startStack({
    app: "deno",
    env: STREAMING,
    emulator: { functionTimeoutMs: 60_000 },
  });
  const pid = stack.adapter.process.pid;
  await stack.emulator.invoke({ ...url, rawPath: "/_/stream/1000000" }, { keepStreamBody: false });
  const idle = await rssKiB(pid);
  const sampler = sampleRss(pid, 10);
  const size = 100 * 1024 * 1024;
  const result = stream(
    await stack.emulator.invoke({ ...url, rawPath: `/_/stream/${size}` }, {
      keepStreamBody: false,
    }),
  );
  const peak = sampler.stop();
  assert.equal(result.bodyBytes, size);
  assert.equal(result.errorType, undefined);
  // The bound: the adapter holds a few 64 KiB chunks, never the body; V8's heap may grow by a
  // few tens of MiB from garbage between collections, far below the 100 MiB passed through.
  assert.ok(peak - idle < 64 * 1024, `RSS grew from ${idle} KiB to ${peak} KiB`);
});

Deno.test("a stream past Lambda's 200 MB limit ends with the error trailers", async () => {
  await using stack = await startStack({
    app: "deno",
    env: STREAMING,
    emulator: { functionTimeoutMs: 60_000 },
  });
  const result = stream(
    await stack.emulator.invoke({ ...url, rawPath: `/_/stream/${210 * 1024 * 1024}` }, {
      keepStreamBody: false,
    }),
  );
  assert.equal(result.errorType, "LambdaAdapter.ResponseTooLarge");
  assert.match(result.errorMessage!, /limit/);
  assert.ok(result.bodyBytes <= 200 * 1024 * 1024);
  assert.equal(resultJson(await stack.emulator.invoke({ ...alb, path: "/after" })).statusCode, 200);
});

Deno.test("an app that dies mid-stream gives the error trailers and the next invocation is served", async () => {
  await using stack = await startStack({ app: "bad", env: STREAMING });
  const result = stream(await stack.emulator.invoke({ ...url, rawPath: "/stream-then-close" }));
  assert.equal(new TextDecoder().decode(result.body), "hello");
  assert.equal(result.trailers.get("lambda-runtime-function-error-type"), result.errorType);
  assert.match(result.errorType!, /^LambdaAdapter\./);
  assert.match(result.errorMessage!, /\S/);
  const next = stream(await stack.emulator.invoke({ ...url, rawPath: "/fine" }));
  assert.equal(new TextDecoder().decode(next.body), "fine");
  assert.equal(next.errorType, undefined);
});

Deno.test("a stream that outlives the deadline ends with an AppTimeout trailer", async () => {
  // The emulator enforces the deadline late, so the adapter's own report is what ends the call.
  await using stack = await startStack({
    app: "deno",
    env: STREAMING,
    emulator: { clock: lateClock() },
  });
  // Three events are confirmed; the app waits for a fourth confirmation that never comes.
  const { result, events } = await invokeAckedEvents(
    stack,
    { ...url, rawPath: "/_/events/20/late" },
    "late",
    { confirm: 2 },
  );
  const streamed = stream(result);
  assert.equal(streamed.errorType, "LambdaAdapter.AppTimeout");
  assert.equal(streamed.trailers.get("lambda-runtime-function-error-type"), streamed.errorType);
  assert.deepEqual(events, [
    "id: 0\ndata: event 0",
    "id: 1\ndata: event 1",
    "id: 2\ndata: event 2",
  ]);
});
