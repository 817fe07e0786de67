/**
 * The doc test's own parts (tests/support/markdown_blocks.ts, shell_commands.ts,
 * doc_commands.ts): that they find the blocks and commands, and that the checks catch a wrong
 * task, path, flag or program, so a passing doc test means something.
 */

import assert from "node:assert/strict";
import { checkBlock, type CheckContext } from "./support/doc_commands.ts";
import {
  codeBlocks,
  expectedExit,
  headingAnchors,
  markerOf,
  relativeLinks,
} from "./support/markdown_blocks.ts";
import { shellSteps } from "./support/shell_commands.ts";

const ROOT = new URL("../", import.meta.url).pathname;

Deno.test("markdown: fenced blocks with their markers, also indented in a list", () => {
  const page = [
    "# Page",
    "",
    "```sh runnable exit=1",
    "deno task demo",
    "```",
    "",
    "1. Step:",
    "   ```sh not-runnable",
    "   aws lambda list-layers",
    "   ```",
    "",
    "````md",
    "```sh",
    "not a block of its own",
    "```",
    "````",
  ].join("\n");
  const blocks = codeBlocks(page, "x.md");
  assert.deepEqual(blocks.map((block) => [block.line, block.lang, markerOf(block), block.code]), [
    [3, "sh", "runnable", "deno task demo"],
    [8, "sh", "not-runnable", "aws lambda list-layers"],
    [12, "md", undefined, "```sh\nnot a block of its own\n```"],
  ]);
  assert.equal(expectedExit(blocks[0]!), 1);
  assert.equal(expectedExit(blocks[1]!), 0);
});

Deno.test("markdown: links outside code, and GitHub's heading anchors", () => {
  const page = [
    "## Two commands",
    "## `deno task bench:peer`: ours against LWA",
    "## Two commands",
    "See [settings](docs/configuration.md#settings), [LWA](https://example.com/x.md) and",
    "[below](#two-commands-1); not `[code](nowhere.md)`.",
    "```sh not-runnable",
    "echo [block](nowhere.md)",
    "```",
  ].join("\n");
  assert.deepEqual(
    relativeLinks(page).map((link) => [link.line, link.path, link.anchor]),
    [[4, "docs/configuration.md", "settings"], [5, "", "two-commands-1"]],
  );
  assert.deepEqual(
    [...headingAnchors(page)],
    ["two-commands", "deno-task-benchpeer-ours-against-lwa", "two-commands-1"],
  );
});

Deno.test("shell: simple commands, quotes, continuations, comments, subshells, redirects", () => {
  const steps = shellSteps([
    "AWS_LWA_PORT=5000 deno run -A src/main.ts emulate -- python3 app.py  # a comment",
    "(cd examples/flask/cdk && npm ci) > /dev/null 2>&1",
    "aws lambda publish-layer-version --layer-name 'My Layer' \\",
    '  --zip-file "fileb://dist/x.zip" | tee out.txt; echo "$(date) done" &',
  ].join("\n"));
  assert.deepEqual(steps, [
    {
      kind: "command",
      words: [
        "AWS_LWA_PORT=5000",
        "deno",
        "run",
        "-A",
        "src/main.ts",
        "emulate",
        "--",
        "python3",
        "app.py",
      ],
      line: 1,
    },
    { kind: "subshell-start", line: 2 },
    { kind: "command", words: ["cd", "examples/flask/cdk"], line: 2 },
    { kind: "command", words: ["npm", "ci"], line: 2 },
    { kind: "subshell-end", line: 2 },
    {
      kind: "command",
      words: [
        "aws",
        "lambda",
        "publish-layer-version",
        "--layer-name",
        "My Layer",
        "--zip-file",
        "fileb://dist/x.zip",
      ],
      line: 3,
    },
    { kind: "command", words: ["tee", "out.txt"], line: 4 },
    { kind: "command", words: ["echo", "$(date) done"], line: 4 },
  ]);
});

const context: CheckContext = {
  root: ROOT,
  tasks: {
    demo: "deno run --allow-net scripts/demo.ts",
    "bench:peer": "deno run --allow-all bench/peer.ts",
    test: "deno run -A scripts/test_setup.ts && deno test -A",
  },
  buildOutputs: new Set(["dist/lambda-adapter-layer-x86_64.zip"]),
  help: (args) =>
    Promise.resolve(
      args[0] === "lambda-adapter"
        ? "lambda-adapter emulate [options] -- <app>\n  --port <n>  front door\n" +
          "lambda-adapter invoke [--event <file.json>]\n"
        : args[0] === "run"
        ? "  -A, --allow-all   Allow all permissions.\n"
        : args[0] === "test"
        ? "      --parallel   Run test modules in parallel\n"
        : "",
    ),
};

async function problems(code: string): Promise<string[]> {
  const block = { file: "x.md", line: 10, lang: "sh", attributes: ["not-runnable"], code };
  return (await checkBlock(block, context)).map((problem) => problem.replace(/ \(in: .*\)$/, ""));
}

Deno.test("doc commands: what exists passes", async () => {
  assert.deepEqual(
    await problems([
      "deno task demo",
      "deno task bench:peer --n=50 --large-n=10",
      "deno test --parallel tests/docs_test.ts",
      "deno run -A src/main.ts emulate --port 9001 -- deno run -A examples/hono-deno/main.ts",
      "lambda-adapter invoke --event tests/fixtures/events/aws-lambda-go/sqs-event.json",
      "(cd examples/flask/cdk && npx cdk synth)",
      "aws lambda publish-layer-version --zip-file fileb://dist/lambda-adapter-layer-x86_64.zip",
      "curl localhost:9000/hello",
      "cd examples/express-zip && npm ci && ../../layer/bootstrap",
    ].join("\n")),
    [],
  );
});

Deno.test("doc commands: a wrong task, path, flag, directory or program is caught", async () => {
  assert.deepEqual(
    await problems([
      "deno task deploy",
      "deno task test --filter x",
      "deno task bench:peer --iterations=5",
      "deno test --paralel tests/missing_test.ts",
      "deno frobnicate",
      "deno run -A src/main.ts emulate --memroy 256 -- node index.js",
      "deno run -A src/main.ts serve",
      "deno run -A scripts/missing.ts",
      "(cd examples/nowhere && npm ci)",
      "(cd examples && npm ci)",
      "aws lambda publish-layer-version --zip-file fileb://dist/layer.zip",
      "kubectl apply -f k8s/",
    ].join("\n")),
    [
      "x.md:11: deno task deploy: no such task in deno.json",
      "x.md:12: deno task test runs several commands: give no flags",
      "x.md:13: bench/peer.ts does not read --iterations",
      "x.md:14: deno test --help does not list --paralel",
      "x.md:14: tests/missing_test.ts: no such file (the block names it)",
      "x.md:15: deno frobnicate: not a deno command",
      "x.md:16: lambda-adapter emulate --help does not list --memroy",
      "x.md:17: lambda-adapter serve: not a command of its --help",
      "x.md:18: scripts/missing.ts: no such file (deno run runs it)",
      "x.md:19: cd examples/nowhere: no such directory",
      "x.md:20: examples/package-lock.json: no such file (npm ci installs from it)",
      "x.md:21: dist/layer.zip: no build task writes it",
      "x.md:22: kubectl is not a task, a file here, or a known external tool",
    ],
  );
});
