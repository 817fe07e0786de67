/**
 * The reference binaries in `../shared/tools` (the real Rust LWA and AWS's Runtime Interface
 * Emulator), and why a test that needs them must skip when they, or root, are missing.
 *
 * @module
 */

const ROOT = new URL("../../", import.meta.url);

/** Where the binaries are: `LAMBDA_REFERENCE_TOOLS`, else `../shared/tools` beside the clone. */
export function toolsDir(): string {
  return Deno.env.get("LAMBDA_REFERENCE_TOOLS") ?? new URL("../shared/tools", ROOT).pathname;
}

/** The path of a reference binary, or why it cannot be used here. */
export function referenceBinary(name: "lwa-lambda-adapter" | "aws-lambda-rie"): {
  path: string;
  skip?: string;
} {
  const path = `${toolsDir()}/${name}`;
  try {
    const info = Deno.statSync(path);
    if (!info.isFile || ((info.mode ?? 0) & 0o111) === 0) {
      return { path, skip: `${path} is not an executable file` };
    }
  } catch {
    return { path, skip: `${path} is missing (a clone without ../shared/tools)` };
  }
  if (Deno.build.os !== "linux" || Deno.build.arch !== "x86_64") {
    return { path, skip: `${path} is an x86_64 Linux binary` };
  }
  return { path };
}

/** Why a private mount namespace cannot be made here, or undefined when it can. */
export function mountNamespaceSkip(): string | undefined {
  if (Deno.build.os !== "linux") return "mount namespaces are Linux only";
  if (Deno.uid() !== 0) return "making a private mount namespace needs root";
  try {
    const probe = new Deno.Command("unshare", {
      args: ["-m", "-p", "-f", "sh", "-c", "mount -t tmpfs tmpfs /opt"],
      stdout: "null",
      stderr: "null",
    }).outputSync();
    return probe.success ? undefined : "unshare -m -p -f could not mount a tmpfs on /opt";
  } catch {
    return "unshare is not installed";
  }
}

/** Logs why a test is skipped (Deno's `ignore` shows no reason) and returns true. */
export function skipWith(reason: string | undefined): boolean {
  if (reason === undefined) return false;
  // deno-lint-ignore no-console -- the reason a test is skipped must be visible in the output
  console.warn(`skipped: ${reason}`);
  return true;
}
