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

Deno.test("requestTarget() encodes like the WHATWG URL setters, dot segments aside", () => {
  assert.equal(requestTarget("/Año_1234", ""), "/A%C3%B1o_1234");
  assert.equal(requestTarget('/a b/"q"', ""), "/a%20b/%22q%22");
  assert.equal(requestTarget("/a%2Fb/100%", ""), "/a%2Fb/100%");
  assert.equal(requestTarget("noslash", ""), "/noslash");
  assert.equal(requestTarget("/p?x#y", ""), "/p%3Fx%23y");
  assert.equal(requestTarget("/", "a=b c&d='e'#f"), "/?a=b%20c&d=%27e%27%23f");
  assert.equal(requestTarget("/", "a=%20+b"), "/?a=%20+b");
  assert.equal(requestTarget("/", "?lead"), "/??lead");
  assert.equal(requestTarget("/x", ""), "/x");
});

Deno.test("requestTarget() keeps the path API Gateway routed on: no dot segment is resolved", () => {
  // Issue 9, point 3: a route such as /public/{proxy+} matched these paths, so the app must see
  // them as they are, never the /admin they would resolve to.
  const cases: [string, string][] = [
    ["/public/../admin", "/public/../admin"],
    ["/public/%2e%2e/admin", "/public/%2e%2e/admin"],
    ["/public/%2E%2E/admin", "/public/%2E%2E/admin"],
    ["/public/.%2e/admin", "/public/.%2e/admin"],
    ["/public/./admin", "/public/./admin"],
    ["/public/%2e/admin", "/public/%2e/admin"],
    ["/public/..", "/public/.."],
    ["/public\\..\\admin", "/public%5C..%5Cadmin"],
    ["/a/../../../etc/passwd", "/a/../../../etc/passwd"],
    ["/ünï/../cødé/💳", "/%C3%BCn%C3%AF/../c%C3%B8d%C3%A9/%F0%9F%92%B3"],
  ];
  for (const [path, target] of cases) assert.equal(requestTarget(path, ""), target, path);
});

Deno.test("requestTarget() encodes every character a request target cannot hold", () => {
  assert.equal(requestTarget("/a\tb\nc\rd\x00e\x7f", ""), "/a%09b%0Ac%0Dd%00e%7F");
  assert.equal(requestTarget("/x", "a=\t\n"), "/x?a=%09%0A");
  assert.equal(requestTarget("/x", "k=𝄞&é=ü"), "/x?k=%F0%9D%84%9E&%C3%A9=%C3%BC");
  assert.equal(requestTarget("", ""), "/");
});
