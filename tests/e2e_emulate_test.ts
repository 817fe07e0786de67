/**
 * `lambda-adapter emulate` end to end: real apps behind the front door for every event shape,
 * streaming passed through, and `invoke` replaying saved events.
 */

import assert from "node:assert/strict";
import { RIE_PATH } from "../src/cli/front_door.ts";
import { loadEvent } from "./fixtures.ts";
import { Child, cliCommand, DENO_APP, EXPRESS_APP, startEmulate } from "./harness.ts";

const ROOT = new URL("../", import.meta.url);
const HTTPBIN = [
  "sh",
  "-c",
  'exec /usr/bin/python3 -m gunicorn --bind "127.0.0.1:$PORT" --workers 1 httpbin:app',
];
const SHAPES = ["function-url", "http-api", "rest-api", "alb", "alb-multi-value", "vpc-lattice-v2"];

Deno.test("emulate serves an Express app through every event shape", async (t) => {
  for (const shape of SHAPES) {
    await t.step(shape, async () => {
      await using emulate = await startEmulate({
        app: EXPRESS_APP,
        args: ["--event-source", shape],
      });
      const cookies = await emulate.fetch("/_/cookies");
      assert.equal(cookies.status, 200);
      assert.equal(await cookies.text(), "cookies");
      const setCookies = cookies.headers.getSetCookie();
      if (shape === "alb") assert.deepEqual(setCookies, ["session=abc; Path=/; HttpOnly"]);
      else if (shape === "vpc-lattice-v2") assert.equal(setCookies.length, 1);
      else assert.deepEqual(setCookies, ["session=abc; Path=/; HttpOnly", "theme=dark; Path=/"]);

      const binary = await emulate.fetch("/_/bytes/5000");
      const expected = Uint8Array.from({ length: 5000 }, (_, i) => i % 256);
      assert.deepEqual(new Uint8Array(await binary.arrayBuffer()), expected);

      const echo = await emulate.fetch("/items/1?q=a%20b&q=c", {
        method: "PUT",
        headers: { "content-type": "application/json", "x-custom": "yes" },
        body: '{"n":1}',
      });
      const seen = await echo.json();
      assert.equal(seen.method, "PUT");
      assert.equal(seen.body, '{"n":1}');
      // ALB without multi-value headers passes only the last value of a repeated key.
      const query = shape === "alb" ? /^\/items\/1\?q=c$/ : /^\/items\/1\?q=a(%20|\+)b&q=c$/;
      assert.match(seen.url, query);
      assert.ok(seen.rawHeaders.includes("x-custom"));
      assert.ok(seen.rawHeaders.includes("x-amzn-lambda-context"));

      const missing = await emulate.fetch("/_/status/404");
      assert.equal(missing.status, 404);
      await missing.body?.cancel();
      await emulate.child.waitForLine(/GET \/_\/status\/404 -> 404 in \d+ ms/);
    });
  }
});

Deno.test("emulate serves httpbin on gunicorn, compressed bodies untouched", async () => {
  await using emulate = await startEmulate({ app: HTTPBIN, args: ["--event-source", "alb"] });
  const anything = await (await emulate.fetch("/anything?a=1&a=2")).json();
  assert.deepEqual(anything.args, { a: "2" }); // ALB without multi-value: the last value
  const teapot = await emulate.fetch("/status/418");
  assert.equal(teapot.status, 418);
  await teapot.body?.cancel();
  const gzip = await emulate.fetch("/gzip");
  assert.equal((await gzip.json()).gzipped, true); // fetch decompressed what the app compressed
});

Deno.test("emulate passes a stream through as it arrives, and whole on the RIE path", async () => {
  await using emulate = await startEmulate({
    app: DENO_APP,
    args: ["--timeout", "60"],
    env: { AWS_LWA_INVOKE_MODE: "response_stream" },
  });
  const short = await emulate.fetch("/_/sse/3/10");
  assert.match(short.headers.get("content-type")!, /^text\/event-stream/);
  const events = (await short.text()).split("\n\n").filter(Boolean);
  assert.deepEqual(events.map((event) => event.split("\n")[0]), ["id: 0", "id: 1", "id: 2"]);
  await emulate.child.waitForLine(/GET \/_\/sse\/3\/10 -> streamed \d+ bytes/);

  // The RIE path answers a stream whole: prelude, 8 NULs, body, as AWS's emulator does.
  const event = loadEvent("aws-lambda-go/lambda-urls-request.json");
  const rie = await emulate.fetch(RIE_PATH, {
    method: "POST",
    body: JSON.stringify({ ...event, rawPath: "/_/cookies", rawQueryString: "" }),
  });
  assert.equal(rie.status, 200);
  assert.equal(rie.headers.get("content-type"), "application/octet-stream");
  const whole = new TextDecoder().decode(await rie.arrayBuffer());
  const nuls = whole.indexOf("\0".repeat(8));
  assert.ok(nuls > 0, whole);
  const prelude = JSON.parse(whole.slice(0, nuls));
  assert.equal(prelude.statusCode, 200);
  assert.deepEqual(prelude.cookies, ["a=1; Path=/", "b=2; HttpOnly"]);
  assert.equal(whole.slice(nuls + 8), "cookies");
  await emulate.child.waitForLine(
    /^POST \/2015-03-31\/functions\/function\/invocations -> streamed 7 bytes/,
  );

  // 1,000 events 100 ms apart take 100 s: the first one can only come now if it is passed on
  // as it arrives.
  const long = await emulate.fetch("/_/sse/1000/100");
  const reader = long.body!.pipeThrough(new TextDecoderStream()).getReader();
  const first = (await reader.read()).value!;
  assert.match(first, /^id: 0\ndata: event 0 at \d+\n\n/);
  await reader.cancel();
});

