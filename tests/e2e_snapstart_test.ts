/**
 * SnapStart (`AWS_LAMBDA_INITIALIZATION_TYPE=snap-start`): Lambda snapshots the sandbox when
 * init ends and restores it later, and a connection opened before the snapshot is stale after
 * it (LWA#671). Init is the only time before the snapshot, so the rule checked here is: no
 * connection opened during init (the readiness probes) ever carries an invocation, while
 * invocations still reuse their own connections. LWA instead turns pooling off altogether.
 */

import assert from "node:assert/strict";
import { adapterCommand } from "./harness.ts";
import { Side } from "./support/adapter_pair.ts";

const EVENT = new TextEncoder().encode(JSON.stringify({
  version: "2.0",
  rawPath: "/snap",
  rawQueryString: "",
  headers: { host: "example.com" },
  requestContext: { http: { method: "GET", path: "/snap" } },
  isBase64Encoded: false,
}));
const RESPONSE = { status: 200, headers: [["content-type", "text/plain"]] as const, body: "ok" };

/** The connections the probes and three invocations came on. */
async function connections(env: Record<string, string>) {
  await using side = new Side("ours", adapterCommand(), env);
  await side.start();
  const probes = side.app.probes.map((probe) => probe.connection);
  const invocations: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { requests, outcome } = await side.invoke(EVENT, {}, RESPONSE);
    assert.equal(outcome.kind, "response");
    invocations.push(requests[0]!.connection);
  }
  return { probes, invocations };
}

Deno.test("SnapStart: no connection opened during init carries an invocation", async () => {
  const { probes, invocations } = await connections({
    AWS_LAMBDA_INITIALIZATION_TYPE: "snap-start",
  });
  assert.ok(probes.length >= 1);
  for (const connection of invocations) assert.ok(!probes.includes(connection));
  // After the restore, invocations pool their connection as usual.
  assert.deepEqual(invocations, [invocations[0], invocations[0], invocations[0]]);
});

Deno.test("without SnapStart the probe's connection serves the first invocation", async () => {
  const { probes, invocations } = await connections({
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
  });
  assert.deepEqual(invocations, [probes.at(-1), probes.at(-1), probes.at(-1)]);
});
