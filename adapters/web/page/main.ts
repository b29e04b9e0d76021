/**
 * The secure web page (docs/web.md): boots the report section in the page the server sent.
 *
 * Everything the melder enters lives in this page's memory only: no cookies, no localStorage,
 * sessionStorage, IndexedDB or Cache API, nothing in the address. Closing the tab, "Stop and
 * erase all", or the idle timeout drops it. The page talks only to its own origin (the CSP says
 * so too) and sends the report only as an OpenPGP message sealed here.
 *
 * Sections: the page has one today, the report. The anonymous follow-up mailbox ("Mijn
 * brievenbus", docs/follow-up.md) becomes a second section beside it, and a step under the
 * receipt through a ReceiptExtension; the header then shows a navigation between the two.
 */
import type { Locale } from "../../../flows/domain.ts";
import { t } from "../../../src/content/index.ts";
import type { WebConfig } from "../protocol.ts";
import { createApi } from "./api.ts";
import { ReportSection } from "./report.ts";
import { type ReceiptExtension, ReportRenderer } from "./view.ts";

/** Receipt extensions (the follow-up mailbox's step after sending will register here). */
const RECEIPT_EXTENSIONS: ReceiptExtension[] = [];

function boot(): void {
  const main = document.getElementById("main");
  if (!main) return;
  const pageLocale: Locale = document.documentElement.lang === "en" ? "en" : "nl";
  const fail = (id: "web.insecure" | "web.loadFailed") => {
    const p = document.createElement("p");
    p.className = "notice notice--danger";
    p.setAttribute("role", "alert");
    p.textContent = t(pageLocale, id);
    main.replaceChildren(p);
  };
  // Web Crypto exists only in a secure context (https, or localhost): without it nothing is sealed.
  if (
    !window.isSecureContext ||
    !globalThis.crypto?.subtle ||
    typeof globalThis.crypto.randomUUID !== "function"
  ) {
    fail("web.insecure");
    return;
  }
  const api = createApi();
  void api.config().then((answer) => {
    if (answer.ok) start(main, answer.value);
    else fail("web.loadFailed");
  });
}

function start(main: HTMLElement, config: WebConfig): void {
  const organisation = config.directory.organisation;
  const renderer = new ReportRenderer(main, { organisation, extensions: RECEIPT_EXTENSIONS }, (action) => {
    void section.handle(action);
  });
  const section = new ReportSection({
    config,
    api: createApi(),
    render(view) {
      document.documentElement.lang = view.locale;
      document.title = t(view.locale, "web.title", { organisation });
      setChrome(view.locale, organisation);
      renderer.render(view);
    },
  });
  watchIdle(config.directory.idleMinutes, () => section.reset({ text: "notice.timedOut", notice: true }));
  renderer.render(section.view());
  setChrome(section.locale, organisation);
}

/** The header's name and the footer's promise, in the page's language. */
function setChrome(locale: Locale, organisation: string): void {
  const brand = document.querySelector(".brand");
  if (brand) brand.textContent = t(locale, "web.title", { organisation });
  let footer = document.querySelector("footer.bottom");
  if (!footer) {
    footer = document.createElement("footer");
    footer.className = "bottom";
    document.getElementById("app")?.append(footer);
  }
  footer.textContent = t(locale, "web.footer");
}

/**
 * After `minutes` without a key, a tap or a click the section starts over with nothing kept, as
 * the chat's draft is wiped on the server: a melder who walks away from a shared computer leaves
 * nothing behind on the screen.
 */
function watchIdle(minutes: number, expire: () => void): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let active = false;
  const arm = () => {
    active = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      if (active) expire();
      active = false;
    }, minutes * 60_000);
  };
  for (const type of ["keydown", "pointerdown", "input"])
    document.addEventListener(type, arm, { passive: true });
}

boot();
