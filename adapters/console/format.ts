/**
 * Catalog text uses light Slack-style marks (*bold*, _italic_, `code`). On a terminal they
 * become ANSI bold/italic; in a pipe they are simply removed.
 */
export function formatText(text: string, color: boolean): string {
  const bold = color ? "\u001b[1m$1\u001b[22m" : "$1";
  const italic = color ? "\u001b[3m$1\u001b[23m" : "$1";
  return text
    .replace(/\*([^*\n]+)\*/g, bold)
    .replace(
      /(^|\s)_([^_\n]+)_(?=\s|$|[.,;:])/g,
      (_m, pre: string, inner: string) => `${pre}${italic.replace("$1", inner)}`,
    )
    .replace(/`([^`\n]+)`/g, "$1");
}

/**
 * Wraps text at word boundaries for a terminal of `width` columns; bullet lines ("• …") get a
 * hanging indent so lists stay readable. ANSI escapes do not count towards the width.
 */
export function wrapText(text: string, width: number): string {
  // ANSI SGR sequences (ESC [ … m) take no columns.
  const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
  const visible = (s: string) => s.replace(ansi, "").length;
  return text
    .split("\n")
    .map((line) => {
      if (visible(line) <= width) return line;
      const indent = /^(\s*(?:•|\d+\.)\s+)/.exec(line)?.[1]?.replace(/\S/g, " ") ?? "";
      const out: string[] = [];
      let current = "";
      for (const word of line.split(" ")) {
        if (current !== "" && visible(current) + 1 + visible(word) > width) {
          out.push(current);
          current = indent + word;
        } else {
          current = current === "" ? word : `${current} ${word}`;
        }
      }
      out.push(current);
      return out.join("\n");
    })
    .join("\n");
}
