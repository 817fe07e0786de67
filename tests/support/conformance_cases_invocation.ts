/**
 * Edge cases of the invocation itself: pass-through answers, the client context and identity,
 * payloads and bodies that are bad input.
 *
 * @module
 */

import { type Case, httpApi, respond, REST, SQS, text } from "./conformance_events.ts";

/** Run with default settings. */
export const INVOCATION_CASES: Case[] = [
  {
    name: "pass-through: a text answer (Express sendStatus) is null",
    event: SQS,
    response: text("OK", "text/plain; charset=utf-8"),
  },
  {
    name: "pass-through: a JSON answer is the result, as written",
    event: SQS,
    response: text(
      '{"batchItemFailures": [ {"itemIdentifier": "b"} ], "a": 1.0}',
      "application/json",
    ),
    shows: ["pass-through-json-as-written"],
  },
  {
    name: "pass-through: JSON sent as octet-stream is null",
    event: SQS,
    response: text("{}", "application/octet-stream"),
  },
  {
    name: "pass-through: compressed JSON is null",
    event: SQS,
    response: respond([["content-type", "application/json"], ["content-encoding", "gzip"]], "{}"),
  },
  {
    name: "pass-through: a UTF-8 BOM is dropped",
    event: SQS,
    response: respond([["content-type", "application/json"]], '\ufeff{"a":"é😀"}'),
  },
  {
    name: "pass-through: the charset is honoured",
    event: SQS,
    response: respond(
      [["content-type", "application/json; charset=iso-8859-1"]],
      new Uint8Array([0x22, 0x63, 0x61, 0x66, 0xe9, 0x22]),
    ),
  },
  {
    name: "pass-through: an empty answer is null",
    event: { any: "event" },
    response: respond([], ""),
  },
  {
    name: "client context and Cognito identity in snake_case",
    event: httpApi("/context"),
    invoke: {
      clientContext: JSON.stringify({
        client: {
          installation_id: "i-1",
          app_title: "Title",
          app_version_name: "1.0",
          app_version_code: "1",
          app_package_name: "com.example",
        },
        custom: { k: "v" },
        environment: { locale: "fr" },
      }),
      cognitoIdentity: JSON.stringify({ cognitoIdentityId: "id-1", cognitoIdentityPoolId: "p-1" }),
    },
  },
  {
    name: "client context in camelCase without environment",
    event: httpApi("/context"),
    invoke: {
      clientContext: JSON.stringify({
        client: {
          installationId: "i-1",
          appTitle: "t",
          appVersionName: "1.0",
          appVersionCode: "1",
          appPackageName: "p",
        },
        custom: {},
      }),
      cognitoIdentity: JSON.stringify({ identityId: "id-1", identityPoolId: "p-1" }),
    },
  },
  {
    name: "a client context with non-ASCII text",
    event: httpApi("/context"),
    invoke: { clientContext: JSON.stringify({ custom: { title: "Título" } }) },
    shows: ["lwa-exits"],
  },
  {
    name: "a client context with a number",
    event: httpApi("/context"),
    invoke: { clientContext: JSON.stringify({ custom: { n: 1 } }) },
    shows: ["lwa-exits"],
  },
  {
    name: "a Cognito identity without its pool",
    event: httpApi("/context"),
    invoke: { cognitoIdentity: JSON.stringify({ identityId: "id-1" }) },
    shows: ["lwa-exits"],
  },
  {
    name: "a payload that is not UTF-8",
    event: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
    shows: ["error-types"],
  },
  {
    name: "invalid base64 body",
    event: { ...REST, body: "not base64!", isBase64Encoded: true },
    shows: ["error-types"],
  },
  {
    name: "a payload that is not JSON",
    event: new TextEncoder().encode("not json"),
    shows: ["error-types"],
  },
];
