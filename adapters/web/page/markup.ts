/**
 * Catalog text to DOM nodes. The catalogs use light marks (*bold*, _italic_, `code`, "• " and
 * "1. " lists, blank lines between paragraphs); they become elements built with createElement and
 * text nodes only — never HTML parsing — so text from the configuration or from the melder can
 * never become markup, and the page runs under Trusted Types with no HTML sink at all.
 */

/**
 * Applied to every text parameter before it is put into a message (RenderOptions.escape): the
 * marks lose their meaning, and line breaks a melder typed stay inside their line (U+2028), so
 * their text cannot start a list or a paragraph of its own. An underscore inside a word is left
 * alone: it never starts emphasis, and some parameters are ids a composed message looks up
 * ("not_sure").
 */
export function escapeParam(text: string): string {
  return text
    .replace(/[\\*`•]/g, "\\$&")
    .replace(/(^|[\s(])_/g, "$1\\_")
    .replace(/\r\n?|\n/g, "\u2028");
}

export interface RenderedText {
  /** A first line that is bold on its own: the step's heading. */
  heading?: string;
  nodes: Node[];
}

const BOLD_LINE = /^\*([^*\n]+)\*$/;
const BULLET = /^•\s+/;
const NUMBERED = /^(\d+)\.\s+/;

export function renderText(doc: Document, text: string, options: { heading?: boolean } = {}): RenderedText {
  let body = text;
  let heading: string | undefined;
  if (options.heading) {
    const [first = "", ...rest] = text.split("\n");
    const match = BOLD_LINE.exec(first);
    if (match?.[1]) {
      heading = unmark(match[1]);
      body = rest.join("\n").replace(/^\n+/, "");
    }
  }
  const nodes: Node[] = [];
  for (const block of body.split(/\n{2,}/)) {
    const lines = block.split("\n").filter((l) => l.trim() !== "");
    const isItem = (line: string) => BULLET.test(line) || NUMBERED.test(line);
    let list: HTMLElement | undefined;
    let item: HTMLElement | undefined;
    let paragraph: HTMLElement | undefined;
    for (const [i, line] of lines.entries()) {
      const bullet = BULLET.exec(line);
      const numbered = NUMBERED.exec(line);
      if (bullet || numbered) {
        const kind = bullet ? "ul" : "ol";
        if (!list || list.localName !== kind) {
          list = doc.createElement(kind);
          if (numbered?.[1] && numbered[1] !== "1") list.setAttribute("start", numbered[1]);
          nodes.push(list);
        }
        paragraph = undefined;
        item = doc.createElement("li");
        item.append(...inline(doc, line.slice((bullet ?? numbered)?.[0].length ?? 0)));
        list.append(item);
        continue;
      }
      // A line between two items belongs to the item above it (the review's "• label" and the
      // melder's text); a line after the last item closes the list.
      if (item && lines.slice(i + 1).some(isItem)) {
        item.append(doc.createElement("br"), ...inline(doc, line));
        continue;
      }
      list = undefined;
      item = undefined;
      if (!paragraph) {
        paragraph = doc.createElement("p");
        nodes.push(paragraph);
      } else {
        paragraph.append(doc.createElement("br"));
      }
      paragraph.append(...inline(doc, line));
    }
  }
  return { ...(heading !== undefined ? { heading } : {}), nodes };
}

/** The text a catalog line shows, without its marks (for headings, labels and titles). */
export function plainText(text: string): string {
  return unmark(text.replace(/(^|[^\\])[*`]/g, "$1").replace(/(^|\s)_([^_]+)_/g, "$1$2"));
}

const unmark = (text: string) => text.replace(/\\(.)/g, "$1").replace(/\u2028/g, " ");

/** The next unescaped `mark` from `from`, or -1. */
function closing(line: string, from: number, mark: string): number {
  for (let i = from; i < line.length; i++) {
    if (line[i] === "\\") {
      i++;
      continue;
    }
    if (line[i] === mark) return i;
  }
  return -1;
}

function inline(doc: Document, line: string): Node[] {
  const out: Node[] = [];
  let text = "";
  const flush = () => {
    if (text !== "") out.push(doc.createTextNode(text));
    text = "";
  };
  const wrap = (tag: string, inner: string) => {
    flush();
    const el = doc.createElement(tag);
    el.append(...inline(doc, inner));
    out.push(el);
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === "\\" && i + 1 < line.length) {
      text += line[++i];
      continue;
    }
    if (c === "\u2028") {
      flush();
      out.push(doc.createElement("br"));
      continue;
    }
    if (c === "*" || c === "`") {
      const end = closing(line, i + 1, c);
      if (end > i + 1) {
        wrap(c === "*" ? "strong" : "code", line.slice(i + 1, end));
        i = end;
        continue;
      }
    }
    if (c === "_" && (i === 0 || /[\s(]/.test(line[i - 1] ?? ""))) {
      const end = closing(line, i + 1, "_");
      if (end > i + 1 && (end + 1 === line.length || /[\s.,;:!?)]/.test(line[end + 1] ?? ""))) {
        wrap("em", line.slice(i + 1, end));
        i = end;
        continue;
      }
    }
    text += c;
  }
  flush();
  return out;
}
