/**
 * Checks that every command a `sh` block of the docs names exists, for the blocks that cannot
 * run on a test machine (deploying to AWS, `docker build`, a server that runs until Ctrl-C):
 *
 * - `deno task X`: X is a task of deno.json; flags given to a task that runs one script appear
 *   in that script's source;
 * - `deno SUB ...`: `deno SUB --help` lists every flag; every path named exists;
 * - `deno run ... script`: the script exists; for the adapter (src/main.ts, the bundle,
 *   `lambda-adapter`) the command and every flag before `--` appear in its `--help`, and the
 *   app command after `--` is checked in turn; for another script, its flags appear in its source;
 * - `cd DIR`, `bash FILE`, `./FILE`: they exist (a `cd` holds for the rest of the block or of
 *   its subshell); `npm ci` runs where a package-lock.json is; `npx` where a package.json is;
 * - any other program must be one of {@link EXTERNAL_TOOLS}, and every repository path it is
 *   given exists; `dist/` paths must be ones the build tasks write.
 *
 * Flags of external tools (aws, sam, docker) are not checked: they are not installed here.
 *
 * @module
 */

import { join, normalize } from "node:path";
import { shellSteps } from "./shell_commands.ts";
import type { CodeBlock } from "./markdown_blocks.ts";

/** Programs a block may name that this repository does not provide. */
export const EXTERNAL_TOOLS = new Set([
  "aws", // AWS CLI
  "sam", // AWS SAM CLI
  "docker",
  "curl",
  "git",
  "node",
  "python3",
  "zip",
  "unzip",
  "chmod",
  "echo",
  "apt-get",
  "uptime",
]);

/** What the checks need to know about the repository. */
export interface CheckContext {
  /** Absolute path of the repository root. */
  readonly root: string;
  /** The tasks of deno.json. */
  readonly tasks: Readonly<Record<string, string>>;
  /** Paths under dist/ that the build tasks write. */
  readonly buildOutputs: ReadonlySet<string>;
  /** The text of `deno <args> --help` (or of the adapter's `--help`, for `["lambda-adapter"]`). */
  help(args: readonly string[]): Promise<string>;
}

/** The problems of one not-runnable block, each naming the file and line. */
export async function checkBlock(block: CodeBlock, context: CheckContext): Promise<string[]> {
  const problems: string[] = [];
  const cwds: (string | undefined)[] = [""];
  let steps;
  try {
    steps = shellSteps(block.code);
  } catch (error) {
    return [`${block.file}:${block.line}: cannot read the block: ${(error as Error).message}`];
  }
  for (const step of steps) {
    if (step.kind !== "command") {
      if (step.kind === "subshell-start") cwds.push(cwds.at(-1));
      else cwds.pop();
    } else {
      const { words } = step;
      const where = `${block.file}:${block.line + step.line}`;
      const checker = new CommandChecker(context, cwds.at(-1), (problem) => {
        problems.push(`${where}: ${problem} (in: ${words.join(" ")})`);
      });
      cwds[cwds.length - 1] = await checker.check(words);
    }
  }
  return problems;
}

class CommandChecker {
  constructor(
    readonly context: CheckContext,
    /** Relative to the root; undefined once a `cd` went somewhere unknown. */
    readonly cwd: string | undefined,
    readonly report: (problem: string) => void,
  ) {}

