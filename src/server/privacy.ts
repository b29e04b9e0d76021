/**
 * GET /privacy: the privacy page the Teams app links to (manifest developer.privacyUrl, and its
 * #terms section for termsOfUseUrl): what each party can obtain, in Dutch or English
 * (`?lang=en`), rendered from src/content/privacy.ts — the same source as docs/privacy.md.
 *
 * A static page: no script, no cookies, no outside resources; a strict Content-Security-Policy
 * lets in only its own inline style (by hash).
 */
import { createHash } from "node:crypto";
import type { Locale } from "../../flows/domain.ts";
import { COLUMN_NAMES, FACTS, PAGE, PARTIES, type Words, withoutTestLinks } from "../content/privacy.ts";
import type { Route } from "./http.ts";

export const PRIVACY_PATH = "/privacy";

const STYLE = [
  "body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;color:#1b1b1b;background:#fff}",
  "table{border-collapse:collapse;width:100%}",
  "th,td{border:1px solid #8a8a8a;padding:.4rem .5rem;text-align:left;vertical-align:top}",
  "thead th{background:#e8eef6}",
  "caption{text-align:left;font-weight:700;padding:.5rem 0}",
  "code{font-size:.9em}",
  "a{color:#1a4f8b}",
].join("");
const STYLE_HASH = createHash("sha256").update(STYLE).digest("base64");

const HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "public, max-age=3600",
};

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A table cell's markdown as HTML: the words of cellWords, with **bold** and `code` kept. */
function cellHtml(markdown: string): string {
  return esc(withoutTestLinks(markdown))
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/`([^`]+)`/g, "<code>$1</code>");
}

export function privacyPage(locale: Locale, organisation: string): string {
  const w = (words: Words) => esc(words[locale]);
  const other: Locale = locale === "nl" ? "en" : "nl";
  const head = FACTS.map((f) => `<th scope="col">${w(COLUMN_NAMES[f])}</th>`).join("");
  const rows = PARTIES.map((p) => {
    const cells = FACTS.map((f) => `<td>${cellHtml(p.cells[f][locale])}</td>`).join("");
    return `<tr><th scope="row">${cellHtml(p.name[locale])}</th>${cells}</tr>`;
  }).join("\n");
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${w(PAGE.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p><a href="${PRIVACY_PATH}?lang=${other}" lang="${other}" hreflang="${other}">${w(PAGE.otherLanguage)}</a></p>
<h1>${w(PAGE.title)}</h1>
<p>${esc(PAGE.intro[locale].replace("{organisation}", organisation))}</p>
<table>
<caption>${w(PAGE.caption)}</caption>
<thead><tr><th scope="col">${w(COLUMN_NAMES.party)}</th>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<h2>${w(PAGE.risksTitle)}</h2>
<ul>${PAGE.risks.map((r) => `<li>${w(r)}</li>`).join("")}</ul>
<h2 id="terms">${w(PAGE.termsTitle)}</h2>
<ul>${PAGE.terms.map((r) => `<li>${w(r)}</li>`).join("")}</ul>
</main>
</body>
</html>
`;
}

/** The language asked for (`?lang=en`), else the organisation's default. */
function localeOf(url: string | undefined, fallback: Locale): Locale {
  const lang = new URL(url ?? "/", "http://x").searchParams.get("lang");
  return lang === "en" || lang === "nl" ? lang : fallback;
}

export function privacyRoutes(options: { organisation: string; defaultLocale: Locale }): Route[] {
  const pages: Record<Locale, string> = {
    nl: privacyPage("nl", options.organisation),
    en: privacyPage("en", options.organisation),
  };
  return [
    {
      method: "GET",
      path: PRIVACY_PATH,
      handle(req, res) {
        const locale = localeOf(req.url, options.defaultLocale);
        res.writeHead(200, { ...HEADERS, "content-language": locale });
        res.end(pages[locale]);
      },
    },
  ];
}
