/**
 * "What each party can obtain": the one source for the privacy page `vertrouwd serve` shows at
 * GET /privacy (nl and en) and for the table in docs/privacy.md, which is generated from here
 * (`npm run docs:privacy`; a test fails when the doc and this module differ). Data rather than
 * a parsed markdown table because the page needs both languages, the server must not read docs/
 * at run time (a build need not ship it), and each "nothing" cell can name the test that
 * backs it.
 *
 * Every cell must be exactly true. Change a cell only together with the code that makes it true.
 */
import type { Locale } from "../../flows/domain.ts";

export type Words = Record<Locale, string>;

export const FACTS = ["contact", "timing", "choices", "text", "identity"] as const;
export type Fact = (typeof FACTS)[number];

/**
 * A cell in a small markdown subset: **bold**, `code`, and [links](…) to the test in
 * test/security that backs a "nothing" (the doc shows the link; the page shows the words only,
 * a test file means nothing to a melder). Dutch cells carry no test links: the doc is English.
 */
export type Cell = Words;

export interface Party {
  id: string;
  name: Words;
  cells: Record<Fact, Cell>;
}

export const COLUMN_NAMES: Record<"party" | Fact, Words> = {
  party: { nl: "Wie", en: "Who" },
  contact: { nl: "Dat iemand de app gebruikte", en: "The fact of contact" },
  timing: { nl: "Wanneer", en: "Timing" },
  choices: {
    nl: "Wat er gekozen is (onderwerp, vertrouwenspersoon, anoniem of niet, wens)",
    en: "What was chosen (topic, counsellor, anonymity, wish)",
  },
  text: { nl: "Wat er geschreven is", en: "What was written" },
  identity: { nl: "Wie een anonieme melder is", en: "Who an anonymous melder is" },
};

