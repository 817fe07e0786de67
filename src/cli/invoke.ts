/**
 * `lambda-adapter invoke`: sends saved events to a running `emulate` through the RIE endpoint.
 * One event prints its result; several files or a folder print a summary table.
 *
 * @module
 */

import type { InvokeArgs } from "./args.ts";
import { sourceOf } from "./event_source.ts";
import { RIE_PATH } from "./front_door.ts";
import { formatTable, type Row } from "./invoke_table.ts";

/** Where `invoke` writes and reads. */
export interface InvokeIo {
  /** Writes a result or a table line (stdout). */
  readonly print: (line: string) => void;
  /** Writes why an invocation could not be sent (stderr). */
  readonly error: (line: string) => void;
  /** The event, when no file is named. */
  readonly stdin: ReadableStream<Uint8Array>;
}

const decoder = new TextDecoder();

/** Runs `invoke`; resolves to the exit code (1 when an invocation failed or nothing answered). */
export async function invoke(args: InvokeArgs, io: InvokeIo): Promise<number> {
  if (args.events.length === 0) {
    return await single(new Uint8Array(await new Response(io.stdin).arrayBuffer()), args.url, io);
  }
  const { files, folder } = await eventFiles(args.events);
  if (files.length === 1 && !folder) {
    return await single(await Deno.readFile(files[0]!.path), args.url, io);
  }
  if (files.length === 0) {
    io.error(`no .json event files in ${args.events.join(", ")}`);
    return 1;
  }
  const rows: Row[] = [];
  for (const file of files) {
    const event = await Deno.readFile(file.path);
    const sent = await send(event, args.url, io);
    if (sent === undefined) return 1;
    rows.push({ file: file.name, source: sourceOfBytes(event), ...sent.summary });
  }
  for (const line of formatTable(rows)) io.print(line);
  return rows.some((row) => row.failed) ? 1 : 0;
}

/** One event: its raw result printed, as AWS's emulator answers it. */
async function single(event: Uint8Array<ArrayBuffer>, url: string, io: InvokeIo): Promise<number> {
  const sent = await send(event, url, io);
  if (sent === undefined) return 1;
  io.print(decoder.decode(sent.body));
  return sent.summary.failed ? 1 : 0;
}

/** An event file and the name it has in the table. */
interface EventFile {
  readonly path: string;
  readonly name: string;
}

/** Every file named, and every .json file below every folder named, each folder sorted. */
async function eventFiles(paths: readonly string[]) {
  const files: EventFile[] = [];
  let folder = false;
  for (const path of paths) {
    const info = await Deno.stat(path).catch(() => {
      throw new SyntaxError(`cannot read ${path}: no such file or folder`);
    });
    if (!info.isDirectory) {
      files.push({ path, name: path });
      continue;
    }
    folder = true;
    const base = path.replace(/\/+$/, "");
    for (const name of (await jsonBelow(base)).sort()) {
      files.push({ path: `${base}/${name}`, name });
    }
  }
  return { files, folder };
}

async function jsonBelow(folder: string, prefix = ""): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(folder)) {
    const name = `${prefix}${entry.name}`;
    if (entry.isDirectory) names.push(...await jsonBelow(`${folder}/${entry.name}`, `${name}/`));
    else if (entry.name.endsWith(".json")) names.push(name);
  }
  return names;
}

/** Posts `event`; `undefined` (with the error printed) when the emulator cannot be reached. */
async function send(event: Uint8Array<ArrayBuffer>, url: string, io: InvokeIo) {
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(new URL(RIE_PATH, url), { method: "POST", body: event });
  } catch (error) {
    io.error(`cannot reach the emulator at ${url}: ${(error as Error).message}`);
    return undefined;
  }
  const body = new Uint8Array(await response.arrayBuffer());
  const durationMs = performance.now() - started;
  const functionError = response.headers.has("x-amz-function-error");
  const failed = !response.ok || functionError;
  const status = functionError
    ? errorTypeOf(body)
    : response.ok
    ? statusOf(body, response.headers.get("content-type"))
    : `HTTP ${response.status}`;
  return { body, summary: { status, durationMs, bytes: body.byteLength, failed } };
}

/** The front end an event comes from, or "not JSON". */
function sourceOfBytes(event: Uint8Array): string {
  try {
    return sourceOf(JSON.parse(decoder.decode(event)));
  } catch {
    return "not JSON";
  }
}

/** A function error's `errorType`. */
function errorTypeOf(body: Uint8Array): string {
  try {
    const parsed = JSON.parse(decoder.decode(body));
    if (typeof parsed?.errorType === "string") return parsed.errorType;
  } catch {
    // Not JSON: a timeout's plain text.
  }
  return /timed out/.test(decoder.decode(body)) ? "Task timed out" : "Unhandled";
}

/** The HTTP status a result carries: its `statusCode`, or a streamed prelude's; else "ok". */
function statusOf(body: Uint8Array, contentType: string | null): string {
  let text = decoder.decode(body);
  if (contentType === "application/octet-stream") {
    const nuls = text.indexOf("\0".repeat(8));
    if (nuls < 0) return "ok (stream)";
    text = text.slice(0, nuls);
  }
  try {
    const parsed = JSON.parse(text);
    if (typeof parsed?.statusCode === "number") return String(parsed.statusCode);
  } catch {
    // A raw result.
  }
  return "ok";
}
