/**
 * `.env` files for `emulate --env-file`, in the dotenv syntax most tools share:
 *
 * - `KEY=value`, one per line; spaces around `=` and around an unquoted value are dropped;
 *   an optional `export ` prefix; blank lines; `#` comments, on their own line or after a
 *   value (an unquoted value ends at ` #`).
 * - `'single'` and `` `backtick` `` quotes keep their text as written; `"double"` quotes read
 *   `\n`, `\r`, `\t`, `\"`, `\\` and `\$` escapes. Quoted values may span lines (PEM keys).
 * - No `${VAR}` expansion and no command substitution: a value is the text written.
 * - A later line wins over an earlier one with the same key.
 *
 * Anything else (a line without `=`, a key that is not a shell name, an unclosed quote, text
 * after a closing quote) is an error naming the file and line.
 *
 * @module
 */

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\", $: "$" };

/** Parses a `.env` file's text; `name` is used in error messages. */
export function parseDotenv(text: string, name = ".env"): Record<string, string> {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const vars: Record<string, string> = {};
  for (let index = 0; index < lines.length; index++) {
    const where = `${name}:${index + 1}`;
    const line = lines[index]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const assignment = line.replace(/^export\s+/, "");
    const equals = assignment.indexOf("=");
    if (equals < 0) throw new SyntaxError(`${where}: expected KEY=value, found ${quote(line)}`);
    const key = assignment.slice(0, equals).trim();
    if (!KEY.test(key)) throw new SyntaxError(`${where}: ${quote(key)} is not a variable name`);
    const raw = assignment.slice(equals + 1).trimStart();
    const opening = raw[0];
    if (opening !== '"' && opening !== "'" && opening !== "`") {
      vars[key] = raw.replace(/(^|\s+)#.*$/, "").trim();
      continue;
    }
    const { value, endLine } = quoted(lines, index, raw, opening, where);
    vars[key] = value;
    index = endLine;
  }
  return vars;
}

/** Reads a quoted value starting at `raw` (line `start`), which may run over several lines. */
function quoted(
  lines: string[],
  start: number,
  raw: string,
  opening: string,
  where: string,
): { value: string; endLine: number } {
  let text = raw.slice(1);
  for (let index = start;; index++) {
    const close = closingQuote(text, opening);
    if (close >= 0) {
      const after = text.slice(close + 1).trim();
      if (after !== "" && !after.startsWith("#")) {
        throw new SyntaxError(`${where}: unexpected ${quote(after)} after the closing quote`);
      }
      const body = text.slice(0, close);
      return { value: opening === '"' ? unescape(body) : body, endLine: index };
    }
    if (index + 1 >= lines.length) throw new SyntaxError(`${where}: the ${opening} is not closed`);
    text += `\n${lines[index + 1]}`;
  }
}

/** The index of the quote that closes `text`, skipping escaped ones in double quotes. */
function closingQuote(text: string, opening: string): number {
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (opening === '"' && char === "\\") index++;
    else if (char === opening) return index;
  }
  return -1;
}

function unescape(body: string): string {
  return body.replace(/\\(.)/gs, (whole, char: string) => ESCAPES[char] ?? whole);
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}

/**
 * The variables of `files`, read in order (a later file wins), under `env`: a variable already
 * set in the environment keeps its value, as Node's `--env-file` and most dotenv tools do.
 */
export async function withEnvFiles(
  files: readonly string[],
  env: Record<string, string>,
): Promise<Record<string, string>> {
  let fromFiles: Record<string, string> = {};
  for (const file of files) {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (error) {
      throw new SyntaxError(`--env-file ${file}: ${(error as Error).message}`);
    }
    fromFiles = { ...fromFiles, ...parseDotenv(text, file) };
  }
  return { ...fromFiles, ...env };
}
