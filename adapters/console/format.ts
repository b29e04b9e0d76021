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
