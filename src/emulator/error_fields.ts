/**
 * Reading the `{"errorType","errorMessage"}` documents runtimes report errors with: the body of
 * an error post, and the base64 `Lambda-Runtime-Function-Error-Body` trailer of a stream.
 *
 * @module
 */

/** The fields a runtime error document may carry. */
export interface ErrorFields {
  /** The posted `errorType`, if a non-empty string. */
  errorType?: string;
  /** The posted `errorMessage`, if a string. */
  errorMessage?: string;
}

const decoder = new TextDecoder();

/** Reads `{"errorType","errorMessage"}` leniently: anything missing or not a string is left out. */
export function parseErrorFields(body: Uint8Array): ErrorFields {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(body));
  } catch {
    return {};
  }
  return pickFields(parsed);
}

function pickFields(parsed: unknown): ErrorFields {
  if (typeof parsed !== "object" || parsed === null) return {};
  const { errorType, errorMessage } = parsed as Record<string, unknown>;
  const fields: ErrorFields = {};
  if (typeof errorType === "string" && errorType !== "") fields.errorType = errorType;
  if (typeof errorMessage === "string") fields.errorMessage = errorMessage;
  return fields;
}

/**
 * The error a streaming response reported in its trailers, or `{}` when it reported none. The
 * runtime sends `Lambda-Runtime-Function-Error-Type: <type>` and
 * `Lambda-Runtime-Function-Error-Body: <base64 of {"errorType","errorMessage"}>` (AWS Lambda
 * "Response streaming" for custom runtimes). A body that is not base64 is read as text, and
 * text that is not such a JSON document becomes the message.
 */
export function streamErrorFields(trailers: Headers): ErrorFields {
  const headerType = trailers.get("Lambda-Runtime-Function-Error-Type") || undefined;
  const rawBody = trailers.get("Lambda-Runtime-Function-Error-Body");
  if (headerType === undefined && rawBody === null) return {};
  let fields: ErrorFields = {};
  if (rawBody !== null) {
    const text = decodeBase64Text(rawBody);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    fields = pickFields(parsed);
    if (fields.errorType === undefined && fields.errorMessage === undefined) {
      fields = { errorMessage: text };
    }
  }
  return {
    errorType: headerType ?? fields.errorType ?? "Unknown",
    errorMessage: fields.errorMessage ?? "",
  };
}

/** Decodes base64 (RFC 4648 4) to UTF-8 text; a value that is not base64 is returned as is. */
function decodeBase64Text(value: string): string {
  let binary: string;
  try {
    binary = atob(value.trim());
  } catch {
    return value;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return decoder.decode(bytes);
}
