import assert from "node:assert/strict";
import { removeBasePath, requestTarget } from "./target.ts";

Deno.test("removeBasePath() strips whole segments only", () => {
  assert.equal(removeBasePath("/prod", "/prod"), "/");
  assert.equal(removeBasePath("/prod/x", "/prod"), "/x");
  assert.equal(removeBasePath("/production/x", "/prod"), "/production/x");
  assert.equal(removeBasePath("/other/prod", "/prod"), "/other/prod");
  assert.equal(removeBasePath("/prod/prod/x", "/prod"), "/prod/x");
  assert.equal(removeBasePath("/x", undefined), "/x");
});

Deno.test("requestTarget() encodes like the WHATWG URL setters", () => {
  assert.equal(requestTarget("/Año_1234", ""), "/A%C3%B1o_1234");
  assert.equal(requestTarget('/a b/"q"', ""), "/a%20b/%22q%22");
  assert.equal(requestTarget("/a%2Fb/100%", ""), "/a%2Fb/100%");
  assert.equal(requestTarget("/a/../b/./c", ""), "/b/c");
  assert.equal(requestTarget("noslash", ""), "/noslash");
  assert.equal(requestTarget("/p?x#y", ""), "/p%3Fx%23y");
  assert.equal(requestTarget("/", "a=b c&d='e'#f"), "/?a=b%20c&d=%27e%27%23f");
  assert.equal(requestTarget("/", "a=%20+b"), "/?a=%20+b");
  assert.equal(requestTarget("/", "?lead"), "/??lead");
  assert.equal(requestTarget("/x", ""), "/x");
});
