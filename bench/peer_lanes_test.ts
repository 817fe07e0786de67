import assert from "node:assert/strict";
import { turns } from "./peer_lanes.ts";

Deno.test("turns() alternates the lane order round by round (ABBA)", () => {
  assert.deepEqual([0, 1, 2, 3].map((round) => turns(2, round)), [[0, 1], [1, 0], [0, 1], [1, 0]]);
  assert.deepEqual(turns(4, 1), [3, 2, 1, 0]);
  assert.deepEqual(turns(1, 1), [0]);
});
