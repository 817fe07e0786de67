/**
 * Conformance with the real LWA: every event fixture and the hand-written edge cases
 * (tests/support/conformance_cases_*.ts, profiles in conformance_profiles.ts) go through the Rust LWA binary (../shared/tools) and through this adapter, each against the same
 * scripted app, with the same invocation headers. The requests the app saw and the results
 * Lambda got must be equal, except for the differences tests/support/lwa_differences.ts lists
 * (the rows of docs/differences-from-lwa.md). An edge case names the differences it exists to
 * show; it must show those and no other, except the everyday ones in `AMBIENT`.
 */

import assert from "node:assert/strict";
import { AdapterPair } from "./support/adapter_pair.ts";
import type { Profile } from "./support/conformance_events.ts";
import { PROFILES } from "./support/conformance_profiles.ts";
import { DIFFERENCES, reconcile } from "./support/lwa_differences.ts";
import { differences, viewOf } from "./support/observation_view.ts";
import { DEFAULT_RESPONSE } from "./support/recording_app.ts";
import { referenceBinary, skipWith } from "./support/reference_tools.ts";
import { detectSource } from "../src/events/detect.ts";
import type { InvokeOptions } from "../src/emulator/mod.ts";

const LWA = referenceBinary("lwa-lambda-adapter");
const ignore = skipWith(LWA.skip && `conformance with LWA: ${LWA.skip}`);

/** Differences that ordinary events show, so an edge case need not name them. */
const AMBIENT = new Set([
  "field-name-case",
  "content-length-zero",
  "lambda-context-tenant-id",
  "request-context",
  "v2-empty-multivalueheaders",
  "alb-header-mode",
  "pass-through-json-as-written",
  "pass-through-payload-whitespace",
  "vary-spelling",
]);

/**
 * Differences that appear only once the lead's path and header changes land (paths as API
 * Gateway routed them; `_` spellings of adapter headers dropped). Until then their cases accept
 * both outcomes; remove an id from here when its change is merged.
 */
const LANDING = new Set<string>();

const used = new Set<string>();

const TRACE = "Root=1-67700000-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=0";

function payload(event: unknown): Uint8Array {
  return event instanceof Uint8Array ? event : new TextEncoder().encode(JSON.stringify(event));
}

function parsed(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

async function runProfile(t: Deno.TestContext, profile: Profile): Promise<void> {
  await using pair = new AdapterPair(LWA.path, profile.env);
  await pair.start();
  await t.step("readiness probe", () => {
    const probe = (side: typeof pair.lwa) => {
      const first = side.app.probes[0]!;
      const names = first.headers.map(([name]) => name.toLowerCase()).sort();
      return { method: first.method, target: first.target, names, body: first.body.length };
    };
    assert.deepEqual(probe(pair.ours), probe(pair.lwa));
  });
  for (const testCase of profile.cases) {
    await t.step(testCase.name, async () => {
      const bytes = payload(testCase.event);
      const event = parsed(bytes);
      const response = testCase.response ?? DEFAULT_RESPONSE;
      const options: InvokeOptions = {
        requestId: crypto.randomUUID(),
        traceId: TRACE,
        headers: { "Lambda-Runtime-Deadline-Ms": `${Date.now() + 600_000}` },
        ...testCase.invoke,
      };
      const observed = await pair.run(bytes, options, response);
      const context = { event, source: detectSource(event).source, env: profile.env, response };
      const lwaView = viewOf(observed.lwa, pair.lwa.app.port);
      const oursView = viewOf(observed.ours, pair.ours.app.port);
      const outcome = reconcile(lwaView, oursView, context);
      const left = differences(outcome.lwa, outcome.ours);
      for (const id of outcome.used) used.add(id);
      if (Deno.env.get("CONFORMANCE_REPORT")) {
        // deno-lint-ignore no-console -- asked for: which differences each case shows
        console.log(`[${profile.name}] ${testCase.name}: ${outcome.used.join(", ") || "-"}`);
      }
      if (left.length > 0) {
        const sides = { LWA: observed.lwa, ours: observed.ours };
        const crashes = Object.entries(sides).flatMap(([name, seen]) =>
          seen.outcome.kind === "crash"
            ? [`${name} crashed; its output:\n${seen.outcome.output}`]
            : []
        );
        assert.fail(
          `differences no row of docs/differences-from-lwa.md explains:\n${left.join("\n")}` +
            crashes.map((crash) => `\n${crash}`).join(""),
        );
      }
      if (testCase.shows === undefined) return;
      const shown = new Set(outcome.used);
      const missing = testCase.shows.filter((id) => !shown.has(id) && !LANDING.has(id));
      const extra = outcome.used.filter((id) =>
        !testCase.shows!.includes(id) && !testCase.may?.includes(id) && !AMBIENT.has(id)
      );
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
    });
  }
}

for (const profile of PROFILES) {
  Deno.test({
    name: `conformance with LWA: ${profile.name}`,
    ignore,
    fn: (t) => runProfile(t, profile),
  });
}

Deno.test("conformance with LWA: every listed difference is named by a case", () => {
  const named = new Set(PROFILES.flatMap((profile) => profile.cases.flatMap((c) => c.shows ?? [])));
  assert.deepEqual(DIFFERENCES.map(({ id }) => id).filter((id) => !named.has(id)), []);
});

Deno.test({
  name: "conformance with LWA: every listed difference is shown by some case",
  ignore,
  fn() {
    const unused = DIFFERENCES.map(({ id }) => id).filter((id) =>
      !used.has(id) && !LANDING.has(id)
    );
    assert.deepEqual(unused, []);
  },
});
