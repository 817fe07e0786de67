/**
 * Every way this adapter may differ from LWA, as the conformance suite checks it: one entry per
 * row of docs/differences-from-lwa.md (same id). Each entry recognises its own difference in a
 * pair of observations and reconciles the two views; whatever is left must be equal. An entry
 * only accepts the precise relation it describes (LWA's `Content-Length: 0` on a request with
 * no body, not any missing `Content-Length`), so an unlisted difference still fails.
 *
 * @module
 */

import type { CaseContext, Difference } from "./lwa_difference_kit.ts";
import type { View } from "./observation_view.ts";
import { EVENT_DIFFERENCES } from "./lwa_differences_events.ts";
import { REQUEST_DIFFERENCES } from "./lwa_differences_requests.ts";
import { RESULT_DIFFERENCES } from "./lwa_differences_results.ts";

export type { CaseContext, Difference } from "./lwa_difference_kit.ts";

/** The differences, most sweeping first. */
export const DIFFERENCES: readonly Difference[] = [
  ...EVENT_DIFFERENCES,
  ...REQUEST_DIFFERENCES,
  ...RESULT_DIFFERENCES,
];

/** Runs every entry over copies of the views; returns the ids used and what still differs. */
export function reconcile(
  lwa: View,
  ours: View,
  c: CaseContext,
): { used: string[]; lwa: View; ours: View } {
  const [a, b] = [structuredClone(lwa), structuredClone(ours)];
  // An HTTP result is a document Lambda parses, so only its JSON value counts; a pass-through
  // result reaches the caller as it is, so its bytes count too.
  for (const view of [a, b]) {
    if (c.source !== "passThrough" && view.result.kind === "response") view.result.raw = "";
  }
  const used: string[] = [];
  for (const difference of DIFFERENCES) {
    if (difference.reconcile(a, b, c)) used.push(difference.id);
  }
  return { used, lwa: a, ours: b };
}
