// deno-lint-ignore-file no-console -- a build script reports what it does
/**
 * `deno task compile`: `deno compile` for x86_64 and aarch64 Linux (glibc) into
 * dist/<arch>/lambda-adapter, with the smallest permission set the binary needs.
 *
 * `deno compile` fetches its runtime (`denort`) for each target from dl.deno.land unless it is
 * already in the Deno cache ($DENO_DIR/dl/release/v<version>/denort-<target>.zip) or named by
 * DENORT_BIN (for one target at a time; DENORT_BIN_X86_64 / DENORT_BIN_AARCH64 name one per
 * target). When none of these can be had, this script stops and says how to supply it.
 *
 * Usage: deno task compile [x86_64|aarch64]...
 *
 * @module
 */

import { exists } from "./fs.ts";

const ROOT = new URL("../", import.meta.url);
const TARGETS = {
  x86_64: "x86_64-unknown-linux-gnu",
  aarch64: "aarch64-unknown-linux-gnu",
} as const;
type Arch = keyof typeof TARGETS;
import { PERMISSIONS, V8_FLAGS } from "./runtime_flags.ts";

export { PERMISSIONS, V8_FLAGS };

function denoDir(): string {
  const explicit = Deno.env.get("DENO_DIR");
  if (explicit) return explicit;
  const home = Deno.env.get("HOME") ?? "";
  const cache = Deno.env.get("XDG_CACHE_HOME") ?? `${home}/.cache`;
  return `${cache}/deno`;
}

/** Where the runtime for `arch` comes from, or undefined when it has to be downloaded. */
function runtimeFor(
  arch: Arch,
  single: boolean,
): { env: Record<string, string>; from: string } | undefined {
  const perArch = Deno.env.get(`DENORT_BIN_${arch.toUpperCase()}`);
  const shared = single ? Deno.env.get("DENORT_BIN") : undefined;
  const bin = perArch ?? shared;
  if (bin) return { env: { DENORT_BIN: bin }, from: bin };
  const zip = `${denoDir()}/dl/release/v${Deno.version.deno}/denort-${TARGETS[arch]}.zip`;
  if (exists(zip)) return { env: {}, from: zip };
  return undefined;
}

async function canReachDownloads(): Promise<boolean> {
  try {
    const response = await fetch("https://dl.deno.land/", {
      method: "HEAD",
      signal: AbortSignal.timeout(3000),
    });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

async function compile(arch: Arch, env: Record<string, string>): Promise<boolean> {
  const output = new URL(`dist/${arch}/lambda-adapter`, ROOT).pathname;
  const args = [
    "compile",
    ...PERMISSIONS,
    ...V8_FLAGS,
    "--target",
    TARGETS[arch],
    "--output",
    output,
    new URL("src/main.ts", ROOT).pathname,
  ];
  const status = await new Deno.Command(Deno.execPath(), { args, env }).spawn().status;
  if (status.success) console.log(`wrote ${output}`);
  return status.success;
}

async function main(args: string[]) {
  const arches = (args.length > 0 ? args : Object.keys(TARGETS)) as Arch[];
  for (const arch of arches) {
    if (!(arch in TARGETS)) {
      console.error(`unknown architecture ${arch}; use x86_64 or aarch64`);
      Deno.exit(2);
    }
  }
  let online: boolean | undefined;
  for (const arch of arches) {
    const runtime = runtimeFor(arch, arches.length === 1);
    if (!runtime) {
      online ??= await canReachDownloads();
      if (!online) {
        const url = `https://dl.deno.land/release/v${Deno.version.deno}/denort-${
          TARGETS[arch]
        }.zip`;
        console.error(
          `cannot compile for ${arch}: deno compile needs the Deno runtime (denort) for ` +
            `${
              TARGETS[arch]
            }, which it downloads from dl.deno.land, and this machine cannot reach ` +
            `it.\nSupply it: fetch ${url} elsewhere, then either unzip it and set ` +
            `DENORT_BIN_${arch.toUpperCase()}=/path/to/denort (DENORT_BIN when compiling one ` +
            `target), or put the zip at ${denoDir()}/dl/release/v${Deno.version.deno}/.`,
        );
        Deno.exit(1);
      }
    } else console.log(`${arch}: runtime from ${runtime.from}`);
    if (!(await compile(arch, runtime?.env ?? {}))) Deno.exit(1);
  }
}

if (import.meta.main) await main(Deno.args);
