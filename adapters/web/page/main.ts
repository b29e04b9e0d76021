/**
 * The secure web page (docs/web.md): boots the report section in the page the server sent.
 *
 * Everything the melder enters lives in this page's memory only: no cookies, no localStorage,
 * sessionStorage, IndexedDB or Cache API, nothing in the address. Closing the tab, "Stop and
 * erase all", or the idle timeout drops it. The page talks only to its own origin (the CSP says
 * so too) and sends the report only as an OpenPGP message sealed here.
 *
 * Sections: the report, and the anonymous follow-up mailbox ("Mijn brievenbus",
 * docs/follow-up.md), chosen by the address's fragment: `#mailbox` reads a mailbox,
 * `#mailbox/open?t=…` opens one from a Slack or Teams receipt (the token is taken out of the
 * address at once), anything else is the report. The header links between the two. An anonymous
 * report is offered the mailbox before it is sealed (ReportSectionOptions.followUp), and its
 * receipt then says how to read the answer (a ReceiptExtension).
 */
import type { Locale } from "../../../flows/domain.ts";
import { t } from "../../../src/content/index.ts";
import type { WebConfig } from "../protocol.ts";
import { createApi } from "./api.ts";
import { MailboxPage } from "./mailbox.ts";
import { renderText } from "./markup.ts";
import { ReportSection } from "./report.ts";
import { type ReceiptExtension, ReportRenderer } from "./view.ts";

/** Cases sent with a mailbox in this page's life: their receipt says how to read the answer. */
const withMailbox = new Set<string>();

/** Under the receipt of a report sent with a mailbox: where the answer will be. */
const mailboxReceipt: ReceiptExtension = (view, doc) => {
  if (!view.receipt || !withMailbox.has(view.receipt.caseId)) return undefined;
  const box = doc.createElement("div");
  box.className = "card";
  box.append(...renderText(doc, t(view.locale, "mailbox.receipt")).nodes);
  const link = doc.createElement("a");
  link.className = "button";
  link.href = "#mailbox";
  link.textContent = t(view.locale, "mailbox.nav");
  box.append(link);
  return box;
};

const RECEIPT_EXTENSIONS: ReceiptExtension[] = [mailboxReceipt];

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
  const api = createApi();
  let where: "report" | "mailbox" = "report";
  // One screen number for the whole page (section.step's data-step), so a screen of either
  // section is always newer than the one before it.
  let pageStep = 0;
  let lastReportStep = -1;
  const renderer = new ReportRenderer(main, { organisation, extensions: RECEIPT_EXTENSIONS }, (action) => {
    void section.handle(action);
  });
  const renderReport = (view: ReturnType<ReportSection["view"]>) => {
    if (view.step !== lastReportStep) pageStep++;
    lastReportStep = view.step;
    renderer.render(view);
    main.querySelector("section.step")?.setAttribute("data-step", String(pageStep));
  };
  const mailbox: MailboxPage = new MailboxPage({
    host: main,
    api,
    config,
    locale: (): Locale => section.locale,
    onStop: () => {
      section.reset({ text: "web.stopped", notice: true });
      leave();
    },
    onLeave: () => leave(),
    nextStep: (fresh) => (fresh ? ++pageStep : pageStep),
  });
  const section: ReportSection = new ReportSection({
    config,
    api,
    render(view) {
      document.documentElement.lang = view.locale;
      document.title = t(view.locale, "web.title", { organisation });
      if (where !== "report") return;
      setChrome(view.locale, organisation, config, where);
      renderReport(view);
    },
    ...(config.followUp
      ? {
          followUp: async (context: Parameters<MailboxPage["offer"]>[0]) => {
            const followUp = await mailbox.offer(context);
            if (followUp && followUp !== "stop") withMailbox.add(context.ids.caseId);
            return followUp;
          },
        }
      : {}),
  });
  /** Back to the report section, as it was. */
  const leave = () => {
    if (location.hash !== "") history.replaceState(null, "", location.pathname + location.search);
    route();
  };
  const route = () => {
    const hash = location.hash;
    // A report waits for the mailbox offer's answer: it stays on screen until it is given.
    if (mailbox.offering) {
      history.replaceState(null, "", location.pathname + location.search);
      return;
    }
    if (config.followUp && hash.startsWith("#mailbox")) {
      where = "mailbox";
      setChrome(section.locale, organisation, config, where);
      const token = /^#mailbox\/open\?t=([A-Za-z0-9_-]{22})$/.exec(hash)?.[1];
      if (hash.startsWith("#mailbox/open")) {
        // The token leaves the address (and the history entry) before anything else happens.
        history.replaceState(null, "", `${location.pathname}${location.search}#mailbox/open`);
        if (token) mailbox.link(token);
        else mailbox.read();
        return;
      }
      mailbox.read();
      return;
    }
    mailbox.wipe();
    where = "report";
    setChrome(section.locale, organisation, config, where);
    lastReportStep = -1;
    renderReport(section.view());
  };
  window.addEventListener("hashchange", route);
  watchIdle(config.directory.idleMinutes, () => {
    mailbox.wipe();
    section.reset({ text: "notice.timedOut", notice: true });
    if (where === "mailbox") leave();
  });
  route();
}

/** The header's name and link between the sections, and the footer's promise, in the page's language. */
function setChrome(
  locale: Locale,
  organisation: string,
  config?: WebConfig,
  where: "report" | "mailbox" = "report",
): void {
  const brand = document.querySelector(".brand");
  if (brand) brand.textContent = t(locale, "web.title", { organisation });
  const top = document.querySelector("header.top");
  if (top && config?.followUp) {
    let nav = top.querySelector("nav.sections");
    if (!nav) {
      nav = document.createElement("nav");
      nav.className = "sections";
      top.append(nav);
    }
    nav.setAttribute("aria-label", t(locale, "mailbox.nav"));
    const link = document.createElement("a");
    link.href = where === "mailbox" ? "#" : "#mailbox";
    link.textContent = t(locale, where === "mailbox" ? "mailbox.navReport" : "mailbox.nav");
    nav.replaceChildren(link);
  }
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
