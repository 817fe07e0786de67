/**
 * Starting what the benchmarks measure: the bench app, our adapter as users run it (the shipped
 * V8 flags, through `adapterCommand()`), and the Rust LWA binary from ../shared/tools.
 *
 * @module
 */

import { adapterCommand, Child, startApp } from "../tests/harness.ts";

/** Which adapter: ours or AWS's Rust original. */
export type AdapterKind = "ours" | "lwa";

/** Where the Rust LWA binary is looked for (override with `LWA_BIN`). */
export const LWA_BIN = Deno.env.get("LWA_BIN") ??
  new URL("../../shared/tools/lwa-lambda-adapter", import.meta.url).pathname;

/** Why the LWA binary cannot be run here, or undefined when it can. */
export function lwaMissing(): string | undefined {
  try {
    const info = Deno.statSync(LWA_BIN);
    if (!info.isFile) return `${LWA_BIN} is not a file`;
    if (((info.mode ?? 0) & 0o111) === 0) return `${LWA_BIN} is not executable`;
  } catch {
    return `${LWA_BIN} is absent (a clone without ../shared/tools)`;
  }
  if (Deno.build.os !== "linux" || Deno.build.arch !== "x86_64") {
    return `${LWA_BIN} is an x86_64 Linux binary; this is ${Deno.build.arch} ${Deno.build.os}`;
  }
  return undefined;
}

/**
 * The function's environment Lambda gives every process; LWA's runtime crate panics without it,
 * so both adapters get the same. `RUST_BACKTRACE=0`: a backtrace would load debug info into
 * LWA's memory.
 */
const FUNCTION_ENV = {
  AWS_LAMBDA_FUNCTION_NAME: "bench",
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
  AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
  AWS_LAMBDA_LOG_STREAM_NAME: "2026/01/01/[$LATEST]bench",
  AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/bench",
  RUST_BACKTRACE: "0",
};

/** Spawns `kind` against the Runtime API at `runtimeApi`, forwarding to the app on `appPort`. */
export function spawnAdapter(
  kind: AdapterKind,
  runtimeApi: string,
  appPort: number,
  command: string[] = kind === "ours" ? adapterCommand() : [LWA_BIN],
): Child {
  return new Child(kind, command, {
    env: { ...FUNCTION_ENV, AWS_LAMBDA_RUNTIME_API: runtimeApi, AWS_LWA_PORT: `${appPort}` },
  });
}

/** The bench app (bench/bench_app.ts) on a free port, listening. */
export async function startBenchApp(): Promise<{ port: number; app: Child }> {
  const script = new URL("./bench_app.ts", import.meta.url).pathname;
  const app = await startApp("deno", 0, {}, script);
  return { port: app.port, app };
}
