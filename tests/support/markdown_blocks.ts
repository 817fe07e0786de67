/**
 * What the doc test reads from a Markdown page: its fenced code blocks (with their info strings,
 * where the runnable / not-runnable marker lives), its links and its headings' anchors.
 *
 * @module
 */

/** One fenced code block. */
export interface CodeBlock {
  /** The page, relative to the repository root (`README.md`, `docs/development.md`). */
  readonly file: string;
  /** Line of the opening fence, 1-based. */
  readonly line: number;
  /** The first word of the info string (`sh`, `dockerfile`), or "". */
  readonly lang: string;
  /** The rest of the info string, word by word (`runnable`, `exit=1`). */
  readonly attributes: readonly string[];
  readonly code: string;
}

/** How a `sh` block is marked: run by the doc test, or only checked. */
export type Marker = "runnable" | "not-runnable";

/** The marker of a block, or undefined when it has none (or both). */
export function markerOf(block: CodeBlock): Marker | undefined {
  const runnable = block.attributes.includes("runnable");
  const not = block.attributes.includes("not-runnable");
  if (runnable === not) return undefined;
  return runnable ? "runnable" : "not-runnable";
}

/** The exit status a runnable block must end with (`exit=N`, default 0). */
export function expectedExit(block: CodeBlock): number {
  const attribute = block.attributes.find((word) => /^exit=\d+$/.test(word));
  return attribute === undefined ? 0 : Number(attribute.slice("exit=".length));
}

/** Every fenced block of `markdown`, fences indented inside list items included. */
export function codeBlocks(markdown: string, file: string): CodeBlock[] {
  const lines = markdown.split("\n");
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^( *)(`{3,}|~{3,})(.*)$/.exec(lines[index]!);
    if (!open) continue;
    const [, indent = "", fence = "", info = ""] = open;
    const body: string[] = [];
    let end = index + 1;
    for (; end < lines.length; end++) {
      const line = lines[end]!;
      const close = /^ *(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    const [lang = "", ...attributes] = info.trim().split(/\s+/).filter(Boolean);
    blocks.push({ file, line: index + 1, lang, attributes, code: body.join("\n") });
    index = end;
  }
  return blocks;
}

/** `markdown` with its fenced blocks blanked out (line numbers kept). */
export function prose(markdown: string): string {
  const lines = markdown.split("\n");
  for (const block of codeBlocks(markdown, "")) {
    const count = block.code === "" ? 0 : block.code.split("\n").length;
    for (let line = block.line - 1; line <= block.line + count; line++) lines[line] = "";
  }
  return lines.join("\n");
}

/** A relative link of a page: its target file (maybe empty: the page itself) and anchor. */
export interface Link {
  readonly line: number;
  readonly target: string;
  readonly path: string;
  readonly anchor: string | undefined;
}

/** The relative links (`[text](docs/x.md#anchor)`) outside code; web links are left out. */
export function relativeLinks(markdown: string): Link[] {
  const links: Link[] = [];
  prose(markdown).split("\n").forEach((text, index) => {
    const withoutCode = text.replace(/`[^`]*`/g, "");
    for (const match of withoutCode.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const [path = "", anchor] = target.split("#", 2);
      links.push({ line: index + 1, target, path, anchor });
    }
  });
  return links;
}

/** The anchors GitHub gives the headings of a page (`## Two commands` is `#two-commands`). */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  for (const line of prose(markdown).split("\n")) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = heading[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    const slug = text.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const seen = counts.get(slug) ?? 0;
    counts.set(slug, seen + 1);
    anchors.add(seen === 0 ? slug : `${slug}-${seen}`);
  }
  return anchors;
}
