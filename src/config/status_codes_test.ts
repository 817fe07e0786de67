import assert from "node:assert/strict";
import { formatStatusRanges, parseStatusRanges, statusMatches } from "./status_codes.ts";

Deno.test("parseStatusRanges() reads codes and inclusive ranges", () => {
  assert.deepEqual(parseStatusRanges("500,502-504,422"), [[500, 500], [502, 504], [422, 422]]);
  assert.deepEqual(parseStatusRanges(" 200-299 , 404 "), [[200, 299], [404, 404]]);
  assert.deepEqual(parseStatusRanges("200,,404"), [[200, 200], [404, 404]]);
});

Deno.test("parseStatusRanges() reads numbers as Rust's u16 parser does, as LWA does", () => {
  assert.deepEqual(parseStatusRanges("+500,0502-0504"), [[500, 500], [502, 504]]);
  assert.deepEqual(parseStatusRanges("0-999"), [[0, 999]]);
});

Deno.test("parseStatusRanges() rejects what LWA silently skips", async (t) => {
  for (
    const bad of [
      "invalid",
      "500-invalid",
      "200-300-400",
      "-1",
      "",
      ",",
      "99",
      "600",
      "300-200",
      "2xx",
      "200 - 299",
      "200- 299",
      "500,5xx",
      "70000",
      "1000-2000",
      "500-",
    ]
  ) {
    await t.step(JSON.stringify(bad), () => {
      assert.throws(() => parseStatusRanges(bad), SyntaxError);
    });
  }
});

Deno.test("statusMatches() tests membership", () => {
  const ranges = parseStatusRanges("200-399,404");
  assert.equal(statusMatches(ranges, 200), true);
  assert.equal(statusMatches(ranges, 399), true);
  assert.equal(statusMatches(ranges, 404), true);
  assert.equal(statusMatches(ranges, 400), false);
  assert.equal(statusMatches(ranges, 503), false);
  assert.equal(formatStatusRanges(ranges), "200-399,404");
});
