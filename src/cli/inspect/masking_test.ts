import assert from "node:assert/strict";
import { isSecretHeader, mask, maskHeaders, maskJson } from "./masking.ts";
import { CapturedBody } from "./record.ts";
import { bodyView, downloadBytes } from "./views.ts";

const SECRET = "Bearer t\u00f6ken \u{1F511}";
const event = {
  headers: { Authorization: SECRET, "X-Api-Key": "k", "x-custom": "shown" },
  multiValueHeaders: { cookie: ["a=1", "b=2"], "x-amz-security-token": ["t"] },
  cookies: ["session=abc"],
  requestContext: { identity: { apiKey: "key-1", sourceIp: "1.2.3.4" } },
  body: "Authorization: in a body stays",
};

Deno.test("secret header names: authorization, cookies, api keys and anything with token", () => {
  for (const name of ["authorization", "Cookie", "set-cookie", "X-API-KEY", "x-csrf-token"]) {
    assert.ok(isSecretHeader(name), name);
  }
  for (const name of ["content-type", "x-amzn-trace-id", "host"]) assert.ok(!isSecretHeader(name));
  assert.equal(mask(SECRET), `****** (masked, ${new TextEncoder().encode(SECRET).length} bytes)`);
  assert.deepEqual(maskHeaders([["Authorization", "x"], ["accept", "*/*"]]), [
    ["Authorization", "****** (masked, 1 bytes)"],
    ["accept", "*/*"],
  ]);
});

Deno.test("maskJson() masks an event's secret headers, cookies and API key, nothing else", () => {
  const masked = maskJson(event) as typeof event;
  assert.match(masked.headers.Authorization, /^\*+ \(masked, \d+ bytes\)$/);
  assert.match(masked.headers["X-Api-Key"], /masked/);
  assert.equal(masked.headers["x-custom"], "shown");
  assert.deepEqual(masked.multiValueHeaders.cookie.map((v) => v.startsWith("******")), [
    true,
    true,
  ]);
  assert.match(masked.multiValueHeaders["x-amz-security-token"][0]!, /masked/);
  assert.match(masked.cookies[0]!, /masked/);
  assert.match(masked.requestContext.identity.apiKey, /masked/);
  assert.equal(masked.requestContext.identity.sourceIp, "1.2.3.4");
  assert.equal(masked.body, event.body);
  assert.equal(event.headers.Authorization, SECRET, "the original is untouched");
});

Deno.test("an event body shows no secret in any view or download unless asked to", () => {
  const body = new CapturedBody(1 << 20, new TextEncoder().encode(JSON.stringify(event)));
  const view = bodyView(body, true, { showSecrets: false });
  const everything = [view.text, view.json, atob(view.base64)].join("\n");
  assert.ok(!everything.includes("t\u00f6ken") && !everything.includes("t\u00c3\u00b6ken"));
  assert.ok(!everything.includes("session=abc") && !everything.includes("key-1"));
  const download = new TextDecoder().decode(downloadBytes(body, true, { showSecrets: false }));
  assert.ok(!download.includes("session=abc"));
  const shown = bodyView(body, true, { showSecrets: true });
  assert.ok(shown.json!.includes(SECRET));
});

Deno.test("bodyView() shows binary as base64, a cut text whole characters, JSON indented", () => {
  const binary = bodyView(new CapturedBody(100, Uint8Array.of(0xff, 0, 1)), false, {
    showSecrets: false,
  });
  assert.deepEqual([binary.text, binary.base64, binary.size], [null, "/wAB", 3]);
  const long = "\u00e9".repeat(40_000); // 80,000 bytes: cut at 64 KiB inside a character
  const cut = bodyView(new CapturedBody(1 << 20, new TextEncoder().encode(long)), false, {
    showSecrets: false,
  });
  assert.equal(cut.shown, 64 * 1024);
  assert.equal(cut.text, "\u00e9".repeat(32 * 1024));
  const app = bodyView(new CapturedBody(100, new TextEncoder().encode('{"a":[1]}')), false, {
    showSecrets: false,
  });
  assert.equal(app.json, '{\n  "a": [\n    1\n  ]\n}');
});
