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

export interface Cell {
  says: Words;
  /** The party obtains nothing of this fact. */
  nothing?: boolean;
  /** A test in test/security that backs a "nothing" (path from the repository root). */
  test?: string;
}

export interface Party {
  id: string;
  name: Words;
  cells: Record<Fact, Cell>;
}

export const FACT_NAMES: Record<Fact, Words> = {
  contact: { nl: "Dat iemand de app gebruikte", en: "Fact of contact" },
  timing: { nl: "Wanneer", en: "Timing" },
  choices: {
    nl: "Keuzes (onderwerp, vertrouwenspersoon, anoniem of niet)",
    en: "Choices (topic, counsellor, anonymous or not)",
  },
  text: { nl: "Tekst van de melding", en: "Report text" },
  identity: { nl: "Wie een anonieme melder is", en: "Identity of an anonymous melder" },
};

const nothing = (extra: Partial<Cell> = {}): Cell => ({
  says: { nl: "Niets", en: "Nothing" },
  nothing: true,
  ...extra,
});

export const PARTIES: Party[] = [
  {
    id: "carrier",
    name: { nl: "Slack of Microsoft (de chatdienst)", en: "Slack or Microsoft (the carrier)" },
    cells: {
      contact: { says: { nl: "Ja: welk account de app gebruikte", en: "Yes: which account used the app" } },
      timing: { says: { nl: "Ja", en: "Yes" } },
      choices: {
        says: {
          nl: "Gaan versleuteld (TLS) door hun dienst naar de app; niet in de chatgeschiedenis",
          en: "Pass through their service to the app over TLS; not in the chat history",
        },
      },
      text: {
        says: {
          nl: "Gaat versleuteld (TLS) door hun dienst naar de app; niet in de chatgeschiedenis",
          en: "Passes through their service to the app over TLS; not in the chat history",
        },
      },
      identity: { says: { nl: "Ja: zij kennen het account", en: "Yes: they know the account" } },
    },
  },
  {
    id: "admin",
    name: {
      nl: "Beheerder van de werkruimte of tenant (export, eDiscovery, bewaarbeleid)",
      en: "Workspace or tenant admin (exports, eDiscovery, retention)",
    },
    cells: {
      contact: {
        says: {
          nl: "Ja: de chat met de app, met alleen neutrale stappen",
          en: "Yes: the chat with the app, which holds neutral steps only",
        },
      },
      timing: {
        says: {
          nl: "Ja: de tijden van de chatberichten, ook van “je bericht is verstuurd”",
          en: "Yes: the times of the chat messages, including “your message has been sent”",
        },
      },
      choices: nothing(),
      text: nothing(),
      identity: {
        says: {
          nl: "Wie iets verstuurde en wanneer, niet wat of aan wie",
          en: "Who sent something and when, not what or to whom",
        },
      },
    },
  },
  {
    id: "operator",
    name: {
      nl: "Wie de app beheert (Redis, logs, serveromgeving)",
      en: "The bot's operator (Redis dump, logs, host environment)",
    },
    cells: {
      contact: {
        says: {
          nl: "Met het servergeheim: welke accounts een chat met de app hebben",
          en: "With the server secret: which accounts have a chat with the app",
        },
      },
      timing: {
        says: {
          nl: "Ja: tijden in de logs en de chatstap (bijv. “verstuurd”)",
          en: "Yes: times in the logs, and the chat's step (e.g. “sent”)",
        },
      },
      choices: nothing(),
      text: nothing(),
      identity: {
        says: {
          nl: "Met het servergeheim: wie iets verstuurde en wanneer, niet wat of aan wie",
          en: "With the server secret: who sent something and when, not what or to whom",
        },
      },
    },
  },
  {
    id: "process",
    name: {
      nl: "Wie het geheugen van de draaiende app kan lezen",
      en: "Someone with a memory dump of the running process",
    },
    cells: {
      contact: {
        says: {
          nl: "Ja, voor wat de app op dat moment doet",
          en: "Yes, for what the app is handling at that moment",
        },
      },
      timing: { says: { nl: "Ja", en: "Yes" } },
      choices: { says: { nl: "Ja, zolang een stap loopt", en: "Yes, while a step is being handled" } },
      text: {
        says: {
          nl: "Ja, zolang de app hem versleutelt",
          en: "Yes, while the app encrypts it",
        },
      },
      identity: { says: { nl: "Ja, zolang een stap loopt", en: "Yes, while a step is being handled" } },
    },
  },
  {
    id: "counsellor",
    name: { nl: "De gekozen vertrouwenspersoon", en: "The chosen counsellor" },
    cells: {
      contact: {
        says: { nl: "Alleen van wie hun iets stuurt", en: "Only of those who send them something" },
      },
      timing: { says: { nl: "Alleen de datum", en: "The day only" } },
      choices: { says: { nl: "Ja", en: "Yes" } },
      text: { says: { nl: "Ja", en: "Yes" } },
      identity: {
        says: {
          nl: "Niets van de app (geen naam, e-mail of chat-ID); wel wat de tekst zelf zegt",
          en: "Nothing from the app (no name, email or chat ID); only what the text itself says",
        },
        nothing: true,
      },
    },
  },
  {
    id: "deputy",
    name: {
      nl: "De vaste vervanger, als die op de kaart staat",
      en: "The deputy, when the counsellor card names one",
    },
    cells: {
      contact: { says: { nl: "Zoals de vertrouwenspersoon", en: "As the counsellor" } },
      timing: { says: { nl: "Zoals de vertrouwenspersoon", en: "As the counsellor" } },
      choices: { says: { nl: "Ja", en: "Yes" } },
      text: { says: { nl: "Ja", en: "Yes" } },
      identity: {
        says: {
          nl: "Niets van de app; wel wat de tekst zelf zegt",
          en: "Nothing from the app; only what the text itself says",
        },
        nothing: true,
      },
    },
  },
  {
    id: "relay",
    name: { nl: "Een mailserver of webhook onderweg", en: "A mail or webhook relay" },
    cells: {
      contact: {
        says: {
          nl: "Dat er een versleuteld bericht naar de vertrouwenspersoon ging, niet van wie",
          en: "That an encrypted message went to the counsellor, not from whom",
        },
      },
      timing: {
        says: {
          nl: "Wanneer het werd afgeleverd (na een eventuele willekeurige vertraging)",
          en: "When it was delivered (after any random delay)",
        },
      },
      choices: nothing(),
      text: nothing(),
      identity: nothing(),
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
  party: { nl: "Wie", en: "Who" },
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
  const cell = (c: Cell) => {
    const text = c.says[locale].replace(/\|/g, "\\|");
    return c.test ? `${text} ([test](../${c.test}))` : text;
  };
  const head = `| ${PAGE.party[locale]} | ${FACTS.map((f) => FACT_NAMES[f][locale]).join(" | ")} |`;
  const rule = `| --- | ${FACTS.map(() => "---").join(" | ")} |`;
  const rows = PARTIES.map(
    (p) => `| ${p.name[locale]} | ${FACTS.map((f) => cell(p.cells[f])).join(" | ")} |`,
  );
  return [head, rule, ...rows].join("\n");
}

/** docs/privacy.md with its table region replaced by the generated table. */
export function withGeneratedTable(doc: string): string {
  const start = doc.indexOf(DOC_START);
  const end = doc.indexOf(DOC_END);
  if (start < 0 || end < start) throw new Error(`docs/privacy.md has no ${DOC_START} … ${DOC_END} region`);
  return `${doc.slice(0, start + DOC_START.length)}\n\n${privacyTableMarkdown("en")}\n\n${doc.slice(end)}`;
}
