/**
 * Keeps the README and docs/ true: every command in them runs as written on a fresh clone.
 *
 * Each fenced `sh` block of README.md and docs/*.md is marked in its info string:
 * - ` ```sh runnable ` blocks run here, in order, each from the root of a fresh copy of the
 *   repository (its tracked and unignored files, as in the work tree: no node_modules, no dist),
 *   one copy per page, each block bounded in time; `exit=N` expects that exit status;
 * - ` ```sh not-runnable ` blocks (deploying to AWS, `docker build`, a server that runs until
 *   Ctrl-C, a command too long for the suite such as `deno task test`) are checked instead:
 *   every task, script, path and flag they name exists (tests/support/doc_commands.ts).
 *
 * Also: `deno task X` anywhere in the prose names a task, relative links and their anchors
 * resolve, the README's settings table lists every `AWS_LWA_*` variable src/config reads,
 * docs/configuration.md names every variable it reads, and the README stays under 200 lines.
 */

import assert from "node:assert/strict";
import { join, normalize } from "node:path";
import denoConfig from "../deno.json" with { type: "json" };
import { ARCHES } from "../scripts/layer.ts";
import { BUNDLE_ENTRY } from "../scripts/runtime_flags.ts";
import { Child } from "./support/child.ts";
import { checkBlock, type CheckContext } from "./support/doc_commands.ts";
import {
  type CodeBlock,
  codeBlocks,
  expectedExit,
  headingAnchors,
  markerOf,
  prose,
  relativeLinks,
} from "./support/markdown_blocks.ts";
import { descendants } from "./support/process_tree.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const README_MAX_LINES = 200;
/** A runnable block must finish within this; `deno task demo` takes a few seconds. */
const BLOCK_TIMEOUT_MS = 120_000;

const decoder = new TextDecoder();

function pages(): string[] {
  const docs = [...Deno.readDirSync(join(ROOT, "docs"))]
    .filter((entry) => entry.isFile && entry.name.endsWith(".md"))
    .map((entry) => `docs/${entry.name}`)
    .sort();
  return ["README.md", ...docs];
}

function read(page: string): string {
  return Deno.readTextFileSync(join(ROOT, page));
}

function shBlocks(page: string): CodeBlock[] {
  return codeBlocks(read(page), page).filter((block) => block.lang === "sh");
}

const helpTexts = new Map<string, Promise<string>>();

/** The context the command checks run in: this repository. */
function repositoryContext(): CheckContext {
  const outputs = new Set([normalize(BUNDLE_ENTRY).slice(ROOT.length)]);
  for (const [arch, lambdaArch] of Object.entries(ARCHES)) {
    outputs.add(`dist/${arch}/lambda-adapter`);
    outputs.add(`dist/lambda-adapter-layer-${lambdaArch}.zip`);
  }
  return {
    root: ROOT,
    tasks: denoConfig.tasks as Record<string, string>,
    buildOutputs: outputs,
    help(args) {
      const key = args.join(" ");
      let text = helpTexts.get(key);
      if (!text) {
        const command = args[0] === "lambda-adapter"
          ? ["run", "-A", join(ROOT, "src/main.ts"), "--help"]
          : [...args, "--help"];
        text = new Deno.Command(Deno.execPath(), {
          args: command,
          env: { NO_COLOR: "1" },
          stdout: "piped",
          stderr: "null",
        }).output().then((out) => out.success ? decoder.decode(out.stdout) : "");
        helpTexts.set(key, text);
      }
      return text;
    },
  };
}

Deno.test("docs: every sh block is marked runnable or not-runnable", () => {
  const problems: string[] = [];
  for (const page of pages()) {
    for (const block of codeBlocks(read(page), page)) {
      const where = `${page}:${block.line}`;
      if (["bash", "shell", "console", "shell-session"].includes(block.lang)) {
        problems.push(`${where}: a ${block.lang} block; write it as sh, marked`);
      } else if (block.lang === "sh" && !markerOf(block)) {
        problems.push(`${where}: mark it "sh runnable" or "sh not-runnable"`);
      }
    }
  }
  assert.deepEqual(problems, [], problems.join("\n"));
});

Deno.test("docs: every command a not-runnable block names exists", async () => {
  const context = repositoryContext();
  const problems: string[] = [];
  for (const page of pages()) {
    for (const block of shBlocks(page)) {
      if (markerOf(block) !== "runnable") problems.push(...await checkBlock(block, context));
    }
  }
  assert.deepEqual(problems, [], problems.join("\n"));
});

