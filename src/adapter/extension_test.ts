import assert from "node:assert/strict";
import { fakeResponse } from "../../tests/support/http_response.ts";
import { ManualClock } from "../../tests/support/manual_clock.ts";
import type { HttpClient, IncomingResponse, OutgoingRequest } from "../http/types.ts";
import { createLogger } from "../util/log.ts";
import { runExtension } from "./extension.ts";

type Answer = IncomingResponse | Error;

/** An Extensions API that answers register, then each /event/next with the next entry. */
function fakeApi(nextAnswers: (() => Answer)[], register: () => Answer = registered) {
  const calls: string[] = [];
  const client: HttpClient = (request: OutgoingRequest, signal) => {
    calls.push(`${request.method} ${request.target}`);
    const answer = request.target.endsWith("/register") ? register() : nextAnswers.shift()?.();
    if (answer === undefined) {
      // Parked like a real long poll until the loop is stopped.
      return new Promise((_resolve, reject) =>
        signal?.addEventListener("abort", () => reject(signal.reason), { once: true })
      );
    }
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return { client, calls };
}

function registered(): IncomingResponse {
  return fakeResponse(200, [["lambda-extension-identifier", "ext-1"]], "{}");
}

function setup(client: HttpClient, clock = new ManualClock()) {
  const lines: string[] = [];
  const controller = new AbortController();
  const ended = runExtension({
    client,
    basePath: "",
    name: "lambda-adapter",
    log: createLogger({ write: (line) => lines.push(line) }),
    signal: controller.signal,
    backoff: { clock, giveUpAfterMs: 10_000 },
  });
  return { ended, lines, controller, clock };
}

Deno.test("runExtension() returns SHUTDOWN with its deadline", async () => {
  const { client } = fakeApi([
    () =>
      fakeResponse(200, [], '{"eventType":"SHUTDOWN","shutdownReason":"spindown","deadlineMs":42}'),
  ]);
  const { ended } = setup(client);
  assert.deepEqual(await ended, { kind: "shutdown", reason: "spindown", deadlineMs: 42 });
});

Deno.test("runExtension() rides out a 500, a reset and bad JSON, then waits on", async () => {
  const { client, calls } = fakeApi([
    () => fakeResponse(500, [], "boom"),
    () => new Deno.errors.ConnectionReset("reset"),
    () => fakeResponse(200, [], "not json at all"),
    () => fakeResponse(200, [], '{"no":"eventType"}'),
  ]);
  const { ended, lines, controller, clock } = setup(client);
  for (let i = 0; i < 4; i++) {
    await clock.untilPending();
    await clock.advanceAndSettle(1000);
  }
  assert.equal(calls.filter((call) => call.endsWith("/event/next")).length, 5);
  assert.equal(lines.filter((line) => /Extensions API failed/.test(line)).length, 4);
  controller.abort();
  assert.deepEqual(await ended, { kind: "stopped" });
});

Deno.test("runExtension() gives up once the API has been away for the whole bound", async () => {
  const { client } = fakeApi(
    Array.from({ length: 100 }, () => () => new Deno.errors.ConnectionRefused("refused")),
  );
  const { ended, clock } = setup(client);
  let result;
  const settled = ended.then((end) => result = end);
  while (result === undefined) {
    await clock.untilPending().catch(() => {});
    await clock.advanceAndSettle(1000);
    await Promise.race([settled, Promise.resolve()]);
  }
  assert.equal(clock.now() - 1000 >= 10_000, true);
  assert.equal((result as { kind: string }).kind, "gone");
});

Deno.test("runExtension() stops at once when Lambda refuses the registration", async () => {
  const { client, calls } = fakeApi(
    [],
    () => fakeResponse(403, [], '{"errorType":"Extension.Unknown"}'),
  );
  const { ended } = setup(client);
  const end = await ended;
  assert.equal(end.kind, "gone");
  assert.match(String((end as { error: Error }).error), /403/);
  assert.equal(calls.length, 1);
});

Deno.test("runExtension() retries a registration that failed on the way", async () => {
  let attempts = 0;
  const { client } = fakeApi([
    () => fakeResponse(200, [], '{"eventType":"SHUTDOWN","shutdownReason":"spindown"}'),
  ], () => ++attempts < 3 ? fakeResponse(503, [], "busy") : registered());
  const { ended, clock } = setup(client);
  await clock.untilPending();
  await clock.advanceAndSettle(1000);
  await clock.untilPending();
  await clock.advanceAndSettle(1000);
  assert.deepEqual(await ended, { kind: "shutdown", reason: "spindown", deadlineMs: undefined });
  assert.equal(attempts, 3);
});
