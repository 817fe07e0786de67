/**
 * Splits the text of a `sh` block into simple commands, as a POSIX shell would read them, far
 * enough for the doc test to check what each names: words with quotes removed, `\` line
 * continuations joined, comments dropped, commands separated at `&&`, `||`, `|`, `;`, `&` and
 * newlines, subshells `( ... )` marked so a `cd` inside one ends with it. Redirections are
 * dropped with their target. `$(...)` and variables stay in their word, unexpanded.
 *
 * @module
 */

/** One step of a block: a simple command, or the start or end of a subshell. */
export type ShellStep =
  | { readonly kind: "command"; readonly words: readonly string[]; readonly line: number }
  | { readonly kind: "subshell-start" | "subshell-end"; readonly line: number };

const OPERATORS = ["&&", "||", ";", "|", "&"];

/** The steps of `code`, in order. */
export function shellSteps(code: string): ShellStep[] {
  const steps: ShellStep[] = [];
  let words: string[] = [];
  let word: string | undefined;
  let line = 1;
  let commandLine = 1;
  let skipNextWord = false;

  const endWord = () => {
    if (word === undefined) return;
    if (skipNextWord) skipNextWord = false;
    else words.push(word);
    word = undefined;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) steps.push({ kind: "command", words, line: commandLine });
    words = [];
  };
  const append = (text: string) => {
    if (word === undefined && words.length === 0) commandLine = line;
    word = (word ?? "") + text;
  };

  for (let index = 0; index < code.length; index++) {
    const char = code[index]!;
    const rest = code.slice(index);
    if (char === "\\" && code[index + 1] === "\n") {
      index++;
      line++;
    } else if (char === "\\") {
      append(code[index + 1] ?? "");
      index++;
    } else if (char === "'" || char === '"') {
      const close = findQuoteEnd(code, index);
      append(unquote(code.slice(index + 1, close), char));
      line += countNewlines(code.slice(index, close));
      index = close;
    } else if (char === "$" && code[index + 1] === "(") {
      const close = findParenEnd(code, index + 1);
      append(code.slice(index, close + 1));
      index = close;
    } else if (char === "#" && word === undefined) {
      while (index + 1 < code.length && code[index + 1] !== "\n") index++;
    } else if (char === "\n") {
      endCommand();
      line++;
    } else if (char === " " || char === "\t") {
      endWord();
    } else if ((char === "(" && word === undefined) || char === ")") {
      endCommand();
      steps.push({ kind: char === "(" ? "subshell-start" : "subshell-end", line });
    } else if (/^(\d?>>?|<)/.test(rest) && word === undefined) {
      const redirect = /^(\d?>>?|<)(&\d)?/.exec(rest)![0];
      index += redirect.length - 1;
      // `2>&1` has no target word; `> file` and `>file` do.
      if (!redirect.includes("&")) {
        if (code[index + 1] === " ") skipNextWord = true;
        else {
          word = "";
          skipNextWord = true;
        }
      }
    } else {
      const operator = OPERATORS.find((candidate) => rest.startsWith(candidate));
      if (operator) {
        endCommand();
        index += operator.length - 1;
      } else append(char);
    }
  }
  endCommand();
  return steps;
}

function findQuoteEnd(code: string, open: number): number {
  const quote = code[open]!;
  for (let index = open + 1; index < code.length; index++) {
    if (quote === '"' && code[index] === "\\") index++;
    else if (code[index] === quote) return index;
  }
  throw new SyntaxError(`unterminated ${quote} quote`);
}

function findParenEnd(code: string, open: number): number {
  let depth = 0;
  for (let index = open; index < code.length; index++) {
    if (code[index] === "(") depth++;
    if (code[index] === ")" && --depth === 0) return index;
  }
  throw new SyntaxError("unterminated $(");
}

function unquote(text: string, quote: string): string {
  return quote === '"' ? text.replace(/\\(["\\$`])/g, "$1") : text;
}

function countNewlines(text: string): number {
  return text.split("\n").length - 1;
}
