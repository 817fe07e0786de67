/**
 * The adapter as Lambda runs it, under AWS's Runtime Interface Emulator (../shared/tools): an
 * executable at /opt/extensions/lambda-adapter, started by RIE as an external extension, beside
 * the app RIE runs as the function's runtime. /opt is a tmpfs in a private mount namespace, so
 * the real /opt is never touched; the namespace also has its own PID space, so everything in it
 * ends with it. Every event source goes through, buffered and streamed.
 */

import assert from "node:assert/strict";
import { adapterCommand, Child, freePort } from "./harness.ts";
import { loadEvent } from "./fixtures.ts";
import { mountNamespaceSkip, referenceBinary, skipWith } from "./support/reference_tools.ts";
import { sleep } from "../src/util/async.ts";

const RIE = referenceBinary("aws-lambda-rie");
const ignore = skipWith(
  RIE.skip ? `RIE: ${RIE.skip}` : mountNamespaceSkip()?.replace(/^/, "RIE: "),
);
const ECHO_APP = new URL("./apps/echo_app.ts", import.meta.url).pathname;

/** `sh` quoting. */
function quote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** RIE with the adapter installed in a private /opt, serving the echo app. */
async function startRie(env: Record<string, string>) {
  const dir = await Deno.makeTempDir({ prefix: "rie-" });
  const wrapper = `${dir}/lambda-adapter`;
  // Lambda needs an executable named as the extension registers; `deno run` needs its flags.
  await Deno.writeTextFile(
    wrapper,
    `#!/bin/sh\nexec ${adapterCommand().map(quote).join(" ")} "$@"\n`,
    { mode: 0o755 },
  );
  const port = freePort();
  const appPort = freePort();
  const install = "mount -t tmpfs tmpfs /opt && mkdir /opt/extensions && " +
    'cp "$0" /opt/extensions/lambda-adapter && exec "$@"';
  const rie = new Child("rie", [
    "unshare",
    "--mount",
    "--pid",
    "--fork",
    "--kill-child",
    "sh",
    "-c",
    install,
    wrapper,
    RIE.path,
    "--runtime-interface-emulator-address",
    `127.0.0.1:${port}`,
    Deno.execPath(),
    "run",
    "--allow-net",
    "--allow-env",
    ECHO_APP,
  ], { env: { PORT: `${appPort}`, AWS_LWA_PORT: `${appPort}`, ...env } });
  await waitForListener(port, rie);
  return {
    rie,
    async invoke(event: unknown): Promise<Uint8Array> {
      const response = await fetch(
        `http://127.0.0.1:${port}/2015-03-31/functions/function/invocations`,
        { method: "POST", body: JSON.stringify(event) },
      );
      return new Uint8Array(await response.arrayBuffer());
    },
    async [Symbol.asyncDispose]() {
      await rie[Symbol.asyncDispose]();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function waitForListener(port: number, child: Child): Promise<void> {
  const exited = child.status().then(() => {
    throw new Error(`RIE exited:\n${child.output()}`);
  });
  for (;;) {
    try {
      (await Promise.race([Deno.connect({ hostname: "127.0.0.1", port }), exited])).close();
      return;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("RIE exited")) throw error;
      await sleep(20);
    }
  }
}

const json = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes));

const REST = loadEvent("aws-lambda-rust-runtime/apigw_proxy_request.json");
const HTTP_API = loadEvent("aws-lambda-go/apigw-v2-request-iam.json");
const FUNCTION_URL = loadEvent("aws-lambda-rust-runtime/lambda_function_url_request.json");
const ALB = loadEvent("aws-lambda-go/alb-lambda-target-request-headers-only.json");
const LATTICE = loadEvent("powertools-lambda-python/vpcLatticeV2Event.json");
const WEBSOCKET = loadEvent("aws-lambda-go/apigw-websocket-request-send-message.json");
const SQS = loadEvent("aws-lambda-go/sqs-event.json");