  /** Checks one simple command; resolves to the working directory after it. */
  async check(allWords: readonly string[]): Promise<string | undefined> {
    let words = allWords.slice();
    while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) words = words.slice(1);
    if (words[0] === "exec" || words[0] === "time") words = words.slice(1);
    const [program, ...args] = words;
    if (program === undefined) return this.cwd;
    if (program === "cd") return this.cd(args[0]);
    if (program === "deno") await this.deno(args);
    else if (program === "lambda-adapter") await this.adapter(args);
    else if (program === "npm") this.npm(args);
    else if (program === "npx") this.needFile("package.json", "npx runs a package's tool");
    else if (program === "bash" || program === "sh") this.needFile(args[0], `${program} runs it`);
    else if (program.includes("/")) this.needFile(program, "the block runs it");
    else if (EXTERNAL_TOOLS.has(program)) this.paths(args);
    else this.report(`${program} is not a task, a file here, or a known external tool`);
    return this.cwd;
  }

  cd(target: string | undefined): string | undefined {
    if (target === undefined || this.cwd === undefined || /^[$~/]/.test(target)) return undefined;
    const next = normalize(join(this.cwd, target)).replace(/^\.$/, "").replace(/\/$/, "");
    if (!isDirectory(join(this.context.root, next))) {
      this.report(`cd ${target}: no such directory`);
      return undefined;
    }
    return next;
  }

  async deno(args: string[]): Promise<void> {
    const [sub, ...rest] = args;
    if (sub === undefined) return this.report("deno without a command");
    if (sub === "task") return this.task(rest);
    const help = await this.context.help([sub]);
    if (help === "") return this.report(`deno ${sub}: not a deno command`);
    if (sub !== "run") {
      for (const flag of rest.filter((arg) => arg.startsWith("-"))) {
        this.flag(flag, help, `deno ${sub}`);
      }
      return this.paths(rest);
    }
    const split = splitScript(rest);
    for (const flag of split.flags) this.flag(flag, help, "deno run");
    const [script, ...scriptArgs] = split.operands;
    if (script === undefined) return this.report("deno run without a script");
    if (!this.needFile(script, "deno run runs it")) return;
    const path = this.cwd === undefined ? undefined : normalize(join(this.cwd, script));
    if (path === "src/main.ts" || path === "dist/bundle/main.js") await this.adapter(scriptArgs);
    else if (path !== undefined) this.scriptFlags(path, scriptArgs);
  }

  task(args: string[]): void {
    const [name, ...rest] = args;
    const command = name === undefined ? undefined : this.context.tasks[name];
    if (command === undefined) {
      return this.report(`deno task ${name ?? "(no name)"}: no such task in deno.json`);
    }
    if (!rest.some((arg) => arg.startsWith("-"))) return;
    const single = /^deno run (?:-\S+ )*(\S+\.ts)$/.exec(command);
    if (!single) return this.report(`deno task ${name} runs several commands: give no flags`);
    this.scriptFlags(single[1]!, rest);
  }

  /** The adapter's command line: `emulate`/`invoke`, their flags, and the app after `--`. */
  async adapter(args: string[]): Promise<void> {
    const help = await this.context.help(["lambda-adapter"]);
    const [command, ...rest] = args;
    if (command === undefined || command.startsWith("-")) {
      for (const flag of args) this.flag(flag, help, "lambda-adapter");
      return;
    }
    if (!help.includes(`lambda-adapter ${command}`)) {
      return this.report(`lambda-adapter ${command}: not a command of its --help`);
    }
    const end = rest.indexOf("--");
    const own = end === -1 ? rest : rest.slice(0, end);
    for (const flag of own.filter((arg) => arg.startsWith("-"))) {
      this.flag(flag, help, `lambda-adapter ${command}`);
    }
    if (end !== -1) await this.check(rest.slice(end + 1));
  }

  npm(args: string[]): void {
    if (args[0] === "ci") this.needFile("package-lock.json", "npm ci installs from it");
  }

  flag(flag: string, help: string, what: string): void {
    const name = flag.split("=", 1)[0]!;
    if (!flag.startsWith("-") || name === "-" || name === "--") return;
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    if (!new RegExp(`(^|[\\s,[])${escaped}(?=[\\s,=[\\]]|$)`, "m").test(help)) {
      this.report(`${what} --help does not list ${name}`);
    }
  }

  /** Flags of a script without `--help`: each must appear in its source. */
  scriptFlags(script: string, args: string[]): void {
    const source = Deno.readTextFileSync(join(this.context.root, script));
    for (const arg of args.filter((arg) => arg.startsWith("--"))) {
      const name = arg.slice(2).split("=", 1)[0]!;
      const quoted = [`"${name}"`, `'${name}'`, `--${name}=`, `--${name}"`, `--${name} `];
      if (!quoted.some((form) => source.includes(form))) {
        this.report(`${script} does not read --${name}`);
      }
    }
  }

  /** Every argument that names a repository path (`a/b`, `fileb://dist/x.zip`) exists. */
  paths(args: string[]): void {
    for (const arg of args) {
      const path = arg.replace(/^fileb?:\/\//, "");
      if (path.startsWith("-") || !path.includes("/")) continue;
      if (!/^[\w.@-]+(\/[\w.@*-]*)*$/.test(path) || path.startsWith("/")) continue;
      this.needFile(path, "the block names it");
    }
  }

  /** Reports and returns false unless `path` (relative to the cwd) exists or a task writes it. */
  needFile(path: string | undefined, why: string): boolean {
    if (path === undefined) {
      this.report(`a file is missing: ${why}`);
      return false;
    }
    if (this.cwd === undefined || path.startsWith("/") || path.includes("$")) return true;
    const relative = normalize(join(this.cwd, path)).replace(/\/$/, "");
    if (relative.startsWith("dist/")) {
      if (this.context.buildOutputs.has(relative)) return true;
      this.report(`${relative}: no build task writes it`);
      return false;
    }
    if (exists(join(this.context.root, relative))) return true;
    this.report(`${relative}: no such file (${why})`);
    return false;
  }
}

/** Flags (before the script, for `deno run`) and the remaining words. */
function splitScript(args: string[]): { flags: string[]; operands: string[] } {
  const first = args.findIndex((arg) => !arg.startsWith("-"));
  if (first === -1) return { flags: args, operands: [] };
  return { flags: args.slice(0, first), operands: args.slice(first) };
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}
