/**
 * `lambda-adapter emulate --inspect`: the page shows each invocation live, hop by hop (driven
 * in Debian's headless Chromium), replays it, and its API keeps what the page shows: streams,
 * fixtures `invoke` takes back, edited events, masked secrets.
 */

import assert from "node:assert/strict";
import { Browser, browserSkip } from "./support/browser.ts";
import { skipWith } from "./support/reference_tools.ts";
import { Child, cliCommand, type Emulate, startEmulate } from "./harness.ts";

const ROOT = new URL("../", import.meta.url);
const DENO_APP = [
  Deno.execPath(),
  "run",
  "--allow-net",
  "--allow-env",
  new URL("tests/apps/echo_app.ts", ROOT).pathname,
];

async function inspectorOf(emulate: Emulate): Promise<string> {
  const line = await emulate.child.waitForLine(/^Inspector on http:/);
  return /http:\/\/\S+/.exec(line)![0];
}

async function json(url: string, init?: RequestInit) {
  const response = await fetch(url, init);
  assert.ok(response.ok, `${url}: ${response.status}`);
  return await response.json();
}

/** Waits (bounded) until the inspector has invocation `seq` finished. */
async function finished(inspector: string, seq: number) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await fetch(`${inspector}/api/invocations/${seq}`);
    if (response.ok) {
      const detail = await response.json();
      if (detail.done) return detail;
    } else await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`invocation ${seq} did not finish`);
}

