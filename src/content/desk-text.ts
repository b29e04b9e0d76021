/**
 * The words of the counsellor's desk (`vertrouwd desk`): the case list and the anonymised annual
 * report, in Dutch and English. The report is read by management, so it says plainly what the
 * figures mean and how small numbers are hidden; it never holds anything a melder typed.
 */
import type { TopicGroup, WishId } from "../../flows/domain.ts";
import type { Locale } from "../../flows/domain.ts";

type Status = "new" | "acknowledged" | "in_progress" | "closed";
type Closing = "resolved" | "referred" | "complaint" | "no_further_action" | "unreachable" | "out_of_scope";
type Deadline = "ack" | "feedback" | "follow_up";
type Timeliness = "on_time" | "late" | "missing" | "not_due";
/** Why a file could not be imported into the desk (src/desk/import.ts reports these). */
export type ImportFailure =
  | "not-a-message"
  | "wrong-key"
  | "corrupted"
  | "not-vertrouwd"
  | "unknown-kind"
  | "invalid"
  | "bad-signature";
/** Why a file in an import was passed over (src/desk/sources.ts). */
export type SkipReason = "not-a-message" | "too-large" | "unreadable" | "no-openpgp-in-mail";

export interface DeskWords {
  /** Short labels, used in the list and in the report's tables. */
  topicGroups: Record<TopicGroup, string>;
  kinds: Record<"report" | "contact", string>;
  counsellorKinds: Record<"internal" | "external" | "unknown", string>;
  wishes: Record<WishId | "not_stated", string>;
  anonymity: Record<"anonymous" | "named", string>;
  statuses: Record<Status, string>;
  closingReasons: Record<Closing, string>;
  deadlines: Record<Deadline, string>;
  timeliness: Record<Timeliness, string>;

  list: {
    columns: { case: string; received: string; kind: string; group: string; status: string; next: string };
    /** After the status of a case whose melder wrote through the mailbox and has no answer yet. */
    unanswered: string;
    legendUnanswered: string;
    none: string;
    overdue: (days: number) => string;
    today: string;
    inDays: (days: number) => string;
    empty: string;
    emptyDue: (days: number) => string;
    summary: (open: number, soon: number, overdue: number) => string;
    legend: string;
  };

  /** What `desk import` says per message and in total. */
  importing: {
    imported: (what: string, origin: string) => string;
    present: (what: string, origin: string, differs: boolean) => string;
    failed: (origin: string, reason: string) => string;
    received: (code: string, date: string) => string;
    /** A message that joins a case (follow-up notice, melder's answer); `code` is its case code. */
    otherMessage: (type: string, code: string) => string;
    /** The message's case is not in the register yet: it waits for the handoff. */
    waiting: string;
    ackDue: (date: string) => string;
    failures: Record<ImportFailure, string>;
    skipped: Record<SkipReason, (n: number) => string>;
    summary: (imported: number, present: number, failed: number) => string;
    skippedList: (parts: string[]) => string;
    register: (dir: string) => string;
  };

  /** What a command that changes a case says afterwards. */
  done: {
    recorded: (code: string, what: string, date: string) => string;
    changed: (code: string, what: string, from: string, to: string) => string;
    withdrawn: (code: string, what: string) => string;
    already: (code: string, what: string, date: string) => string;
    nothingToWithdraw: (code: string, what: string) => string;
    status: (code: string, status: string) => string;
    sameStatus: (code: string, status: string) => string;
    note: (code: string, total: number) => string;
    followUp: (code: string, date: string | null) => string;
    next: (deadline: string, date: string) => string;
    wrote: (file: string) => string;
  };

  show: {
    title: (code: string) => string;
    status: string;
    ackDue: string;
    feedbackDue: string;
    sentOn: (date: string) => string;
    givenOn: (date: string) => string;
    followUp: string;
    timeline: string;
    note: string;
    received: (type: string) => string;
    event: {
      ack: (given: boolean) => string;
      feedback: (given: boolean) => string;
      status: (status: string, reason: string | null) => string;
      followUp: (date: string | null) => string;
      reply: string;
    };
    handoffHeading: string;
    notesHeading: string;
    /** The case has an anonymous mailbox: how to answer. */
    mailbox: (code: string) => string;
    unanswered: string;
    /** The thread through the mailbox: the melder's answers and the counsellor's replies. */
    threadHeading: string;
    fromMelder: (date: string) => string;
    fromYou: (date: string) => string;
  };

