import assert from "node:assert/strict";
import { createFinishedIds } from "./finished_ids.ts";

Deno.test("createFinishedIds() remembers recent ids and forgets on request", () => {
  const ids = createFinishedIds(100);
  ids.remember("a", "timedOut");
  ids.remember("b", "alreadyCompleted");
  assert.equal(ids.get("a"), "timedOut");
  assert.equal(ids.get("b"), "alreadyCompleted");
  ids.forget("a");
  assert.equal(ids.get("a"), undefined);
});

Deno.test("createFinishedIds() keeps between capacity / 2 and capacity ids", () => {
  const ids = createFinishedIds(10);
  for (let index = 0; index < 22; index++) ids.remember(`id${index}`, "alreadyCompleted");
  assert.equal(ids.get("id21"), "alreadyCompleted");
  assert.equal(ids.get("id15"), "alreadyCompleted");
  assert.equal(ids.get("id14"), undefined);
});