Deno.test({
  name: "the inspector page shows an invocation live, its four panes, and replays it",
  ignore: skipWith(browserSkip()),
  async fn() {
    await using emulate = await startEmulate({
      app: DENO_APP,
      args: ["--event-source", "rest-api", "--inspect=0"],
    });
    const inspector = await inspectorOf(emulate);
    await using browser = Browser.start();
    await browser.goto(inspector);
    await browser.waitForText("#live", "live");
    assert.equal(await browser.count("tr.row"), 0);

    // A REST request with a binary body (not UTF-8), sent after the page opened.
    const body = Uint8Array.from({ length: 64 }, (_, i) => (i * 37) % 256);
    const answer = await emulate.fetch("/_/bytes/16?x=1", {
      method: "POST",
      headers: { "content-type": "application/octet-stream", authorization: "Bearer s3cr3t" },
      body,
    });
    assert.deepEqual(
      new Uint8Array(await answer.arrayBuffer()),
      Uint8Array.from({ length: 16 }, (_, i) => i),
    );
    await browser.waitForText('tr.row[data-seq="1"] .status', "200");
    const row = await browser.text('tr.row[data-seq="1"]');
    assert.match(row, /POST \/_\/bytes\/16\?x=1\s+rest-api\s+200\s+[\d.]+ ms\s+\d+ MB\s+buffered/);

    await browser.click('tr.row[data-seq="1"]');
    await browser.waitForText("#pane-result .content", "statusCode");
    const event = await browser.text("#pane-event .content");
    assert.match(event, /"httpMethod": "POST"/);
    assert.match(event, /"isBase64Encoded": true/);
    assert.ok(event.includes(`"body": "${body.toBase64()}"`), event);
    assert.match(event, /"authorization": "\*+ \(masked, 13 bytes\)"/);
    assert.doesNotMatch(event, /s3cr3t/);

    const request = await browser.text("#pane-request .content");
    assert.match(request, /^POST \/_\/bytes\/16\?x=1 HTTP\/1\.1\n/);
    assert.match(request, /content-type: application\/octet-stream/);
    assert.match(request, /x-amzn-lambda-context: \{"request_id":/);
    assert.match(request, /authorization: \*+ \(masked/);
    assert.ok(request.includes("00000000  00 25 4a 6f 94 b9 de 03"), "the binary body in hex");

    const response = await browser.text("#pane-response .content");
    assert.match(response, /^200 OK\n/);
    assert.match(response, /content-type: application\/octet-stream/);
    assert.ok(response.includes("00000000  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f"));

    const result = await browser.text("#pane-result .content");
    assert.match(result, /"statusCode": 200/);
    assert.match(result, /"body": "AAECAwQFBgcICQoLDA0ODw=="/);
    assert.match(result, /"isBase64Encoded": true/);
    assert.match(await browser.text("#pane-logs .content"), /REPORT RequestId: \S+ +Duration/);

    await browser.click("#replay");
    await browser.waitForCount("tr.row", 2);
    await browser.waitForText('tr.row[data-seq="2"] .status', "200");
    assert.match(await browser.text('tr.row[data-seq="2"]'), /POST \/_\/bytes\/16\s+rest-api/);
    await browser.waitForText("#facts", "replay of #1");

    const dir = await Deno.makeTempDir();
    try {
      await browser.screenshot(`${dir}/inspector.png`);
      const png = await Deno.readFile(`${dir}/inspector.png`);
      assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], "a PNG");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    assert.deepEqual(await browser.problems(), []);
  },
});

Deno.test("the inspector keeps a stream's prelude, chunk timings and the app's chunks", async () => {
  await using emulate = await startEmulate({
    app: DENO_APP,
    args: ["--inspect=0", "--timeout", "30"],
    env: { AWS_LWA_INVOKE_MODE: "response_stream" },
  });
  const inspector = await inspectorOf(emulate);
  assert.match(await (await emulate.fetch("/_/sse/3/20")).text(), /id: 2/);
  const detail = await finished(inspector, 1);
  assert.equal(detail.streamed, true);
  assert.equal(detail.status, "200");
  assert.equal(detail.result.kind, "stream");
  assert.equal(detail.result.prelude.statusCode, 200);
  assert.ok(detail.result.chunkCount >= 1);
  assert.ok(detail.result.chunks.every((chunk: { atMs: number }) => chunk.atMs >= 0));
  assert.equal(detail.appResponse.status, 200);
  assert.ok(detail.appResponse.chunkCount >= 3, "the app wrote one chunk per event");
  assert.match(atob(detail.appResponse.body.base64), /id: 0[\s\S]*id: 2/);
});

Deno.test("a saved fixture replays with invoke; an edited event is invoked; secrets shown on request", async () => {
  await using emulate = await startEmulate({
    app: DENO_APP,
    args: ["--inspect=0", "--inspect-show-secrets"],
  });
  const inspector = await inspectorOf(emulate);
  const first = await emulate.fetch("/items/\u00e9?q=1", { headers: { "x-api-key": "k-123" } });
  assert.equal(first.status, 200);
  await first.body?.cancel();
  const detail = await finished(inspector, 1);
  assert.ok(
    detail.appRequest.headers.some(([n, v]: string[]) => n === "x-api-key" && v === "k-123"),
  );

  const fixture = await fetch(`${inspector}/api/invocations/1/fixture`);
  assert.match(
    fixture.headers.get("content-disposition")!,
    /filename="function-url-get-items.*\.json"/,
  );
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/event.json`, new Uint8Array(await fixture.arrayBuffer()));
    await using run = new Child(
      "invoke",
      cliCommand(["invoke", `${dir}/event.json`, "--url", emulate.url]),
      {},
    );
    assert.equal((await run.status()).code, 0, run.output());
    assert.equal(JSON.parse(run.output()).statusCode, 200);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const invoked = await finished(inspector, 2);
  assert.equal(invoked.via, "RIE endpoint");
  assert.equal(invoked.path, "/items/%C3%A9");

  const edited = JSON.parse(atob(detail.event.base64));
  edited.rawPath = "/edited";
  const sent = await json(`${inspector}/api/invoke`, {
    method: "POST",
    body: JSON.stringify(edited),
  });
  const after = await finished(inspector, sent.seq);
  assert.equal(after.via, "edited");
  assert.equal(after.appRequest.target, "/edited?q=1");
  const list = await json(`${inspector}/api/invocations`);
  assert.equal(list.kept, 200);
  assert.deepEqual(list.invocations.map((s: { seq: number }) => s.seq), [3, 2, 1]);
});