Deno.test("invoke replays saved events from a file and from standard input", async () => {
  await using emulate = await startEmulate({ app: EXPRESS_APP });
  const sqs = new URL("tests/fixtures/events/aws-lambda-go/sqs-event.json", ROOT).pathname;
  await using fromFile = new Child(
    "invoke",
    cliCommand(["invoke", "--event", sqs, "--url", emulate.url]),
    {},
  );
  assert.equal((await fromFile.status()).code, 0);
  const echo = JSON.parse(fromFile.output());
  assert.equal(echo.url, "/events");
  assert.deepEqual(JSON.parse(echo.body), JSON.parse(await Deno.readTextFile(sqs)));

  const alb = new URL(
    "tests/fixtures/events/aws-lambda-go/alb-lambda-target-request-headers-only.json",
    ROOT,
  ).pathname;
  const process = new Deno.Command(cliCommand([])[0]!, {
    args: [...cliCommand(["invoke", "--url", emulate.url]).slice(1)],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = process.stdin.getWriter();
  await writer.write(await Deno.readFile(alb));
  await writer.close();
  const { code, stdout } = await process.output();
  assert.equal(code, 0);
  const result = JSON.parse(new TextDecoder().decode(stdout));
  assert.equal(result.statusDescription, "200 OK");
  assert.equal(JSON.parse(result.body).url, "/?key=hello");
});

Deno.test("invoke runs every event of a folder and prints a summary table", async () => {
  await using emulate = await startEmulate({ app: EXPRESS_APP });
  const dir = await Deno.makeTempDir();
  try {
    const copy = async (name: string, to: string, change: Record<string, unknown> = {}) => {
      await Deno.mkdir(`${dir}/${to}`.replace(/\/[^/]*$/, ""), { recursive: true });
      await Deno.writeTextFile(`${dir}/${to}`, JSON.stringify({ ...loadEvent(name), ...change }));
    };
    const url = "aws-lambda-go/lambda-urls-request.json";
    await copy("aws-lambda-go/alb-lambda-target-request-headers-only.json", "alb.json");
    await copy("aws-lambda-go/apigw-v2-request-no-authorizer.json", "http-api.json");
    await copy("aws-lambda-go/apigw-request.json", "rest/apigw.json");
    await copy("aws-lambda-go/sqs-event.json", "sqs.json");
    await copy(url, "url.json");
    // A method that is not a string: the adapter fails this one invocation, readably.
    const broken = loadEvent(url) as { requestContext: { http: Record<string, unknown> } };
    broken.requestContext.http.method = 42;
    await copy(url, "zz-broken.json", { requestContext: broken.requestContext });
    await Deno.writeTextFile(`${dir}/notes.txt`, "not an event");

    await using run = new Child("invoke", cliCommand(["invoke", dir, "--url", emulate.url]), {});
    assert.equal((await run.status()).code, 1, "an event failed");
    const rows = run.lines.map((line) => line.split(/\s{2,}/));
    assert.deepEqual(rows[0], ["FILE", "SOURCE", "STATUS", "DURATION", "SIZE"]);
    assert.deepEqual(rows.slice(1, -1).map((row) => row.slice(0, 3)), [
      ["alb.json", "alb", "200"],
      ["http-api.json", "http-api", "200"],
      ["rest/apigw.json", "rest-api", "200"],
      ["sqs.json", "pass-through", "ok"],
      ["url.json", "function-url", "200"],
      ["zz-broken.json", "function-url", "LambdaAdapter.InvalidRequest"],
    ]);
    for (const row of rows.slice(1, -1)) {
      assert.match(row[3]!, /^\d+ ms$/);
      assert.match(row[4]!, /^\d+(\.\d)? (B|KiB)$/);
    }
    assert.equal(run.lines.at(-1), "6 events, 1 failed: LambdaAdapter.InvalidRequest");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