  /** What `vertrouwd reply` says. */
  reply: {
    prompt: string;
    sent: (code: string) => string;
    kept: (code: string, file: string) => string;
    retryHint: string;
    retried: (sent: number, left: number) => string;
    nothingToRetry: string;
    refused: Record<"signature" | "malformed" | "unknown-mailbox" | "too-large" | "full" | "server", string>;
    unreachable: string;
  };

  report: {
    fileStem: string;
    title: (year: number) => string;
    subtitle: string;
    asOf: (quarter: number, year: number) => string;
    intro: string[];
    legendSmall: (threshold: number) => string;
    legendHidden: string;
    privacyHeading: string;
    privacy: (threshold: number) => string[];
    summaryHeading: string;
    noNarrative: string;
    total: string;
    quarter: (q: number) => string;
    quarterLong: (q: number) => string;
    tables: {
      topicByQuarter: string;
      topicByQuarterNote: string;
      byTopic: string;
      byQuarter: string;
      kind: string;
      counsellorKind: string;
      wishes: string;
      anonymity: string;
      ack: string;
      feedback: string;
      wbkNote: string;
    };
    category: string;
    count: string;
    printHint: string;
    footer: string;
    csv: { table: string; category: string; column: string; value: string; separator: "," | ";" };
    narrative: {
      total: (year: number, n: number) => string;
      totalSmall: (year: number, threshold: number) => string;
      withheld: (year: number, threshold: number) => string;
      topGroup: (group: string, n: number) => string;
      topQuarter: (quarter: string) => string;
      kinds: (reports: number, contacts: number) => string;
      anonymous: (n: number, total: number) => string;
      topWish: (wish: string) => string;
      ackOnTime: (n: number, total: number) => string;
      feedbackOnTime: (n: number, total: number) => string;
    };
  };
}