Deno.test({
  name: "RIE runs the adapter from /opt/extensions and it serves every event source",
  ignore,
  async fn() {
    await using rie = await startRie({});
    const rest = json(await rie.invoke({ ...REST, path: "/rest/Año" }));
    assert.equal(rest.statusCode, 200);
    assert.equal(JSON.parse(rest.body).path, "/rest/A%C3%B1o");
    assert.ok(rest.multiValueHeaders["content-type"]);

    const http = json(await rie.invoke({ ...HTTP_API, rawPath: "/_/cookies" }));
    assert.deepEqual(http.cookies, ["a=1; Path=/", "b=2; HttpOnly"]);

    const url = json(await rie.invoke({ ...FUNCTION_URL, rawPath: "/url" }));
    assert.equal(JSON.parse(url.body).query, FUNCTION_URL.rawQueryString);

    const alb = json(await rie.invoke({ ...ALB, path: "/_/status/404" }));
    assert.deepEqual([alb.statusCode, alb.statusDescription], [404, "404 Not Found"]);

    const lattice = json(await rie.invoke(LATTICE));
    assert.equal(lattice.statusCode, 200);
    assert.equal(JSON.parse(lattice.body).method, "GET");

    const websocket = json(await rie.invoke(WEBSOCKET));
    assert.equal(JSON.parse(websocket.body).path, "/websocket/default");

    const sqs = json(await rie.invoke(SQS));
    assert.deepEqual([sqs.method, sqs.path], ["POST", "/events"]);
    assert.deepEqual(JSON.parse(sqs.body), SQS);

    const binary = json(await rie.invoke({ ...HTTP_API, rawPath: "/_/bytes/1000" }));
    assert.equal(binary.isBase64Encoded, true);
    assert.deepEqual(
      Uint8Array.fromBase64(binary.body),
      Uint8Array.from({ length: 1000 }, (_, i) => i % 256),
    );

    // RIE started the adapter as an external extension named after its file, and the adapter
    // subscribed to SHUTDOWN.
    await rie.rie.waitForLine(
      /External agent lambda-adapter .* registered, subscribed to \[SHUTDOWN\]/,
    );
  },
});

/** Splits RIE's raw streamed answer into the prelude and the body after the 8 NULs. */
function splitStream(bytes: Uint8Array): { prelude: Record<string, unknown>; body: Uint8Array } {
  for (let i = 0; i + 8 <= bytes.length; i++) {
    if (bytes.subarray(i, i + 8).every((byte) => byte === 0)) {
      return { prelude: json(bytes.subarray(0, i)), body: bytes.subarray(i + 8) };
    }
  }
  throw new Error(`no prelude delimiter in ${new TextDecoder().decode(bytes.subarray(0, 200))}`);
}

Deno.test({
  name: "RIE runs the adapter in response_stream mode: prelude, NULs, body",
  ignore,
  async fn() {
    await using rie = await startRie({ AWS_LWA_INVOKE_MODE: "response_stream" });
    const stream = splitStream(await rie.invoke({ ...FUNCTION_URL, rawPath: "/_/stream/200000" }));
    assert.equal(stream.prelude.statusCode, 200);
    assert.equal(
      (stream.prelude.headers as Record<string, string>)["content-type"],
      "application/octet-stream",
    );
    assert.deepEqual(stream.body, Uint8Array.from({ length: 200_000 }, (_, i) => i % 251));

    const cookies = splitStream(await rie.invoke({ ...REST, path: "/_/cookies" }));
    assert.deepEqual(cookies.prelude.cookies, ["a=1; Path=/", "b=2; HttpOnly"]);
    assert.equal(new TextDecoder().decode(cookies.body), "cookies");

    const events = splitStream(await rie.invoke({ ...FUNCTION_URL, rawPath: "/_/sse/3/1" }));
    assert.equal(
      (events.prelude.headers as Record<string, string>)["content-type"],
      "text/event-stream",
    );
    assert.equal(new TextDecoder().decode(events.body).match(/^data: event \d/gm)?.length, 3);

    // Sources that cannot take a stream get their own buffered shape.
    const alb = json(await rie.invoke({ ...ALB, path: "/_/status/201" }));
    assert.deepEqual([alb.statusCode, alb.statusDescription], [201, "201 Created"]);
  },
});
