import assert from "node:assert/strict";
import {
  binaryBytes,
  largestTextBody,
  MAX_EVENT_BYTES,
  restEvent,
  textBytes,
} from "./rest_event.ts";

const decode = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes));

Deno.test("restEvent() keeps the real fixture's fields and sets method, path and body", () => {
  const event = decode(restEvent({
    method: "POST",
    path: "/upload",
    body: { kind: "text", bytes: new TextEncoder().encode("José 🚀") },
  }));
  assert.equal(event.httpMethod, "POST");
  assert.equal(event.requestContext.httpMethod, "POST");
  assert.equal(event.path, "/upload");
  assert.equal(event.body, "José 🚀");
  assert.equal(event.isBase64Encoded, false);
  assert.equal(event.headers["Content-Type"], "text/plain");
  assert.deepEqual(event.multiValueHeaders["Content-Type"], ["text/plain"]);
  assert.deepEqual(event.multiValueQueryStringParameters.multiValueName, ["you", "me"]);
});

Deno.test("restEvent() carries a binary body as base64 and a GET without a body", () => {
  const bytes = binaryBytes(1000);
  const post = decode(restEvent({ method: "POST", path: "/u", body: { kind: "binary", bytes } }));
  assert.equal(post.isBase64Encoded, true);
  assert.deepEqual(Uint8Array.fromBase64(post.body), bytes);
  const get = decode(restEvent({ method: "GET", path: "/text/2" }));
  assert.equal(get.body, null);
  assert.equal(get.isBase64Encoded, false);
  assert.equal(get.headers["Content-Type"], undefined);
});

Deno.test("largestTextBody() gives an event just under Lambda's 6 MiB payload limit", () => {
  const size = largestTextBody(1024);
  const event = restEvent({
    method: "POST",
    path: "/upload",
    body: { kind: "text", bytes: textBytes(size) },
  });
  assert.equal(event.byteLength, MAX_EVENT_BYTES - 1024);
});
