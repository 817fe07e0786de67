import assert from "node:assert/strict";
import { parseErrorFields, streamErrorFields } from "./error_fields.ts";

const encoder = new TextEncoder();

function trailers(type?: string, body?: string): Headers {
  const headers = new Headers();
  if (type !== undefined) headers.set("Lambda-Runtime-Function-Error-Type", type);
  if (body !== undefined) headers.set("Lambda-Runtime-Function-Error-Body", body);
  return headers;
}

Deno.test("parseErrorFields() keeps only string fields and a non-empty type", () => {
  const parse = (text: string) => parseErrorFields(encoder.encode(text));
  assert.deepEqual(parse('{"errorType":"T","errorMessage":"m","stackTrace":[]}'), {
    errorType: "T",
    errorMessage: "m",
  });
  assert.deepEqual(parse('{"errorType":"","errorMessage":3}'), {});
  assert.deepEqual(parse("not json"), {});
  assert.deepEqual(parse("null"), {});
});

Deno.test("streamErrorFields() decodes the base64 JSON error body", () => {
  const body = btoa(JSON.stringify({ errorType: "FromBody", errorMessage: "broke" }));
  assert.deepEqual(streamErrorFields(trailers("Runtime.X", body)), {
    errorType: "Runtime.X",
    errorMessage: "broke",
  });
  assert.deepEqual(streamErrorFields(trailers(undefined, body)), {
    errorType: "FromBody",
    errorMessage: "broke",
  });
});

Deno.test("streamErrorFields() reads other bodies leniently and reports none without trailers", () => {
  assert.deepEqual(streamErrorFields(new Headers()), {});
  assert.deepEqual(streamErrorFields(trailers("Runtime.X")), {
    errorType: "Runtime.X",
    errorMessage: "",
  });
  assert.deepEqual(streamErrorFields(trailers(undefined, btoa("plain words"))), {
    errorType: "Unknown",
    errorMessage: "plain words",
  });
  assert.deepEqual(streamErrorFields(trailers("T", "not base64!")), {
    errorType: "T",
    errorMessage: "not base64!",
  });
});