const nl: DeskWords = {
  topicGroups: {
    unwanted_behaviour: "ongewenst gedrag",
    integrity: "integriteit en misstanden",
    out_of_scope: "buiten de rol",
    unspecified: "onbekend of niet gezegd",
  },
  kinds: { report: "melding", contact: "contactverzoek" },
  counsellorKinds: {
    internal: "interne vertrouwenspersoon",
    external: "externe vertrouwenspersoon",
    unknown: "niet vastgelegd",
  },
  wishes: {
    heard: "gehoord worden",
    advice: "advies",
    informal: "informele oplossing",
    mediation: "bemiddeling",
    complaint: "formele klacht",
    not_sure: "weet het nog niet",
    not_stated: "niet aangegeven",
  },
  anonymity: { anonymous: "anoniem", named: "met naam" },
  statuses: { new: "nieuw", acknowledged: "bevestigd", in_progress: "in behandeling", closed: "afgesloten" },
  closingReasons: {
    resolved: "afgerond",
    referred: "doorverwezen",
    complaint: "formele klacht ingediend",
    no_further_action: "melder wil geen vervolg",
    unreachable: "melder niet bereikbaar",
    out_of_scope: "buiten de rol",
  },
  deadlines: { ack: "ontvangstbevestiging", feedback: "terugkoppeling", follow_up: "eigen vervolgdatum" },
  timeliness: {
    on_time: "op tijd",
    late: "te laat",
    missing: "niet gegeven, termijn voorbij",
    not_due: "termijn loopt nog",
  },

  list: {
    columns: {
      case: "ZAAK",
      received: "ONTVANGEN",
      kind: "SOORT",
      group: "ONDERWERP",
      status: "STATUS",
      next: "VOLGENDE TERMIJN",
    },
    unanswered: " ✉",
    legendUnanswered: "✉ = de melder schreef via de brievenbus en wacht op antwoord",
    none: "—",
    overdue: (d) => `${d} ${d === 1 ? "dag" : "dagen"} te laat`,
    today: "vandaag",
    inDays: (d) => `over ${d} ${d === 1 ? "dag" : "dagen"}`,
    empty: "Geen open zaken.",
    emptyDue: (d) => `Niets dat binnen ${d} dagen moet.`,
    summary: (open, soon, overdue) =>
      `${open} open ${open === 1 ? "zaak" : "zaken"}; ${soon} binnen 7 dagen; ${overdue} te laat.`,
    legend: "!! = te laat of vandaag, ! = binnen 7 dagen",
  },

  importing: {
    imported: (what, origin) => `ingelezen    ${what} uit ${origin}`,
    present: (what, origin, differs) =>
      `al aanwezig  ${what} uit ${origin}${differs ? " (deze kopie wijkt af; de eerste blijft bewaard)" : ""}`,
    failed: (origin, reason) => `mislukt      ${origin}: ${reason}`,
    received: (code, date) => `${code} (ontvangen ${date})`,
    otherMessage: (type, code) =>
      type === "followup-notice"
        ? `brievenbus geopend bij ${code}`
        : type === "melder-answer"
          ? `bericht van de melder bij ${code}`
          : `bericht (${type}) bij ${code}`,
    waiting: "; de overdracht van deze zaak is er nog niet: lees die ook in, dan hoort dit bericht erbij",
    ackDue: (date) => `; ontvangstbevestiging uiterlijk ${date}`,
    failures: {
      "wrong-key": "niet versleuteld voor jouw sleutel",
      corrupted: "beschadigd of veranderd (de controle op echtheid mislukt)",
      "not-a-message": "geen leesbaar OpenPGP-bericht",
      "not-vertrouwd": "ontsleuteld, maar geen bericht van Vertrouwd",
      "unknown-kind": "een soort bericht van Vertrouwd die deze versie nog niet kent; werk vertrouwd bij",
      invalid: "een bericht van Vertrouwd dat de controle niet doorstaat",
      "bad-signature": "niet ondertekend met de sleutel van de bot die je met --verify gaf; niet ingelezen",
    },
    skipped: {
      "not-a-message": (n) =>
        `${n} ${n === 1 ? "bestand dat geen bericht is" : "bestanden die geen bericht zijn"}`,
      "too-large": (n) =>
        `${n} ${n === 1 ? "bestand of mail" : "bestanden of mails"} te groot voor een overdracht`,
      unreadable: (n) => `${n} ${n === 1 ? "bestand" : "bestanden"} niet te lezen`,
      "no-openpgp-in-mail": (n) => `${n} ${n === 1 ? "mail" : "mails"} zonder versleuteld bericht`,
    },
    summary: (i, p, f) => `${i} ingelezen, ${p} al aanwezig, ${f} mislukt`,
    skippedList: (parts) => `; overgeslagen: ${parts.join(", ")}`,
    register: (dir) => `register: ${dir}`,
  },

  done: {
    recorded: (c, what, d) => `${c}: ${what} vastgelegd op ${d}`,
    changed: (c, what, from, to) => `${c}: ${what} veranderd van ${from} naar ${to}`,
    withdrawn: (c, what) => `${c}: ${what} ingetrokken`,
    already: (c, what, d) => `${c}: ${what} stond al op ${d}; niets veranderd`,
    nothingToWithdraw: (c, what) => `${c}: geen ${what} vastgelegd; niets veranderd`,
    status: (c, s) => `${c}: ${s}`,
    sameStatus: (c, s) => `${c}: was al ${s}; niets veranderd`,
    note: (c, n) => `${c}: notitie bewaard (${n} in totaal), versleuteld in het register`,
    followUp: (c, d) => (d ? `${c}: eigen vervolgdatum ${d}` : `${c}: geen eigen vervolgdatum meer`),
    next: (what, d) => `; volgende termijn: ${what} ${d}`,
    wrote: (f) => `geschreven: ${f}`,
  },

  show: {
    title: (code) => `Zaak ${code}`,
    status: "Status",
    ackDue: "Ontvangstbevestiging uiterlijk",
    feedbackDue: "Terugkoppeling uiterlijk",
    sentOn: (d) => `gestuurd op ${d}`,
    givenOn: (d) => `gegeven op ${d}`,
    followUp: "Eigen vervolgdatum",
    timeline: "Verloop",
    note: "notitie",
    received: (type) =>
      type === "handoff"
        ? "overdracht ontvangen"
        : type === "followup-notice"
          ? "melder opende een anonieme brievenbus"
          : type === "melder-answer"
            ? "bericht van de melder via de brievenbus"
            : `bericht ontvangen (${type})`,
    event: {
      ack: (given) => (given ? "ontvangstbevestiging gestuurd" : "ontvangstbevestiging ingetrokken"),
      feedback: (given) => (given ? "terugkoppeling gegeven" : "terugkoppeling ingetrokken"),
      status: (s, r) => (r ? `status: ${s} (${r})` : `status: ${s}`),
      followUp: (d) => (d ? `eigen vervolgdatum: ${d}` : "eigen vervolgdatum gewist"),
      reply: "antwoord gestuurd via de brievenbus",
    },
    handoffHeading: "Overdracht",
    notesHeading: "Notities",
    mailbox: (code) =>
      `De melder heeft een anonieme brievenbus geopend. Antwoorden: vertrouwd reply --case ${code} --key <jouw-sleutel>`,
    unanswered: "De melder schreef via de brievenbus en wacht op je antwoord.",
    threadHeading: "Brievenbus",
    fromMelder: (d) => `[${d}] de melder schreef:`,
    fromYou: (d) => `[${d}] jij antwoordde:`,
  },

  reply: {
    prompt:
      "Typ je antwoord aan de melder. Sluit af met Ctrl-D op een nieuwe regel (Windows: Ctrl-Z, dan Enter).",
    sent: (c) =>
      `${c}: antwoord verstuurd naar de anonieme brievenbus en versleuteld bewaard in het register. De melder krijgt geen bericht: die leest het als die de brievenbus zelf opent.`,
    kept: (c, f) =>
      `${c}: het antwoord is niet verstuurd. Het staat versleuteld klaar in ${f}; er gaat niets verloren.`,
    retryHint: "Probeer het later opnieuw met: vertrouwd reply --retry",
    retried: (sent, left) => `${sent} verstuurd, ${left} wacht nog`,
    nothingToRetry: "Er wachten geen antwoorden om opnieuw te versturen.",
    refused: {
      signature:
        "de server weigert het antwoord: je handtekening hoort niet bij de sleutel die de server voor deze vertrouwenspersoon kent. Gebruik je eigen sleutel (of die van je plaatsvervanger) die in de configuratie staat.",
      malformed:
        "de server weigert het antwoord als onleesbaar of niet versleuteld voor de brievenbus van de melder.",
      "unknown-mailbox": "de server kent deze brievenbus niet (meer): misschien is die verlopen.",
      "too-large": "het antwoord is te groot voor de brievenbus; maak het korter.",
      full: "de brievenbus is vol: er passen geen berichten meer in. Neem op een andere manier contact op, als de melder dat mogelijk maakte.",
      server: "de server gaf een fout; probeer het later opnieuw.",
    },
    unreachable: "de server is niet bereikbaar (netwerk of server uit).",
  },

  report: {
    fileStem: "jaarverslag",
    title: (y) => `Jaarverslag vertrouwenspersoon ${y}`,
    subtitle: "Geanonimiseerd overzicht van meldingen en contactverzoeken",
    asOf: (q, y) => `Stand van zaken: ${q}e kwartaal ${y}`,
    intro: [
      "Dit verslag telt de meldingen en verzoeken om contact die de vertrouwenspersoon dit jaar via Vertrouwd ontving: naar onderwerp, kwartaal, soort, wens van de melder en anonimiteit.",
      "Het verslag bevat geen namen, geen zaakcodes, geen data en geen tekst van melders. Het is bedoeld voor het jaarlijkse gesprek met de directie over wat er speelt in de organisatie.",
    ],
    legendSmall: (t) => `< ${t} = minder dan ${t}`,
    legendHidden: "x = verborgen, zodat een klein aantal niet terug te rekenen is",
    privacyHeading: "Zo blijven melders onherkenbaar",
    privacy: (t) => [
      `Een aantal onder de ${t} staat er als "< ${t}". Ook 0 staat er zo.`,
      `Waar je zo'n klein aantal zou kunnen uitrekenen uit de totalen, is nog een getal verborgen ("x"). Niemand kan een verborgen klein aantal dus precies terugrekenen.`,
      "Data staan er alleen per kwartaal in.",
    ],
    summaryHeading: "In het kort",
    noNarrative: "Er zijn te weinig zaken om hier iets over te zeggen zonder melders herkenbaar te maken.",
    total: "Totaal",
    quarter: (q) => `K${q}`,
    quarterLong: (q) => `${q}e kwartaal`,
    tables: {
      topicByQuarter: "Onderwerp per kwartaal",
      topicByQuarterNote: "Elke zaak telt één keer, in het kwartaal waarin ze binnenkwam.",
      byTopic: "Per onderwerp",
      byQuarter: "Per kwartaal",
      kind: "Soort",
      counsellorKind: "Gekozen vertrouwenspersoon",
      wishes: "Wat de melder wilde",
      anonymity: "Anoniem of met naam",
      ack: "Ontvangstbevestiging binnen 7 dagen",
      feedback: "Terugkoppeling binnen 3 maanden",
      wbkNote:
        "Alleen voor zaken over integriteit en misstanden geldt de Wet bescherming klokkenluiders: een ontvangstbevestiging binnen 7 dagen en een terugkoppeling binnen 3 maanden daarna.",
    },
    category: "Categorie",
    count: "Aantal",
    printHint: "Afdrukken of opslaan als pdf: gebruik Afdrukken in je browser.",
    footer: "Gemaakt met Vertrouwd op de computer van de vertrouwenspersoon.",
    csv: { table: "tabel", category: "categorie", column: "kolom", value: "aantal", separator: ";" },
    narrative: {
      total: (y, n) => `In ${y} kwamen ${n} meldingen en contactverzoeken binnen.`,
      totalSmall: (y, t) =>
        `In ${y} kwamen minder dan ${t} meldingen en contactverzoeken binnen. Daarom staan er geen aantallen in dit verslag.`,
      withheld: (y, t) =>
        `In ${y} kwamen zo weinig zaken binnen dat zelfs "minder dan ${t}" een melder herkenbaar zou kunnen maken. Daarom staan er geen aantallen in dit verslag.`,
      topGroup: (g, n) => `Het vaakst ging het over ${g} (${n}).`,
      topQuarter: (q) => `De meeste zaken kwamen binnen in het ${q}.`,
      kinds: (r, c) => `${r} keer was het een melding, ${c} keer een verzoek om contact.`,
      anonymous: (n, total) => `${n} van de ${total} melders bleven anoniem.`,
      topWish: (w) => `De wens die het vaakst genoemd werd: ${w}.`,
      ackOnTime: (n, total) =>
        `Bij ${n} van de ${total} zaken over integriteit ging de ontvangstbevestiging op tijd.`,
      feedbackOnTime: (n, total) =>
        `Bij ${n} van de ${total} zaken over integriteit kwam de terugkoppeling op tijd.`,
    },
  },
};

