// deno-lint-ignore-file no-console -- a build script reports what it wrote
/**
 * `deno task layer`: one Lambda layer zip per architecture, with LWA's layout, so Lambda
 * extracts it to `/opt/bootstrap` and `/opt/extensions/lambda-adapter`:
 *
 *   bootstrap                  (0755, LF line endings: the exec wrapper)
 *   extensions/
 *   extensions/lambda-adapter  (0755)
 *
 * Reads the binaries `deno task compile` wrote to dist/<arch>/lambda-adapter (or the paths given
 * with --x86_64=PATH / --aarch64=PATH) and writes dist/lambda-adapter-layer-<arch>.zip.
 * Deterministic: the same inputs give byte-identical zips.
 *
 * @module
 */

import { buildZip } from "./zip.ts";

const ROOT = new URL("../", import.meta.url);
/** Lambda's names for the architectures, as in the layer zips' file names. */
export const ARCHES = { x86_64: "x86_64", aarch64: "arm64" } as const;

/** The layer zip for one binary. */
export function buildLayer(binary: Uint8Array, bootstrap: Uint8Array): Uint8Array {
  // A bootstrap checked out on Windows must still run: Lambda executes it with bash (LWA#611).
  const lf = new TextEncoder().encode(new TextDecoder().decode(bootstrap).replaceAll("\r\n", "\n"));
  return buildZip([
    { name: "bootstrap", mode: 0o755, data: lf },
    { name: "extensions/", mode: 0o755 },
    { name: "extensions/lambda-adapter", mode: 0o755, data: binary },
  ]);
}

async function main(args: string[]) {
  const bootstrap = await Deno.readFile(new URL("layer/bootstrap", ROOT));
  let written = 0;
  for (const [arch, lambdaArch] of Object.entries(ARCHES)) {
    const given = args.find((arg) => arg.startsWith(`--${arch}=`))?.split("=")[1];
    const path = given ?? new URL(`dist/${arch}/lambda-adapter`, ROOT).pathname;
    let binary: Uint8Array;
    try {
      binary = await Deno.readFile(path);
    } catch {
      console.error(`skipping ${arch}: no binary at ${path} (run deno task compile first)`);
      continue;
    }
    const out = new URL(`dist/lambda-adapter-layer-${lambdaArch}.zip`, ROOT);
    await Deno.mkdir(new URL("dist/", ROOT), { recursive: true });
    await Deno.writeFile(out, buildLayer(binary, bootstrap));
    console.log(`wrote ${out.pathname}`);
    written++;
  }
  if (written === 0) {
    console.error("no layer written: no compiled binary found");
    Deno.exit(1);
  }
}

if (import.meta.main) await main(Deno.args);
