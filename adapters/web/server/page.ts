/**
 * The page's HTML: a shell with no inline script or style. The bundle (dist/web/app.js and
 * app.css) is referenced with Subresource Integrity, so the page runs only the exact bundle whose
 * hash `vertrouwd doctor` prints and an auditor can rebuild (docs/web.md). The words come from
 * the catalogs, in the configured default language; the page switches language itself.
 */
import type { Locale } from "../../../flows/domain.ts";
import { t } from "../../../src/content/index.ts";

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

export function renderPage(options: {
  locale: Locale;
  organisation: string;
  /** "sha384-…" of app.js and app.css. */
  integrity: { js: string; css: string };
}): string {
  const { locale } = options;
  const title = escapeHtml(t(locale, "web.title", { organisation: options.organisation }));
  return `<!doctype html>
<html lang="${locale}" translate="no">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<meta name="google" content="notranslate">
<title>${title}</title>
<link rel="icon" href="icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="app.css" integrity="${options.integrity.css}">
<script type="module" src="app.js" integrity="${options.integrity.js}"></script>
</head>
<body>
<div id="app" class="page">
<header class="top"><p class="brand">${title}</p></header>
<main id="main" class="main" tabindex="-1"><noscript><p class="notice">${escapeHtml(t(locale, "web.noscript"))}</p></noscript></main>
</div>
</body>
</html>
`;
}

/** A plain shield, drawn here so the browser never asks for /favicon.ico. */
export const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path fill="#1f4e79" d="M16 2 4 6v9c0 7.5 5.1 13.2 12 15 6.9-1.8 12-7.5 12-15V6z"/><path fill="#fff" d="m14 21-5-5 2-2 3 3 7-7 2 2z"/></svg>
`;