const en: DeskWords = {
  topicGroups: {
    unwanted_behaviour: "unwanted behaviour",
    integrity: "integrity and wrongdoing",
    out_of_scope: "outside the role",
    unspecified: "unknown or not said",
  },
  kinds: { report: "report", contact: "contact request" },
  counsellorKinds: {
    internal: "internal counsellor",
    external: "external counsellor",
    unknown: "not recorded",
  },
  wishes: {
    heard: "to be heard",
    advice: "advice",
    informal: "informal solution",
    mediation: "mediation",
    complaint: "formal complaint",
    not_sure: "not sure yet",
    not_stated: "not stated",
  },
  anonymity: { anonymous: "anonymous", named: "named" },
  statuses: { new: "new", acknowledged: "acknowledged", in_progress: "in progress", closed: "closed" },
  closingReasons: {
    resolved: "resolved",
    referred: "referred",
    complaint: "formal complaint filed",
    no_further_action: "melder wants no further steps",
    unreachable: "melder unreachable",
    out_of_scope: "outside the role",
  },
  deadlines: { ack: "acknowledgement", feedback: "feedback", follow_up: "own follow-up date" },
  timeliness: {
    on_time: "on time",
    late: "late",
    missing: "not given, term passed",
    not_due: "term still running",
  },

  list: {
    columns: {
      case: "CASE",
      received: "RECEIVED",
      kind: "KIND",
      group: "TOPIC",
      status: "STATUS",
      next: "NEXT DEADLINE",
    },
    unanswered: " ✉",
    legendUnanswered: "✉ = the melder wrote through the mailbox and waits for an answer",
    none: "—",
    overdue: (d) => `${d} ${d === 1 ? "day" : "days"} late`,
    today: "today",
    inDays: (d) => `in ${d} ${d === 1 ? "day" : "days"}`,
    empty: "No open cases.",
    emptyDue: (d) => `Nothing due within ${d} days.`,
    summary: (open, soon, overdue) =>
      `${open} open ${open === 1 ? "case" : "cases"}; ${soon} due within 7 days; ${overdue} overdue.`,
    legend: "!! = overdue or today, ! = within 7 days",
  },

  importing: {
    imported: (what, origin) => `imported  ${what} from ${origin}`,
    present: (what, origin, differs) =>
      `present   ${what} from ${origin}: already in the register${differs ? " (this copy differs; the first one is kept)" : ""}`,
    failed: (origin, reason) => `failed    ${origin}: ${reason}`,
    received: (code, date) => `${code} (received ${date})`,
    otherMessage: (type, code) =>
      type === "followup-notice"
        ? `mailbox opened for ${code}`
        : type === "melder-answer"
          ? `message from the melder for ${code}`
          : `message (${type}) for ${code}`,
    waiting:
      "; the handoff of this case is not in the register yet: import it too, and this message joins it",
    ackDue: (date) => `; acknowledgement due ${date}`,
    failures: {
      "wrong-key": "not encrypted to your key",
      corrupted: "damaged or tampered with (integrity check failed)",
      "not-a-message": "not a readable OpenPGP message",
      "not-vertrouwd": "decrypted, but not a Vertrouwd message",
      "unknown-kind": "a Vertrouwd message of a kind this version does not know; update vertrouwd",
      invalid: "a Vertrouwd message that fails validation",
      "bad-signature": "not signed by the bot's key given with --verify; not imported",
    },
    skipped: {
      "not-a-message": (n) =>
        `${n} ${n === 1 ? "file that is not a message" : "files that are not messages"}`,
      "too-large": (n) => `${n} ${n === 1 ? "file or mail" : "files or mails"} too large to be a handoff`,
      unreadable: (n) => `${n} unreadable ${n === 1 ? "file" : "files"}`,
      "no-openpgp-in-mail": (n) => `${n} ${n === 1 ? "mail" : "mails"} without an encrypted message`,
    },
    summary: (i, p, f) => `${i} imported, ${p} already in the register, ${f} failed`,
    skippedList: (parts) => `; skipped ${parts.join(", ")}`,
    register: (dir) => `register: ${dir}`,
  },

  done: {
    recorded: (c, what, d) => `${c}: ${what} recorded on ${d}`,
    changed: (c, what, from, to) => `${c}: ${what} changed from ${from} to ${to}`,
    withdrawn: (c, what) => `${c}: ${what} withdrawn`,
    already: (c, what, d) => `${c}: ${what} already recorded on ${d}; nothing changed`,
    nothingToWithdraw: (c, what) => `${c}: no ${what} recorded; nothing changed`,
    status: (c, s) => `${c}: ${s}`,
    sameStatus: (c, s) => `${c}: already ${s}; nothing changed`,
    note: (c, n) => `${c}: note saved (${n} in total), encrypted in the register`,
    followUp: (c, d) => (d ? `${c}: own follow-up date ${d}` : `${c}: no own follow-up date`),
    next: (what, d) => `; next: ${what} ${d}`,
    wrote: (f) => `wrote ${f}`,
  },

  show: {
    title: (code) => `Case ${code}`,
    status: "Status",
    ackDue: "Acknowledgement due",
    feedbackDue: "Feedback due",
    sentOn: (d) => `sent on ${d}`,
    givenOn: (d) => `given on ${d}`,
    followUp: "Own follow-up date",
    timeline: "History",
    note: "note",
    received: (type) =>
      type === "handoff"
        ? "handoff received"
        : type === "followup-notice"
          ? "the melder opened an anonymous mailbox"
          : type === "melder-answer"
            ? "message from the melder through the mailbox"
            : `message received (${type})`,
    event: {
      ack: (given) => (given ? "acknowledgement sent" : "acknowledgement withdrawn"),
      feedback: (given) => (given ? "feedback given" : "feedback withdrawn"),
      status: (s, r) => (r ? `status: ${s} (${r})` : `status: ${s}`),
      followUp: (d) => (d ? `own follow-up date: ${d}` : "own follow-up date cleared"),
      reply: "answer sent through the mailbox",
    },
    handoffHeading: "Handoff",
    notesHeading: "Notes",
    mailbox: (code) =>
      `The melder opened an anonymous mailbox. To answer: vertrouwd reply --case ${code} --key <your-key>`,
    unanswered: "The melder wrote through the mailbox and waits for your answer.",
    threadHeading: "Mailbox",
    fromMelder: (d) => `[${d}] the melder wrote:`,
    fromYou: (d) => `[${d}] you answered:`,
  },

  reply: {
    prompt: "Type your answer to the melder. End with Ctrl-D on a new line (Windows: Ctrl-Z, then Enter).",
    sent: (c) =>
      `${c}: answer sent to the anonymous mailbox and kept encrypted in the register. The melder gets no notification: they read it when they open the mailbox themselves.`,
    kept: (c, f) => `${c}: the answer was not sent. It waits, encrypted, in ${f}; nothing is lost.`,
    retryHint: "Try again later with: vertrouwd reply --retry",
    retried: (sent, left) => `${sent} sent, ${left} still waiting`,
    nothingToRetry: "No answers are waiting to be sent again.",
    refused: {
      signature:
        "the server refuses the answer: your signature does not belong to the key the server knows for this counsellor. Use your own key (or your deputy's) as configured.",
      malformed: "the server refuses the answer as unreadable or not encrypted to the melder's mailbox.",
      "unknown-mailbox": "the server does not know this mailbox (any more): it may have expired.",
      "too-large": "the answer is too large for the mailbox; make it shorter.",
      full: "the mailbox is full: it holds no more messages. Make contact another way, if the melder gave one.",
      server: "the server returned an error; try again later.",
    },
    unreachable: "the server cannot be reached (network or server down).",
  },

  report: {
    fileStem: "annual-report",
    title: (y) => `Confidential counsellor's annual report ${y}`,
    subtitle: "An anonymised overview of reports and contact requests",
    asOf: (q, y) => `Figures as of: quarter ${q} of ${y}`,
    intro: [
      "This report counts the reports and contact requests the confidential counsellor received through Vertrouwd this year: by topic, quarter, kind, what the melder wanted, and anonymity.",
      "It holds no names, no case codes, no dates and no text written by a melder. It is meant for the yearly conversation with management about what is going on in the organisation.",
    ],
    legendSmall: (t) => `< ${t} = fewer than ${t}`,
    legendHidden: "x = hidden, so that a small number cannot be worked out",
    privacyHeading: "How melders stay unrecognisable",
    privacy: (t) => [
      `A number below ${t} is shown as "< ${t}". So is 0.`,
      `Where such a small number could be worked out from the totals, one more number is hidden ("x"). So nobody can work out a hidden small number exactly.`,
      "Dates are only given by quarter.",
    ],
    summaryHeading: "In short",
    noNarrative: "There are too few cases to say anything here without making melders recognisable.",
    total: "Total",
    quarter: (q) => `Q${q}`,
    quarterLong: (q) => `quarter ${q}`,
    tables: {
      topicByQuarter: "Topic by quarter",
      topicByQuarterNote: "Each case counts once, in the quarter it came in.",
      byTopic: "By topic",
      byQuarter: "By quarter",
      kind: "Kind",
      counsellorKind: "Counsellor chosen",
      wishes: "What the melder wanted",
      anonymity: "Anonymous or named",
      ack: "Acknowledgement within 7 days",
      feedback: "Feedback within 3 months",
      wbkNote:
        "The Dutch Whistleblowers Protection Act applies only to cases about integrity and wrongdoing: an acknowledgement within 7 days, and feedback within 3 months after that.",
    },
    category: "Category",
    count: "Number",
    printHint: "To print or save as PDF, use Print in your browser.",
    footer: "Made with Vertrouwd on the counsellor's own computer.",
    csv: { table: "table", category: "category", column: "column", value: "count", separator: "," },
    narrative: {
      total: (y, n) => `In ${y}, ${n} reports and contact requests came in.`,
      totalSmall: (y, t) =>
        `In ${y}, fewer than ${t} reports and contact requests came in. That is why this report shows no numbers.`,
      withheld: (y, t) =>
        `So few cases came in during ${y} that even "fewer than ${t}" could make a melder recognisable. That is why this report shows no numbers.`,
      topGroup: (g, n) => `The most frequent topic was ${g} (${n}).`,
      topQuarter: (q) => `Most cases came in during ${q}.`,
      kinds: (r, c) => `${r} were reports and ${c} were requests for contact.`,
      anonymous: (n, total) => `${n} of ${total} melders stayed anonymous.`,
      topWish: (w) => `The wish named most often: ${w}.`,
      ackOnTime: (n, total) => `For ${n} of ${total} cases about integrity, the acknowledgement was on time.`,
      feedbackOnTime: (n, total) => `For ${n} of ${total} cases about integrity, the feedback was on time.`,
    },
  },
};

export const DESK_WORDS: Record<Locale, DeskWords> = { nl, en };

export function deskWords(locale: Locale): DeskWords {
  return DESK_WORDS[locale];
}