Deno.test("docs: `deno task X` in the prose names a task of deno.json", () => {
  const problems: string[] = [];
  for (const page of pages()) {
    prose(read(page)).split("\n").forEach((text, index) => {
      for (const match of text.matchAll(/`deno task ([\w:-]+)/g)) {
        if (!(match[1]! in denoConfig.tasks)) {
          problems.push(`${page}:${index + 1}: no task ${match[1]} in deno.json`);
        }
      }
    });
  }
  assert.deepEqual(problems, [], problems.join("\n"));
});

Deno.test("docs: relative links and their anchors resolve", () => {
  const problems: string[] = [];
  for (const page of pages()) {
    for (const link of relativeLinks(read(page))) {
      const target = link.path === "" ? page : normalize(join(page, "..", link.path));
      const where = `${page}:${link.line}: ${link.target}`;
      const info = statOrUndefined(join(ROOT, target));
      if (!info) {
        problems.push(`${where}: no such file`);
        continue;
      }
      if (!link.anchor || !info.isFile || !target.endsWith(".md")) continue;
      if (!headingAnchors(read(target)).has(link.anchor)) {
        problems.push(`${where}: no heading with that anchor`);
      }
    }
  }
  assert.deepEqual(problems, [], problems.join("\n"));
});

function statOrUndefined(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.statSync(path);
  } catch {
    return undefined;
  }
}

/** The environment variable names the config reads (string literals of src/config). */
function configVariables(): string[] {
  const names = new Set<string>();
  for (const entry of Deno.readDirSync(join(ROOT, "src/config"))) {
    if (!entry.name.endsWith(".ts") || entry.name.endsWith("_test.ts")) continue;
    const source = Deno.readTextFileSync(join(ROOT, "src/config", entry.name));
    for (const match of source.matchAll(/"([A-Z][A-Z0-9_]{2,})"/g)) names.add(match[1]!);
  }
  return [...names].sort();
}

Deno.test("docs: the README's settings table lists every AWS_LWA_ variable the config reads", () => {
  const readme = read("README.md");
  const section = readme.slice(readme.indexOf("\n## Settings"));
  const table = section.split("\n").filter((line) => line.startsWith("|")).join("\n");
  const lwa = configVariables().filter((name) => name.startsWith("AWS_LWA_"));
  assert.ok(lwa.length >= 18, `only ${lwa.length} AWS_LWA_ names found in src/config`);
  const missing = lwa.filter((name) => !table.includes(`\`${name}\``));
  assert.deepEqual(missing, [], `missing from the README's settings table: ${missing}`);
});

Deno.test("docs: docs/configuration.md names every variable the config reads", () => {
  const page = read("docs/configuration.md");
  const missing = configVariables().filter((name) => !page.includes(`\`${name}\``));
  assert.deepEqual(missing, [], `missing from docs/configuration.md: ${missing}`);
});

Deno.test(`docs: the README stays under ${README_MAX_LINES} lines`, () => {
  const lines = read("README.md").trimEnd().split("\n").length;
  assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines; move details to docs/`);
});

/** A copy of the work tree's tracked and unignored files, as a fresh clone would have them. */
async function freshCopy(): Promise<string> {
  const listed = await new Deno.Command("git", {
    args: ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    cwd: ROOT,
    stdout: "piped",
  }).output();
  assert.ok(listed.success, "git ls-files failed: the doc test copies a git work tree");
  const dir = await Deno.makeTempDir({ prefix: "lambda-adapter-docs-" });
  for (const file of decoder.decode(listed.stdout).split("\0").filter(Boolean)) {
    const from = join(ROOT, file);
    const info = await Deno.lstat(from).catch(() => undefined);
    if (!info?.isFile) continue; // deleted in the work tree
    await Deno.mkdir(join(dir, file, ".."), { recursive: true });
    await Deno.copyFile(from, join(dir, file));
  }
  return dir;
}

/** Runs one block with bash from `dir`; throws, naming the page and line, unless it passes. */
async function runBlock(block: CodeBlock, dir: string): Promise<void> {
  const name = `${block.file}:${block.line} (sh runnable)`;
  const child = new Child(name, ["bash", "-e", "-o", "pipefail", "-c", block.code], { cwd: dir });
  try {
    const status = await child.status(BLOCK_TIMEOUT_MS).catch(async (error) => {
      for (const pid of await descendants(child.process.pid)) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
      throw error;
    });
    const expected = expectedExit(block);
    if (status.code !== expected) {
      throw new Error(
        `${name} exited with ${status.code} (expected ${expected}):\n${block.code}\n` +
          `its output:\n${child.output()}`,
      );
    }
  } finally {
    await child[Symbol.asyncDispose]();
  }
}

Deno.test("docs: runnable blocks run as written on a fresh copy of the repository", async (t) => {
  for (const page of pages()) {
    const runnable = shBlocks(page).filter((block) => markerOf(block) === "runnable");
    if (runnable.length === 0) continue;
    await t.step(page, async () => {
      const dir = await freshCopy();
      try {
        for (const block of runnable) await runBlock(block, dir);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
});