export const PARTIES: Party[] = [
  {
    id: "carrier",
    name: { nl: "**Slack of Microsoft** (de chatdienst)", en: "**Slack or Microsoft** (the carrier)" },
    cells: {
      contact: {
        nl: "Ja: de melder praat met de app.",
        en: "Yes: the melder talks to the app.",
      },
      timing: {
        nl: "Ja: elke klik en elke stap in het formulier gaat via hen.",
        en: "Yes: every click and form step passes through them.",
      },
      choices: {
        nl: "Ja, onderweg: wat je in het formulier instuurt, gaat via hen naar de app. Niet in de chatgeschiedenis.",
        en: "Yes, in transit: form submissions pass through them to the app. Not in the chat history.",
      },
      text: {
        nl: "Ja, onderweg (een ingestuurd formulier). Niet in de chatgeschiedenis. De beveiligde webpagina voorkomt dit: daar wordt het verhaal in je eigen browser versleuteld.",
        en: "Yes, in transit (a modal or dialog submission). Not in the chat history. The secure web page avoids this: the story is encrypted in the browser.",
      },
      identity: {
        nl: "Ja: zij weten welk account de app gebruikte.",
        en: "Yes: they know which account used the app.",
      },
    },
  },
  {
    id: "admin",
    name: {
      nl: "**Beheerder van de werkruimte of tenant** (export, eDiscovery, bewaarbeleid en juridische bewaring)",
      en: "**Workspace or tenant admin** (exports, eDiscovery, retention and legal holds)",
    },
    cells: {
      contact: {
        nl: "Ja: dat er een chat met de app is.",
        en: "Yes: the DM with the app exists.",
      },
      timing: {
        nl: "De tijden van de algemene stappen in de chat.",
        en: "The times of the neutral chat steps.",
      },
      choices: {
        nl: "**Niets**: de chat is hetzelfde, wat er ook gekozen is.",
        en: "**Nothing**: the chat is the same whatever was chosen — [`chat-transcripts-are-identical`](../test/security/chat-transcripts-are-identical.test.ts).",
      },
      text: {
        nl: "**Niets**.",
        en: "**Nothing** — [`report-text-stays-in-the-form`](../test/security/report-text-stays-in-the-form.test.ts).",
      },
      identity: {
        nl: "Dat een account de app gebruikte en een formulier verstuurde; **niets** dat het aan een bepaalde melding koppelt (geen zaakcode, geen hash, geen vertrouwenspersoon in de chat).",
        en: "That an account used the app and sent a form; **nothing** that ties it to a particular report (no case code, no hash, no counsellor in the chat) — [`chat-transcripts-are-identical`](../test/security/chat-transcripts-are-identical.test.ts).",
      },
    },
  },
  {
    id: "operator",
    name: {
      nl: "**Wie de app beheert, buiten de draaiende app** (een volledige kopie van Redis, alle logregels, de serveromgeving)",
      en: "**The bot's operator, at rest** (a full Redis dump, every log line, the host's environment)",
    },
    cells: {
      contact: {
        nl: "Ja: een chat wordt bewaard onder een HMAC van het account. Wie het servergeheim heeft, kan die voor een ledenlijst uitrekenen.",
        en: "Yes: a chat record is keyed by an HMAC of the account, which whoever holds the server secret can recompute for a member list.",
      },
      timing: {
        nl: "Globaal: tijden van algemene gebeurtenissen in de logs; hoe lang gegevens bewaard blijven.",
        en: "Coarse: log times of coarse events; the TTLs of records.",
      },
      choices: {
        nl: "**Niets** over de keuzes van een melder: concepten zijn versleuteld met de eigen sleutel van het formulier. De afleverwachtrij laat zien welke vertrouwenspersoon een zaak krijgt en wanneer, nooit van wie.",
        en: "**Nothing** about a melder's choices: drafts are sealed with the form's own key — [`operator-learns-nothing`](../test/security/operator-learns-nothing.test.ts). The delivery queue shows which counsellor receives a case and when, never from whom.",
      },
      text: {
        nl: "**Niets**.",
        en: "**Nothing** — [`operator-learns-nothing`](../test/security/operator-learns-nothing.test.ts), [`report-text-stays-in-the-form`](../test/security/report-text-stays-in-the-form.test.ts).",
      },
      identity: {
        nl: "**Niets**: geen concept, wachtende melding, status of logregel bevat de HMAC, het ID of de chat van het account; logs bevatten geen keuze.",
        en: "**Nothing**: no draft, queued handoff, status or log line carries the account's HMAC, id or DM — [`operator-learns-nothing`](../test/security/operator-learns-nothing.test.ts); logs hold no choice — [`log-lines-carry-no-choice`](../test/security/log-lines-carry-no-choice.test.ts).",
      },
    },
  },
  {
    id: "process",
    name: {
      nl: "**De draaiende app** (een kopie van het geheugen, of een server die de beheerder heeft aangepast)",
      en: "**The running process** (a memory dump, or a server the operator modified)",
    },
    cells: {
      contact: {
        nl: "Ja.",
        en: "Yes.",
      },
      timing: {
        nl: "Ja.",
        en: "Yes.",
      },
      choices: {
        nl: "Ja, zolang de app een stap verwerkt: hij moet een stap lezen om die te versleutelen.",
        en: "Yes, while it handles a step: it must read a form step to seal it.",
      },
      text: {
        nl: "Ja, zolang de app de melding versleutelt: anders kan dat niet.",
        en: "Yes, while it seals the handoff: it must, to encrypt it.",
      },
      identity: {
        nl: "Ja: de app ziet welk account een stap van het formulier verstuurde. Dit risico heeft elk formulier op een server; de webpagina haalt het weg voor het verhaal (versleuteld in de browser).",
        en: "Yes: it sees the account that sent a form step. This is the residual risk of any server-side form; the web page removes it for the story (encrypted in the browser).",
      },
    },
  },
  {
    id: "web-operator",
    name: {
      nl: "**De beheerder van de app, bij een melding via de beveiligde webpagina** (de server, de logboeken, Redis)",
      en: "**The bot's operator, for a report from the secure web page** (the server, its logs, Redis)",
    },
    cells: {
      contact: {
        nl: "Ja: de pagina werd geopend, vanaf een internetadres. Dat adres wordt alleen kort bewaard als onleesbare code, tegen misbruik. Het komt nooit in een logboek.",
        en: "Yes: the page was loaded, from an internet address (the TCP connection). The address is kept only as an expiring keyed hash for rate limits, never logged — [`web-server-sees-only-ciphertext`](../test/security/web-server-sees-only-ciphertext.test.ts).",
      },
      timing: {
        nl: "Wanneer een melding binnenkomt. Een vertraging bij het afleveren maakt het afleveren daar los van.",
        en: "When a report arrives (an optional delivery delay decorrelates the delivery from it).",
      },
      choices: {
        nl: "Welke vertrouwenspersoon de melding krijgt (nodig om af te leveren). **Verder niets**: onderwerp, anoniem of niet en wens zitten versleuteld in de melding.",
        en: "The chosen counsellor's id (needed to deliver); **nothing else**: the topic, anonymity and wishes are inside the ciphertext — [`web-server-sees-only-ciphertext`](../test/security/web-server-sees-only-ciphertext.test.ts).",
      },
      text: {
        nl: "**Niets**, ook niet terwijl de app werkt: het verhaal wordt in de eigen browser versleuteld. De server krijgt alleen een versleuteld bericht van een vaste grootte.",
        en: "**Nothing**, not even while it works: the story is encrypted in the browser, and every request body the server parsed holds only a counsellor id, a random case id and an OpenPGP message of a fixed size — [`web-server-sees-only-ciphertext`](../test/security/web-server-sees-only-ciphertext.test.ts).",
      },
      identity: {
        nl: "**Niets**, behalve het internetadres hierboven. Geen account, geen cookie. Een server die de beheerder aanpast, kan wel andere code sturen. Hoe je dat controleert, staat in `docs/web.md`.",
        en: "**Nothing** beyond the connection's address above: no account, no cookie, no token. A server the operator modifies could serve other code; `docs/web.md` says how an auditor checks it.",
      },
    },
  },
  {
    id: "mailbox-operator",
    name: {
      nl: "**De beheerder van de app, bij de anonieme brievenbus** (de server, de logboeken, Redis)",
      en: "**The bot's operator, for the anonymous follow-up mailbox** (the server, its logs, Redis)",
    },
    cells: {
      contact: {
        nl: "Ja: dat er een brievenbus is, bij welke zaak. Internetadressen alleen kort als onleesbare code, tegen misbruik.",
        en: "Yes: that a mailbox exists, and for which case; addresses only as expiring keyed hashes for rate limits — [`mailbox`](../test/e2e/mailbox.test.ts).",
      },
      timing: {
        nl: "Op welke dag een bericht binnenkomt. De brievenbus verdwijnt om middernacht, een half jaar na het laatste bericht.",
        en: "The day each message arrives (stored as a day; every key expires at midnight, `followUp.retentionDays` after the last message).",
      },
      choices: {
        nl: "Bij welke vertrouwenspersoon de brievenbus hoort. **Verder niets.**",
        en: "The counsellor the mailbox belongs to; **nothing else**.",
      },
      text: {
        nl: "**Niets**: elk bericht is versleuteld voor de melder en de vertrouwenspersoon. De beheerder ziet alleen hoe groot het is, na opvulling.",
        en: "**Nothing**: every message is encrypted to the melder's mailbox key and the counsellor; only its padded size shows — [`mailbox`](../test/e2e/mailbox.test.ts).",
      },
      identity: {
        nl: "**Niets**: de brievenbus is alleen te vinden met een geheime code die de melder zelf heeft. Geen account, geen cookie, geen melding.",
        en: "**Nothing**: the mailbox is known only by a keyed hash of a secret the melder alone holds; no account, no cookie, no notification.",
      },
    },
  },
  {
    id: "counsellor",
    name: { nl: "**De vertrouwenspersoon**", en: "**The counsellor**" },
    cells: {
      contact: {
        nl: "Ja, voor de eigen zaken.",
        en: "Yes, for their own cases.",
      },
      timing: {
        nl: "Alleen de datum.",
        en: "The day only.",
      },
      choices: {
        nl: "Ja: alles in de melding.",
        en: "Yes: everything in the handoff.",
      },
      text: {
        nl: "Ja: alles in de melding.",
        en: "Yes: everything in the handoff.",
      },
      identity: {
        nl: "**Niets**, tenzij de melder zelf een naam of manier van contact gaf. De melding bevat geen account-ID en geen precies tijdstip.",
        en: "**Nothing**, unless the melder gave a name or contact route themselves. The handoff holds no account id and no exact time — [`report-text-stays-in-the-form`](../test/security/report-text-stays-in-the-form.test.ts), [`relays-see-ciphertext-and-the-day`](../test/security/relays-see-ciphertext-and-the-day.test.ts).",
      },
    },
  },
  {
    id: "deputy",
    name: {
      nl: "**De vervanger** (als die is ingesteld; staat op de kaart van de vertrouwenspersoon)",
      en: "**The deputy** (when configured, named on the counsellor card)",
    },
    cells: {
      contact: {
        nl: "Zoals de vertrouwenspersoon.",
        en: "As the counsellor.",
      },
      timing: {
        nl: "Zoals de vertrouwenspersoon.",
        en: "As the counsellor.",
      },
      choices: {
        nl: "Zoals de vertrouwenspersoon.",
        en: "As the counsellor.",
      },
      text: {
        nl: "Zoals de vertrouwenspersoon.",
        en: "As the counsellor.",
      },
      identity: {
        nl: "Zoals de vertrouwenspersoon.",
        en: "As the counsellor.",
      },
    },
  },
  {
    id: "relay",
    name: {
      nl: "**Een mailserver of webhook-ontvanger** (onderweg)",
      en: "**A mail server or webhook receiver** (the relay)",
    },
    cells: {
      contact: {
        nl: "Dat er een melding voor een vertrouwenspersoon binnenkomt.",
        en: "That a handoff for a counsellor arrives.",
      },
      timing: {
        nl: "Alleen de datum: de `Date` van de mail, de ondertekende tijd van de webhook, de handtekening en de gegevens zeggen allemaal 00:00 van die dag. Het moment van ontvangst zien zij wel; een willekeurige vertraging bij het afleveren (`handoff.deliveryDelayMinutes`) maakt dat los van de klik.",
        en: "The day only: the mail's `Date`, the webhook's signed timestamp, the signature and literal data packets all say 00:00 of the day — [`relays-see-ciphertext-and-the-day`](../test/security/relays-see-ciphertext-and-the-day.test.ts). The moment of receipt is theirs to see; an optional random delivery delay (`handoff.deliveryDelayMinutes`) decorrelates it from the click.",
      },
      choices: {
        nl: "**Niets** (het onderwerp zegt niets; de sleutel-ID's van ontvangers kunnen verborgen worden).",
        en: "**Nothing** (the subject is bland; recipient key ids can be hidden) — [`relays-see-ciphertext-and-the-day`](../test/security/relays-see-ciphertext-and-the-day.test.ts).",
      },
      text: {
        nl: "**Niets**: versleutelde tekst, aangevuld tot een vaste grootte.",
        en: "**Nothing**: ciphertext padded to a size bucket — [`relays-see-ciphertext-and-the-day`](../test/security/relays-see-ciphertext-and-the-day.test.ts).",
      },
      identity: {
        nl: "**Niets**.",
        en: "**Nothing**.",
      },
    },
  },
];

