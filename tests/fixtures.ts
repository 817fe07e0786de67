/**
 * Access to the real Lambda event fixtures in `tests/fixtures/events` (copied from AWS-maintained
 * projects; see its INDEX.md).
 *
 * @module
 */

const ROOT = new URL("./fixtures/events/", import.meta.url);

/** The raw bytes of a fixture, e.g. `aws-lambda-go/alb-lambda-target-request-headers-only.json`. */
export function eventBytes(name: string): Uint8Array {
  return Deno.readFileSync(new URL(name, ROOT));
}

/** A fixture parsed as JSON. */
export function loadEvent<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(new TextDecoder().decode(eventBytes(name))) as T;
}

/** Every fixture file name, relative to the fixture folder. */
export function allEventNames(): string[] {
  const names: string[] = [];
  for (const dir of Deno.readDirSync(ROOT)) {
    if (!dir.isDirectory) continue;
    for (const file of Deno.readDirSync(new URL(`${dir.name}/`, ROOT))) {
      if (file.name.endsWith(".json")) names.push(`${dir.name}/${file.name}`);
    }
  }
  return names.sort();
}