/** The page's own words around the table. */
export const PAGE = {
  title: { nl: "Privacy: wie kan wat zien?", en: "Privacy: who can see what?" },
  intro: {
    nl:
      "Vertrouwd is de digitale ingang naar de vertrouwenspersonen van {organisation}. " +
      "In de chat staan alleen algemene stappen. Wat over jouw situatie gaat, vul je in een apart formulier in. " +
      "Als je het verstuurt, wordt het versleuteld voor de vertrouwenspersoon die je kiest.",
    en:
      "Vertrouwd is the digital way in to the confidential counsellors of {organisation}. " +
      "The chat only shows general steps. What is about your situation goes into a separate form. " +
      "When you send it, it is encrypted for the counsellor you choose.",
  },
  caption: { nl: "Wat elke partij kan zien", en: "What each party can obtain" },
  risksTitle: { nl: "Wat overblijft", en: "What remains" },
  risks: [
    {
      nl: "Tijd: wie het moment van versturen in de chat kent en het moment van aflevering bij de vertrouwenspersoon, kan die twee naast elkaar leggen. Een willekeurige vertraging bij het afleveren maakt dat moeilijker.",
      en: "Timing: someone who knows when a message was sent in the chat and when it reached the counsellor can put the two side by side. A random delivery delay makes that harder.",
    },
    {
      nl: "Een aangepaste server: wie de app zelf kan veranderen, kan meelezen. Versleuteling beschermt alleen wat de app niet zelf doorgeeft.",
      en: "A modified server: whoever can change the running app can read along. Encryption only protects what the app does not hand over itself.",
    },
    {
      nl: "De chatdienst: Slack of Microsoft weten altijd welk account de app gebruikte.",
      en: "The carrier: Slack or Microsoft always know which account used the app.",
    },
  ] satisfies Words[],
  termsTitle: { nl: "Gebruik van deze app", en: "Using this app" },
  terms: [
    {
      nl: "Deze app is geen noodlijn. Ben je in gevaar? Bel 112.",
      en: "This app is not an emergency line. In danger? Call 112.",
    },
    {
      nl: "Gebruik is vrijwillig en gratis. Je kunt op elk moment stoppen; dan wist de app wat je invulde.",
      en: "Using it is voluntary and free. You can stop at any time; the app then erases what you filled in.",
    },
    {
      nl: "Een eerste melding hier is nog geen formele klacht. De regeling van je organisatie voor vertrouwenspersonen blijft gelden.",
      en: "A first report here is not yet a formal complaint. Your organisation's rules for confidential counsellors still apply.",
    },
  ] satisfies Words[],
  otherLanguage: { nl: "English", en: "Nederlands" },
};

/** The English table as markdown, for docs/privacy.md (between the markers below). */
export const DOC_START =
  "<!-- privacy-table:start (generated from src/content/privacy.ts: npm run docs:privacy) -->";
export const DOC_END = "<!-- privacy-table:end -->";

export function privacyTableMarkdown(locale: Locale = "en"): string {
  const columns = (["party", ...FACTS] as const).map((c) => COLUMN_NAMES[c][locale]);
  const rows = PARTIES.map(
    (p) => `| ${[p.name[locale], ...FACTS.map((f) => p.cells[f][locale])].join(" | ")} |`,
  );
  return [`| ${columns.join(" | ")} |`, `|${columns.map(() => "---|").join("")}`, ...rows].join("\n");
}

/** A cell without its links to tests (a test file means nothing to a melder); markup kept. */
export function withoutTestLinks(markdown: string): string {
  return markdown
    .replace(/\s*[—;,]?\s*\[`[^\]]*`\]\([^)]*\)/g, "")
    .replace(/\s+([.;:,])/g, "$1")
    .replace(/([.;:,])\1+/g, "$1")
    .trim();
}

/** A cell as the page shows it, in words: no test links, no markup. */
export function cellWords(markdown: string): string {
  return withoutTestLinks(markdown)
    .replace(/\*\*([^*]+)\*\*/g, "$1")
    .replace(/`([^`]+)`/g, "$1");
}

/** docs/privacy.md with its table region replaced by the generated table. */
export function withGeneratedTable(doc: string): string {
  const start = doc.indexOf(DOC_START);
  const end = doc.indexOf(DOC_END);
  if (start < 0 || end < start) throw new Error(`docs/privacy.md has no ${DOC_START} … ${DOC_END} region`);
  return `${doc.slice(0, start + DOC_START.length)}\n\n${privacyTableMarkdown("en")}\n\n${doc.slice(end)}`;
}
