/**
 * Nederlandse teksten (de eerste taal van het product). Eigen formuleringen in eenvoudige taal
 * (B1): korte zinnen, één idee per zin, moeilijke woorden uitgelegd. De bronteksten in
 * shared/reference zijn alleen voor de feiten gebruikt.
 */
import type { Params } from "../../flows/model.ts";
import {
  counsellorCard,
  counsellorReach,
  fieldLabel,
  formatDay,
  formatNumber,
  orgContact,
  referralList,
  reviewSummary,
} from "./compose.ts";
import { REFERRALS_REVIEWED } from "./referrals.ts";
import type { Catalog } from "./types.ts";

const referrals = {
  names: {
    emergency: "Direct gevaar: alarmnummer",
    police: "Politie, zonder spoed",
    suicide: "113 Zelfmoordpreventie",
    sexualViolence: "Centrum Seksueel Geweld",
    domesticViolence: "Veilig Thuis (geweld thuis)",
    victimSupport: "Slachtofferhulp Nederland",
    whistleblowers: "Huis voor Klokkenluiders (gratis advies bij een misstand)",
    humanRights: "College voor de Rechten van de Mens (discriminatie)",
  },
  free: "gratis",
  notFree: "niet gratis",
  allDay: "dag en nacht",
  workingDays: "op werkdagen",
  or: "of",
} as const;

const reviewed = `_Nummers uit de notities van het project, laatst nagekeken op ${formatDay("nl", REFERRALS_REVIEWED)}. Twijfel je? Kijk dan op de site van de organisatie zelf._`;

const card = counsellorCard({
  internal: "interne vertrouwenspersoon (werkt zelf bij de organisatie)",
  external: "externe vertrouwenspersoon (onafhankelijk, van buiten)",
  speaks: (l) => `Spreekt ${l}.`,
  deputy: (d) => `Vervanger: ${d}. Die kan je bericht ook openen.`,
  languageNames: { nl: "Nederlands", en: "Engels" },
});

const review = reviewSummary({
  heading: "*Dit verstuur je*",
  kind: "Soort",
  kindReport: "eerste melding",
  kindContact: "vraag om contact (zonder melding)",
  topic: "Onderwerp",
  counsellor: "Wie het kan lezen",
  readBy: (c, d) => (d ? `${c}, en vervanger ${d}` : c),
  anonymous: "Anoniem",
  anonymousYes: "ja, zonder je naam of je chataccount",
  anonymousNo: "nee",
  name: "Naam",
  contactVia: "Bereikbaar via",
  viaThisChat: "deze chat",
  wishes: "Wat je wilt",
  closing: "Klopt dit? Verstuur het, pas iets aan, of gooi alles weg.",
});

const status = (p: Params): string => {
  if (p.status === "delivered") return "afgeleverd bij de vertrouwenspersoon.";
  if (p.status === "failed")
    return "nog niet afgeleverd. Het afleveren lukte niet. De beheerder ziet dat en kan het opnieuw proberen. Wil je zeker zijn? Neem dan zelf contact op met de vertrouwenspersoon.";
  const delay = Number(p.delayMinutes ?? 0);
  return `onderweg. Alleen de vertrouwenspersoon kan het openen.${delay > 0 ? ` Het afleveren kan tot ${delay} minuten duren.` : ""}`;
};

/** The counsellor's secrecy and its limits: the same words on every surface. */
const secrecy =
  "• De vertrouwenspersoon heeft geheimhoudingsplicht. Die vertelt niets door zonder jouw toestemming.\n" +
  "• Dat heeft grenzen. Een vertrouwenspersoon heeft geen verschoningsrecht: een rechter kan die als getuige oproepen.\n" +
  "• Bij sommige zware misdrijven kan de wet vragen om toch iets te melden.\n" +
  "• Is iemand in ernstig en direct gevaar, en is er geen andere uitweg? Dan moet de vertrouwenspersoon soms toch ingrijpen. " +
  "Dat heet gewetensnood. Het gebeurt zo veel mogelijk in overleg met jou.";

const secrecyLimits =
  "*Geheimhouding.* De vertrouwenspersoon vertelt niets door zonder jouw toestemming. " +
  "Ook niet aan je leidinggevende, HR of de directie.\n\n" +
  "*De grenzen.*\n" +
  "• Geen verschoningsrecht: in een rechtszaak kan een rechter de vertrouwenspersoon als getuige oproepen.\n" +
  "• Wettelijke plicht: wie weet van bepaalde zware misdrijven, moet dat soms melden.\n" +
  "• Gewetensnood: dreigt ernstig gevaar voor jou of een ander, en is er geen andere weg? Dan kan de vertrouwenspersoon besluiten toch iets te doen.\n" +
  "Dit zijn uitzonderingen. De vertrouwenspersoon legt het je uit als het speelt.";

export const nl: Catalog = {
  // ── De chat: alleen neutrale stappen ────────────────────────────────────────────────────
  "welcome.intro":
    "Hallo. Ik ben Vertrouwd, de digitale ingang naar de vertrouwenspersonen van {organisation}. " +
    "Ik ben een computerprogramma, geen mens.\n\n" +
    "Het is goed dat je er bent. Zit het je dwars hoe er op je werk met je wordt omgegaan? " +
    "Dan mag je daarmee komen. Je hoeft niet zeker te weten of het 'erg genoeg' is.\n\n" +
    "Ik help je verder: met informatie, met hulp als het dringend is, of met een eerste bericht aan een vertrouwenspersoon. " +
    "Alles is vrijwillig.\n\n" +
    "Stoppen kan altijd: typ *stop* of kies *Stop en wis alles*. Ben je nu in gevaar? Kies *Ik ben nu in gevaar*.",
  "home.start":
    "Open het tabblad *Berichten* van deze app om te beginnen. " +
    "Voordat ik iets vraag, leg ik uit wat vertrouwelijk blijft. En wat Slack en beheerders wél kunnen zien.",
  "confidentiality.short": [
    "*Eerst: wat gebeurt er met wat je deelt?*",
    "",
    "*De vertrouwenspersoon*",
    secrecy,
    "",
    "*Dit gesprek*",
    "• Deze chat loopt via Slack of Microsoft Teams. In de chat komen alleen algemene stappen, niets over jouw situatie.",
    "• Beheerders kunnen zien dát je deze app gebruikte, wanneer, en welke stappen je in de chat zette. Niet wat je koos of schreef.",
    "• Over je situatie vertel je alleen in een apart formulier. Slack of Microsoft brengen dat naar de app. Het komt niet in de chatgeschiedenis.",
    "• De app bewaart je concept versleuteld, tot {idleMinutes} minuten na je laatste stap. Verstuur je, stop je of wacht je langer? Dan wis ik het.",
    "• Na het versturen kan alleen de vertrouwenspersoon die je kiest je bericht openen. Heeft die een vaste vervanger? Dan staat die erbij, en kan die het ook.",
    "• Anoniem melden kan. Dat is anoniem voor je organisatie en voor de vertrouwenspersoon. Slack of Microsoft weten wel wie de app gebruikte.",
  ].join("\n"),
  "confidentiality.long": [
    "*Meer over vertrouwelijkheid*",
    "",
    secrecyLimits,
    "",
    "*De chat.* Slack en Microsoft bewaren de chat zo lang als je organisatie heeft ingesteld. Sommige beheerders kunnen chats exporteren of doorzoeken: bij Slack met een export of Discovery, bij Microsoft met eDiscovery. Ook berichten die later zijn aangepast of verwijderd, kunnen bewaard blijven. Daarom staat in de chat niets over jouw situatie. Typ je verhaal dus ook niet in de chat.",
    "",
    "*Het formulier.* Wat je in het formulier invult, gaat via Slack of Microsoft naar de app. Het komt niet in de chatgeschiedenis. De app bewaart het versleuteld, met een sleutel die alleen in jouw open formulier zit. Na {idleMinutes} minuten zonder activiteit wis ik het. De app moet je tekst wel even lezen om hem te versleutelen. Daarna gaat hij versleuteld naar de vertrouwenspersoon. Op de servers van je organisatie blijft niets leesbaars achter.",
    "",
    "*Anoniem.* Kies je anoniem? Dan gaat er geen naam, e-mailadres of chat-ID mee. Een chat-ID is het nummer waarmee Slack of Teams jouw account herkent. Van het tijdstip gaat alleen de datum mee. Slack of Microsoft weten wel wie de app gebruikte.",
  ].join("\n"),
  "need.question": "*Waar kan ik je mee helpen?*\nJe kiest zelf. Je hoeft niets te melden om iets te vragen.",
  "info.menu": "*Waarover wil je meer weten?*\nKies een onderwerp. Elk onderwerp is kort.",
  "info.choice.role": "Wat de vertrouwenspersoon doet",
  "info.choice.notDo": "Wat die niet doet",
  "info.choice.choices": "Jouw keuzes",
  "info.choice.kinds": "Intern of extern?",
  "info.choice.who": "Wie kan hier terecht?",
  "info.choice.protection": "Bescherming en regels",
  "info.choice.retention": "Wat wordt bewaard?",
  "info.choice.counsellors": "De vertrouwenspersonen",
  "info.role":
    "*Wat doet een vertrouwenspersoon?*\n" +
    "Een vertrouwenspersoon heeft drie taken.\n" +
    "1. Jou opvangen en steunen. Die luistert, denkt met je mee en wijst je de weg naar andere hulp.\n" +
    "2. De organisatie voorlichten, zodat ongewenst gedrag minder vaak gebeurt.\n" +
    "3. De leiding advies geven, en elk jaar een verslag schrijven. Dat gebeurt altijd zonder namen. Niets daarin is naar jou terug te leiden.",
  "info.notDo":
    "*Wat doet een vertrouwenspersoon niet?*\n" +
    "• Die doet geen onderzoek en stelt geen feiten vast.\n" +
    "• Die oordeelt niet over wie gelijk heeft.\n" +
    "• Die hoort niet bij HR, de ondernemingsraad, de klachtencommissie of de directie.\n" +
    "Een vertrouwenspersoon staat naast jou.",
  "info.choices":
    "*Jij houdt de regie*\n" +
    "Jij beslist wat er gebeurt. Er gebeurt niets tegen je wil. Je kunt bijvoorbeeld kiezen voor:\n" +
    "• niets doen, of alleen je verhaal kwijt willen;\n" +
    "• een gesprek om alles op een rij te zetten;\n" +
    "• een informele oplossing, bijvoorbeeld een gesprek met de ander;\n" +
    "• bemiddeling door een neutrale bemiddelaar (een mediator);\n" +
    "• een formele klacht bij de klachtencommissie;\n" +
    "• aangifte bij de politie.\n" +
    "Ook daarna blijft de vertrouwenspersoon er voor je. Dat heet nazorg.",
  "info.kinds":
    "*Intern of extern?*\n" +
    "• Een interne vertrouwenspersoon werkt zelf bij de organisatie. Die kent de mensen en hoe het werk gaat.\n" +
    "• Een externe vertrouwenspersoon komt van buiten en is onafhankelijk. Dat voelt voor sommige mensen veiliger.\n" +
    "Beiden hebben geheimhoudingsplicht. Kies bij wie jij je het prettigst voelt.",
  "info.who":
    "*Wie kan hier terecht?*\n" +
    "Iedereen die hier werkt of werkte:\n" +
    "• medewerkers in loondienst;\n" +
    "• uitzendkrachten en stagiairs;\n" +
    "• mensen die hier tijdelijk werken vanuit een andere organisatie;\n" +
    "• zzp'ers en vrijwilligers;\n" +
    "• mensen die hier minder dan een jaar geleden zijn weggegaan.",
  "info.protection":
    "*Bescherming en regels*\n" +
    "• Een eerste melding hier is nog geen formele klacht. Het is ook geen melding bij je werkgever. Jij beslist of dat later gebeurt.\n" +
    "• Meld je een misstand, zoals fraude of gevaar voor anderen? Dan beschermt de Wet bescherming klokkenluiders je. " +
    "Je werkgever mag je niet benadelen omdat je iets meldt.\n" +
    "• Meld je een misstand via de meldregeling van je organisatie? Dan krijg je binnen 7 dagen een bevestiging. " +
    "En binnen 3 maanden daarna hoor je wat ermee gebeurt. Dat staat in de wet.\n" +
    "• Het Huis voor Klokkenluiders geeft gratis en vertrouwelijk advies: *088-133 10 00*.",
  "info.retention":
    "*Wat wordt bewaard, en hoe lang?*\n" +
    "• De app bewaart je concept versleuteld, tot {idleMinutes} minuten na je laatste stap. Daarna wis ik het.\n" +
    "• Na het versturen bewaart de app niets leesbaars. Alleen de vertrouwenspersoon kan je bericht openen.\n" +
    "• De vertrouwenspersoon bewaart je bericht versleuteld, en niet langer dan nodig.\n" +
    "• Je mag de vertrouwenspersoon altijd vragen je bericht te laten zien of te vernietigen. " +
    "Noem dan je zaakcode: de code die je na het versturen krijgt.",
  "info.counsellors": "*Wie zijn de vertrouwenspersonen?*",
  "info.next": "Wil je nog iets anders weten?",
  "urgent.referrals": () =>
    `*Ben je in direct gevaar? Bel 112.*\nHier vind je hulp die je zelf kunt inschakelen:\n${referralList(referrals, false)}\n\nJe kunt ook naar je huisarts of de bedrijfsarts. De bedrijfsarts is de arts van je werk voor gezondheid en werk.\n${reviewed}`,
  "urgent.back": "Wil je terug naar de keuzes?",
  "org.contacts": "*Binnen je eigen organisatie*",
  "org.contact": orgContact,
  "urgent.counsellors": "*De vertrouwenspersonen zelf bereiken*",
  "counsellor.reach": counsellorReach,
  "form.offered":
    "*Het formulier*\n" +
    "Alles over je situatie vul je in een apart formulier in. Dat komt niet in de chatgeschiedenis.\n" +
    "Sluit je het formulier zonder te versturen? Dan wis ik wat je invulde.\n" +
    "Is het formulier dicht? Open dan een nieuw formulier met de knop.",
  "form.sent": "Je bericht is verstuurd. Je zaakcode staat in het formulier. Schrijf hem op.",
  "stopped.wiped": "Je bent gestopt. Ik wis alles wat je invulde. Je kunt altijd opnieuw beginnen.",

  // ── Het formulier: de inhoud ───────────────────────────────────────────────────────────
  "form.title": "Vertrouwd",
  "form.pick": "Kies een antwoord",
  "form.close": "Sluiten",
  "form.dangerTitle": "Hulp bij gevaar",
  "form.backToForm": "Terug naar het formulier",
  "mode.question":
    "*Wat wil je doen?*\n" +
    "• *Een eerste melding*: je vertelt wat er is gebeurd. Dat mag anoniem.\n" +
    "• *Vragen om contact*: de vertrouwenspersoon neemt contact met je op. Je hoeft nu niets te vertellen.\n" +
    "Sluit je dit formulier zonder te versturen? Dan wis ik wat je invulde.",
  "topic.question":
    "*Waar gaat het ongeveer over?*\n" +
    "Je hoeft het niet precies te weten. Twijfel je? Kies dan *Weet ik niet zeker*. Je mag ook *Zeg ik liever niet* kiezen.",
  "topic.aggression": "Agressie of geweld",
  "topic.sexual_harassment": "Seksuele intimidatie",
  "topic.intimidation": "Intimidatie",
  "topic.bullying": "Pesten",
  "topic.discrimination": "Discriminatie of racisme",
  "topic.integrity": "Fraude of machtsmisbruik",
  "topic.wrongdoing": "Misstand met publiek belang",
  "topic.other_conduct": "Ander ongewenst gedrag",
  "topic.performance": "Beoordeling of functioneren",
  "topic.reorganisation": "Reorganisatie",
  "topic.labour_dispute": "Arbeidsconflict",
  "topic.private_matter": "Een privézaak",
  "topic.not_sure": "Weet ik niet zeker",
  "topic.prefer_not_say": "Zeg ik liever niet",
  "topic.outOfScope.performance":
    "*Over je beoordeling of je functioneren*\n" +
    "Daarvoor is de vertrouwenspersoon meestal niet de eerste plek. " +
    "Praat erover met je leidinggevende, diens leidinggevende of HR. Vaak is er ook een regeling voor bezwaar.\n\n" +
    "Maar word je rond je beoordeling gepest, bedreigd of buitengesloten? Dan is dat ongewenst gedrag. " +
    "Daarmee kun je wél bij de vertrouwenspersoon terecht. Twijfel je? Ga dan gerust verder.",
  "topic.outOfScope.reorganisation":
    "*Over een reorganisatie*\n" +
    "Vragen over de reorganisatie zelf horen bij HR en de ondernemingsraad. " +
    "De ondernemingsraad praat namens de medewerkers mee over zulke plannen.\n\n" +
    "Maar gaat het om hoe er met je wordt omgegaan? Word je bijvoorbeeld gepest, bedreigd of buitengesloten? " +
    "Daarmee kun je wél bij de vertrouwenspersoon terecht. Twijfel je? Ga dan gerust verder.",
  "topic.outOfScope.labour_dispute":
    "*Over een arbeidsconflict*\n" +
    "Bij een conflict over je werk kun je hulp vragen bij HR, een vakbond of een jurist. " +
    "Een mediator kan helpen om samen een oplossing te vinden. Dat is een neutrale bemiddelaar.\n\n" +
    "Maar ontstaat er rond het conflict ongewenst gedrag, zoals pesten of intimidatie? " +
    "Daarmee kun je wél bij de vertrouwenspersoon terecht. Twijfel je? Ga dan gerust verder.",
  "topic.outOfScope.private_matter":
    "*Over iets in je privéleven*\n" +
    "Daarvoor kun je terecht bij je huisarts of de bedrijfsarts. De bedrijfsarts is de arts van je werk. " +
    "Gaat het om geweld of onveiligheid thuis? Bel Veilig Thuis: *0800-2000*, gratis en dag en nacht.\n\n" +
    "Heeft het ook gevolgen voor hoe er op je werk met je wordt omgegaan? " +
    "Daarmee kun je wél bij de vertrouwenspersoon terecht. Twijfel je? Ga dan gerust verder.",
  "counsellor.question":
    "*Bij wie wil je terecht?*\n" +
    "Kies de vertrouwenspersoon die je het meest vertrouwt. Alleen die kan je bericht openen. Staat er een vervanger bij? Dan kan die het ook.",
  "counsellor.card": card,
  "counsellor.pick": "Kies een vertrouwenspersoon:",
  "counsellor.choice": "{name}",
  "identity.question":
    "*Anoniem of met je naam?*\n" +
    "• *Anoniem*: er gaat geen naam, e-mailadres of chat-ID mee. Een chat-ID is het nummer waarmee Slack of Teams jouw account herkent. " +
    "De vertrouwenspersoon kan dan geen contact met je opnemen.\n" +
    "• *Met je naam*: je geeft zelf op hoe de vertrouwenspersoon je kan bereiken. " +
    "Meld je een misstand? Dan kan de vertrouwenspersoon je melding zonder jouw naam aan de organisatie doorgeven.\n" +
    "Anoniem is anoniem voor je organisatie en voor de vertrouwenspersoon. Slack of Microsoft weten wel wie de app gebruikte.",
  "contactHow.question":
    "*Hoe kan de vertrouwenspersoon je bereiken?*\n" +
    "• *Zelf invullen*: een telefoonnummer of privé-e-mailadres. Dat gaat versleuteld mee.\n" +
    "• *Via deze chat*: de vertrouwenspersoon krijgt je chat-ID en stuurt je een bericht in Slack of Teams. " +
    "Een chat-ID is het nummer waarmee Slack of Teams jouw account herkent. Dat bericht valt onder de bewaarregels van de chat.",
  "contactHow.contactRequest":
    "*Je vraagt om contact.*\n" +
    "Hoe kan de vertrouwenspersoon je bereiken?\n" +
    "• *Zelf invullen*: een telefoonnummer of privé-e-mailadres. Dat gaat versleuteld mee.\n" +
    "• *Via deze chat*: de vertrouwenspersoon krijgt je chat-ID en stuurt je een bericht in Slack of Teams. " +
    "Een chat-ID is het nummer waarmee Slack of Teams jouw account herkent. Dat bericht valt onder de bewaarregels van de chat.",
  "contact.intro": "*Je contactgegevens*\nDit gaat versleuteld mee. Het komt niet in de chatgeschiedenis.",
  "contact.field.name": "Naam (een voornaam mag ook)",
  "contact.field.route": "Telefoonnummer of privé-e-mailadres",
  "contact.hint.name": "Hoe wil je aangesproken worden? Mag leeg blijven.",
  "contact.hint.route": "Liever niet je werkadres, als je werkgever het niet mag zien.",
  "report.intro":
    "*Wat is er gebeurd?*\n" +
    "Vertel wat je kwijt wilt, in je eigen woorden. Alles mag leeg blijven. " +
    "Vul je niets in? Dan krijgt de vertrouwenspersoon alleen je keuzes. Je tekst gaat versleuteld mee.",
  "report.field.what": "Wat is er gebeurd?",
  "report.field.when": "Wanneer ongeveer?",
  "report.field.where": "Waar?",
  "report.field.who": "Wie waren erbij betrokken?",
  "report.field.witnesses": "Waren er getuigen?",
  "report.field.impact": "Wat doet het met je?",
  "report.field.urgent": "Is er iets dringends?",
  "report.field.wishes": "Wat zou je willen?",
  "report.hint.what": (p) =>
    `In je eigen woorden, zo kort of lang als je wilt. Hooguit ${formatNumber("nl", Number(p.max))} tekens.`,
  "report.hint.when": "Bijvoorbeeld: vorige week, sinds maart, elke vrijdag.",
  "report.hint.where": "Bijvoorbeeld: op kantoor, online of tijdens een uitje.",
  "report.hint.who": "Namen of functies. Mag leeg blijven.",
  "report.hint.witnesses": "Mag leeg blijven.",
  "report.hint.impact": (p) =>
    `Bijvoorbeeld op je werk, je gezondheid of je gevoel van veiligheid. Hooguit ${formatNumber("nl", Number(p.max))} tekens.`,
  "report.hint.urgent":
    "Dit wordt niet meteen gelezen. Ben je in gevaar? Bel 112, of kies Ik ben nu in gevaar.",
  "report.hint.wishes": "Je kunt dit later altijd veranderen.",
  "wish.heard": "Alleen mijn verhaal kwijt",
  "wish.advice": "Advies over wat ik kan doen",
  "wish.informal": "Een informele oplossing",
  "wish.mediation": "Bemiddeling",
  "wish.complaint": "Een formele klacht",
  "wish.not_sure": "Weet ik nog niet",
  "review.summary": review,
  "review.empty": "• Je vulde geen toelichting in. Dat mag.",
  "discard.confirm":
    "*Alles weggooien?*\nDan wis ik alles wat je in dit formulier invulde. Dat kan niet ongedaan worden gemaakt.",
  "sending.wait": "Ik versleutel je bericht…",
  "done.receipt": (p) =>
    `*Klaar. Je bericht is versleuteld.*\nJe zaakcode: *${p.caseCode}*\nSchrijf deze code op. Je hebt hem nodig als je later contact opneemt. Sluit je dit formulier, dan kan ik hem niet meer laten zien.\nDatum: ${formatDay("nl", String(p.date))}\nStatus: ${status(p)}\n\n*Wat gebeurt er nu?*\nDe vertrouwenspersoon leest je bericht. Gaf je een manier van contact? Dan neemt die contact met je op. Jij beslist wat er daarna gebeurt.\nWil je iets toevoegen of je bericht intrekken? Neem dan contact op met de vertrouwenspersoon en noem je zaakcode.${p.reachVia ? `\n${p.counsellor} is ook direct bereikbaar: ${p.reachVia}` : ""}`,
  "done.mailbox": (p) =>
    `*Anoniem een antwoord krijgen?*\nOpen een anonieme brievenbus op de beveiligde webpagina. Daar krijg je een geheime code. Schrijf die op papier. Met die code lees je later het antwoord van de vertrouwenspersoon, en kun je terugschrijven. Zonder de code kan niemand erin, ook de beheerders niet.\nJe krijgt geen bericht als er een antwoord is. Kijk dus zelf af en toe.\nDe knop werkt één keer, de komende ${p.minutes} minuten.`,
  "stopped.form":
    "*Gestopt.* Ik heb alles gewist wat je in dit formulier invulde. Je kunt dit formulier sluiten. In de chat kun je opnieuw beginnen.",

  // ── De beveiligde webpagina ────────────────────────────────────────────────────────────
  "web.welcome":
    "*Welkom*\n" +
    "Hallo. Dit is Vertrouwd, de beveiligde pagina van de vertrouwenspersonen van {organisation}. " +
    "Vertrouwd is een computerprogramma, geen mens.\n\n" +
    "Werk je hier, of werkte je hier tot een jaar geleden? Ook als uitzendkracht, stagiair of zzp'er? Dan kun je hier terecht. " +
    "Zit het je dwars hoe er op je werk met je wordt omgegaan? Dan mag je daarmee komen. " +
    "Je hoeft niet zeker te weten of het 'erg genoeg' is.\n\n" +
    "Hier vind je informatie, hulp als het dringend is, en een formulier voor een eerste bericht aan een vertrouwenspersoon. " +
    "Alles is vrijwillig.\n\n" +
    "Stoppen kan altijd: kies *Stop en wis alles*. Ben je nu in gevaar? Kies *Ik ben nu in gevaar*.\n" +
    "Deel je deze computer met anderen? Open deze pagina dan in een privévenster. Een privévenster onthoudt niet welke pagina's je bezocht.",
  "web.confidentiality.short": () =>
    [
      "*Eerst: wat gebeurt er met wat je deelt?*",
      "",
      "*De vertrouwenspersoon*",
      secrecy,
      "",
      "*Deze pagina*",
      "• Je bericht wordt in je eigen browser versleuteld, voordat het je apparaat verlaat. Alleen de vertrouwenspersoon die je kiest, kan het openen. Heeft die een vaste vervanger? Dan staat die erbij, en kan die het ook.",
      "• Deze pagina bewaart niets op je apparaat. Sluit je het tabblad? Dan is alles weg.",
      "• De server van je organisatie ziet dat iemand deze pagina opent, en wanneer. Zoals elke website ziet die ook je internetadres. De app schrijft dat adres niet op. Alleen een onleesbare code ervan wordt kort bewaard, tegen misbruik.",
      "• Gebruik je een apparaat of wifi van je werk? Dan kan je werkgever soms zien welke sites je bezoekt. Gebruik dan liever je eigen telefoon of computer.",
      "• Anoniem melden kan. Dan gaat er geen naam of contactgegeven mee.",
    ].join("\n"),
  "web.confidentiality.long": () =>
    [
      "*Meer over vertrouwelijkheid*",
      "",
      secrecyLimits,
      "",
      "*Versleuteld in je browser.* Deze pagina versleutelt je bericht in je eigen browser, met OpenPGP. Dat is een bekende, open manier van versleutelen. De server krijgt alleen het versleutelde bericht. Die kan het niet lezen, en geeft het door aan de vertrouwenspersoon. Elk bericht wordt aangevuld tot een vaste grootte. Zo verraadt de grootte niet hoe lang je verhaal is.",
      "",
      "*Wat je moet vertrouwen.* De code van deze pagina komt van de server van je organisatie. Een deskundige kan controleren of het de gepubliceerde code is. De beheerder weet hoe.",
      "",
      "*Anoniem.* Kies je anoniem? Dan gaat er geen naam of contactgegeven mee. Van het tijdstip gaat alleen de datum mee. Je internetadres gaat nooit mee in je bericht.",
    ].join("\n"),
  "web.info.retention":
    "*Wat wordt bewaard, en hoe lang?*\n" +
    "• Wat je invult, staat alleen in het geheugen van deze pagina. Er wordt niets op je apparaat opgeslagen.\n" +
    "• Sluit je het tabblad, of kies je *Stop en wis alles*? Dan is het weg. " +
    "Doe je {idleMinutes} minuten niets op deze pagina? Dan wis ik alles, voor de veiligheid.\n" +
    "• Na het versturen bewaart de app niets leesbaars. Alleen de vertrouwenspersoon kan je bericht openen.\n" +
    "• De vertrouwenspersoon bewaart je bericht versleuteld, en niet langer dan nodig.\n" +
    "• Je mag de vertrouwenspersoon altijd vragen je bericht te laten zien of te vernietigen. " +
    "Noem dan je zaakcode: de code die je na het versturen krijgt.",
  "web.form.offered":
    "*Het formulier*\n" +
    "Alles over je situatie vul je in het formulier op deze pagina in. Het blijft alleen op deze pagina tot je het verstuurt.\n" +
    "Sluit je het formulier zonder te versturen? Dan wis ik wat je invulde.",
  "web.stopped":
    "*Gestopt.* Alles wat je op deze pagina invulde, is gewist. Je kunt dit tabblad nu sluiten, of opnieuw beginnen.",
  "web.stopAfterSend":
    "*Je bericht was al verstuurd.* Stoppen trekt het niet in. " +
    "Wil je iets toevoegen of je bericht intrekken? Neem dan contact op met de vertrouwenspersoon en noem je zaakcode.",
  "web.identity":
    "*Anoniem of met je naam?*\n" +
    "• *Anoniem*: er gaat geen naam of contactgegeven mee. De vertrouwenspersoon kan dan geen contact met je opnemen.\n" +
    "• *Met je naam*: je geeft zelf op hoe de vertrouwenspersoon je kan bereiken. " +
    "Meld je een misstand? Dan kan de vertrouwenspersoon je melding zonder jouw naam aan de organisatie doorgeven.\n" +
    "Anoniem is anoniem voor je organisatie en voor de vertrouwenspersoon. Je internetadres gaat nooit mee in je bericht.",
  "web.contact.intro":
    "*Je contactgegevens*\nDit gaat versleuteld mee. Alleen de vertrouwenspersoon kan het lezen.",
  "web.title": "Vertrouwd · {organisation}",
  "web.noscript":
    "Deze pagina werkt alleen met JavaScript. Je bericht wordt namelijk in je eigen browser versleuteld. " +
    "Zet JavaScript aan, of vraag de vertrouwenspersoon om een andere manier.",
  "web.insecure":
    "Deze pagina kan je bericht hier niet veilig versleutelen. Open haar via een beveiligde verbinding (https), in een recente browser. " +
    "Lukt dat niet? Laat het de beheerder weten. Ben je in gevaar? Bel 112.",
  "web.loadFailed":
    "De pagina kon niet goed laden. Controleer je internetverbinding en laad de pagina opnieuw. Ben je in gevaar? Bel 112.",
  "web.footer":
    "Deze pagina bewaart niets op je apparaat. Je bericht wordt versleuteld voordat het je apparaat verlaat.",
  "web.safety": "Hulp en stoppen",
  "web.formHeading": "Het formulier",
  "web.closeForm": "Formulier sluiten",
  "web.selectNone": "Niets gekozen",
  "web.pickOne": "Kies eerst een antwoord.",
  "web.errorSummary": "Kijk dit nog even na",
  "web.rateLimited": (p) => {
    const minutes = Math.max(1, Number(p.minutes ?? 1));
    return `Vanaf deze verbinding zijn net te veel berichten verstuurd. Je bericht is niet weg. Probeer het over ${minutes} ${minutes > 1 ? "minuten" : "minuut"} opnieuw.`;
  },
  "web.network":
    "Versturen lukte niet, want de server was niet bereikbaar. Je bericht is niet weg. Controleer je verbinding en probeer het opnieuw.",
  "web.refused":
    "De server nam je bericht niet aan. Je bericht is niet weg. Probeer het later opnieuw. " +
    "Lukt het dan nog niet? Neem contact op met de vertrouwenspersoon.",
  "web.statusFailed":
    "De status kon nu niet worden opgehaald. Je bericht is wel verstuurd. Probeer het later opnieuw.",
  // ── De anonieme brievenbus (docs/follow-up.md) ─────────────────────────────────────────
  "mailbox.nav": "Mijn brievenbus",
  "mailbox.navReport": "Terug naar het begin",
  "mailbox.offer":
    "*Wil je een antwoord kunnen krijgen?*\n" +
    "Je meldt anoniem. De vertrouwenspersoon weet dus niet wie je bent, en kan je niet bereiken. " +
    "Met een anonieme brievenbus kan dat wel, zonder dat je je naam geeft.\n\n" +
    "• Je krijgt een geheime code. Alleen jij hebt die code.\n" +
    "• Met die code open je later op deze pagina *Mijn brievenbus*. Daar lees je het antwoord, en kun je terugschrijven.\n" +
    "• Alles in de brievenbus is versleuteld. Alleen jij en de vertrouwenspersoon kunnen het lezen. De server niet.\n" +
    "• Er komt geen melding als er een antwoord is. Kijk dus zelf af en toe.\n" +
    "• Ben je de code kwijt? Dan kan niemand hem terughalen, ook de vertrouwenspersoon niet.",
  "mailbox.offerYes": "Ja, maak een brievenbus",
  "mailbox.offerNo": "Nee, zonder brievenbus",
  "mailbox.secret":
    "*Je geheime code*\n" +
    "Schrijf deze code nu op, op papier. Je ziet hem maar één keer.\n\n" +
    "• Kwijt is kwijt: niemand kan de code terughalen, ook de vertrouwenspersoon niet.\n" +
    "• Er komt geen melding als er een antwoord is. Kijk zelf af en toe in *Mijn brievenbus*.\n" +
    "• Bewaar de code niet op een computer of telefoon van je werk. Laat hem aan niemand zien.",
  "mailbox.secretLabel": "Je geheime code",
  "mailbox.confirm": "Ik heb de code opgeschreven",
  "mailbox.confirmMissing": "Schrijf de code eerst op, en vink dan aan dat je dat deed.",
  "mailbox.continue": "Verder",
  "mailbox.working": "Ik maak je brievenbus…",
  "mailbox.openFailed":
    "Het lukte niet om de brievenbus te maken. Je bericht is niet weg. Probeer het opnieuw, of verstuur zonder brievenbus.",
  "mailbox.sendWithout": "Verstuur zonder brievenbus",
  "mailbox.retry": "Probeer opnieuw",
  "mailbox.receipt":
    "*Je brievenbus*\n" +
    "De vertrouwenspersoon kan je nu antwoorden. Lees het antwoord via *Mijn brievenbus* op deze pagina, met je geheime code. " +
    "Er komt geen melding. Kijk dus zelf af en toe.",
  "mailbox.link":
    "*Wil je een antwoord kunnen krijgen?*\n" +
    "Je stuurde een bericht aan de vertrouwenspersoon. Met een anonieme brievenbus kan die je antwoorden, zonder dat je je naam geeft.\n\n" +
    "• Je krijgt een geheime code. Alleen jij hebt die code.\n" +
    "• Met die code open je later op deze pagina *Mijn brievenbus*. Daar lees je het antwoord, en kun je terugschrijven.\n" +
    "• Alles in de brievenbus is versleuteld. Alleen jij en de vertrouwenspersoon kunnen het lezen.\n" +
    "• Er komt geen melding als er een antwoord is. Ben je de code kwijt? Dan kan niemand hem terughalen.",
  "mailbox.linkOpened":
    "*Je brievenbus is open.*\n" +
    "De vertrouwenspersoon krijgt versleuteld bericht dat er een brievenbus is bij zaakcode {caseCode}. " +
    "Lees het antwoord later via *Mijn brievenbus* op deze pagina, met je geheime code.",
  "mailbox.linkExpired":
    "Deze link werkt niet meer. Een link werkt één keer, en maar een kwartier. " +
    "Open in de chat het bewijs van je bericht opnieuw, en kies daar weer de brievenbus.",
  "mailbox.login":
    "*Mijn brievenbus*\n" +
    "Typ je geheime code. Dan lees je hier de berichten van de vertrouwenspersoon, en kun je terugschrijven.\n\n" +
    "• Alles wordt in je eigen browser geopend. De server kan het niet lezen.\n" +
    "• Er komt geen melding als er een antwoord is.\n" +
    "• Ben je de code kwijt? Dan kan niemand hem terughalen. Je kunt wel een nieuw bericht sturen.",
  "mailbox.codeLabel": "Geheime code",
  "mailbox.codeHint": "21 tekens. Hoofdletters, spaties en streepjes maken niet uit.",
  "mailbox.openButton": "Open mijn brievenbus",
  "mailbox.code.empty": "Typ eerst je geheime code.",
  "mailbox.code.length": "De code heeft 21 tekens. Kijk nog eens of je er een mist, of er een te veel hebt.",
  "mailbox.code.character": "Er staat een teken in dat niet in een code voorkomt. Kijk de code nog eens na.",
  "mailbox.code.check": "Er zit een tikfout in de code. Kijk elk teken nog eens na. Er is niets verstuurd.",
  "mailbox.notFound": (p) =>
    `Er is geen brievenbus met deze code. Kijk de code nog eens na. Een brievenbus verdwijnt ook ${Number(p.days ?? 183)} dagen na het laatste bericht.`,
  "mailbox.rateLimited": (p) => {
    const minutes = Math.max(1, Number(p.minutes ?? 1));
    return `Er is net te vaak geprobeerd een brievenbus te openen. Probeer het over ${minutes} ${minutes > 1 ? "minuten" : "minuut"} opnieuw.`;
  },
  "mailbox.network": "De server was niet bereikbaar. Controleer je verbinding en probeer het opnieuw.",
  "mailbox.unlockFailed": "De brievenbus kon niet worden geopend met deze code. Kijk de code nog eens na.",
  "mailbox.thread":
    "*Je brievenbus*\nZaakcode: {caseCode}\nHier staan de berichten tussen jou en de vertrouwenspersoon. Ze zijn in je eigen browser geopend.",
  "mailbox.empty":
    "Er is nog geen antwoord. Er komt geen melding als er een antwoord is. Kijk dus later nog eens.",
  "mailbox.fromCounsellor": (p) => `Vertrouwenspersoon · ${formatDay("nl", String(p.date))}`,
  "mailbox.fromDeputy": (p) => `Vervanger van de vertrouwenspersoon · ${formatDay("nl", String(p.date))}`,
  "mailbox.fromMelder": (p) => `Jij · ${formatDay("nl", String(p.date))}`,
  "mailbox.unverified":
    "Let op: dit bericht is niet ondertekend door je vertrouwenspersoon. Het kan van iemand anders komen. Doe niets wat erin staat zonder het na te vragen.",
  "mailbox.unreadable": "Dit bericht kon niet worden geopend.",
  "mailbox.answerLabel": "Je antwoord",
  "mailbox.answerHint": (p) =>
    `Hooguit ${formatNumber("nl", Number(p.max))} tekens. Je antwoord wordt in je browser versleuteld. Alleen jij en de vertrouwenspersoon kunnen het lezen.`,
  "mailbox.answerButton": "Versleutel en verstuur",
  "mailbox.answerEmpty": "Schrijf eerst je antwoord.",
  "mailbox.answerSending": "Ik versleutel je antwoord…",
  "mailbox.answerSent": "Je antwoord is versleuteld en verstuurd. Het staat hieronder in je brievenbus.",
  "mailbox.answerFailed": "Versturen lukte niet. Je antwoord is niet weg. Probeer het later opnieuw.",
  "mailbox.full":
    "Deze brievenbus is vol. Stuur de vertrouwenspersoon een nieuw bericht, en noem daarin je zaakcode.",
  "mailbox.keyProblem":
    "De sleutel van de vertrouwenspersoon is nu niet in orde. De beheerder weet het. Probeer het later opnieuw.",
  "mailbox.close": "Brievenbus sluiten",
  "mailbox.closed":
    "*Brievenbus gesloten.* Je code en de berichten zijn uit deze pagina gewist. Je kunt dit tabblad nu sluiten.",

  // ── De terminal ────────────────────────────────────────────────────────────────────────
  "console.choose": "Kies een nummer",
  "console.invalidChoice": "Dat nummer ken ik niet. Typ een van de nummers hierboven, of *hulp*.",
  "console.multilineHint": "(Meerdere regels mogen. Sluit af met een lege regel. Meteen Enter is overslaan.)",
  "console.skipHint": "(Enter is overslaan)",
  "console.formStart": "── Formulier: dit komt niet in een chatgeschiedenis ──",
  "console.formEnd": "── Einde van het formulier ──",
  "console.fill": "Invullen",
  "console.closeForm": "Formulier sluiten",
  "console.openHint": "Openen met: {command}",
  "console.bye": "Tot ziens. Er is niets leesbaars bewaard.",
  "console.webLink": "Liever in je browser? Open het veilige formulier: {url}",

  // ── Knoppen (hooguit 30 tekens) ────────────────────────────────────────────────────────
  "choice.continue": "Verder",
  "choice.continue_anyway": "Toch verder",
  "choice.lang_nl": "Nederlands",
  "choice.lang_en": "English",
  "choice.danger": "Ik ben nu in gevaar",
  "choice.stop": "Stop en wis alles",
  "choice.ack": "Begrepen, verder",
  "choice.more": "Vertel me meer",
  "choice.info": "Informatie",
  "choice.urgent": "Ik heb dringend hulp nodig",
  "choice.form": "Iets melden of contact vragen",
  "choice.back": "Terug",
  "choice.other_topic": "Ander onderwerp kiezen",
  "choice.restart": "Opnieuw beginnen",
  "choice.next": "Verder",
  "choice.report": "Een eerste melding doen",
  "choice.contact": "Vragen om contact",
  "choice.anonymous": "Anoniem",
  "choice.named": "Met mijn naam",
  "choice.typed": "Zelf invullen",
  "choice.via_chat": "Via deze chat",
  "choice.no_preference": "Maakt me niet uit",
  "choice.send": "Versturen",
  "choice.edit_topic": "Onderwerp aanpassen",
  "choice.edit_counsellor": "Andere vertrouwenspersoon",
  "choice.edit_identity": "Anoniem of met naam",
  "choice.edit_contact": "Contact aanpassen",
  "choice.edit_report": "Melding aanpassen",
  "choice.discard": "Weggooien",
  "choice.discard_yes": "Ja, alles weggooien",
  "choice.refresh": "Status bijwerken",
  "choice.web": "Veilig formulier in je browser",
  "choice.mailbox_open": "Open een anonieme brievenbus",
  "choice.mailbox": "Mijn brievenbus",

  // ── Meldingen ──────────────────────────────────────────────────────────────────────────
  "notice.danger": () =>
    `*Ben je nu in gevaar? Bel 112.*\n${referralList(referrals, true)}\n${reviewed}\nJe bent nog op dezelfde plek in het gesprek.`,
  "notice.help":
    "*Zo werkt het*\n" +
    "• Je kiest steeds met de knoppen.\n" +
    "• Typen kan ook. *stop* of *wis* gooit alles weg. *hulp* toont deze uitleg. *nood* toont hulpnummers.\n" +
    "• Je verhaal vul je alleen in het formulier in, nooit in de chat.\n" +
    "• Meer weten over de vertrouwenspersoon? Kies *Informatie* bij de keuzes.",
  "notice.formHelp":
    "*Zo werkt het formulier*\n" +
    "• Kies een antwoord en druk op *Verder*.\n" +
    "• *Terug* brengt je een stap terug. Je antwoorden blijven staan.\n" +
    "• *Stop en wis alles* gooit alles weg.\n" +
    "• Sluit je het formulier zonder te versturen? Dan wis ik wat je invulde.",
  "notice.typed":
    "Dank je voor je bericht. Ik ben een programma en lees getypte berichten niet. " +
    "Slack of Teams bewaren wat je hier typt. Wil je iets vertellen? Gebruik dan het formulier. " +
    "Je kunt je eigen bericht hier weer verwijderen. Ben je in gevaar? Kies *Ik ben nu in gevaar* of bel 112.",
  "notice.resumed": "We gaan verder waar je was.",
  "notice.staleChoice": "Die knop hoort bij een eerdere stap. Hier is waar we nu zijn.",
  "notice.formClosed":
    "Je hebt het formulier gesloten zonder te versturen. Ik heb gewist wat je invulde. Je kunt opnieuw beginnen als je wilt.",
  "notice.formGone":
    "Dit formulier is niet meer geldig. Misschien was je een tijd weg, of ben je gestopt. " +
    "Wat je invulde is gewist. Begin opnieuw vanuit de chat.",
  "notice.stopAfterSend":
    "*Je bericht was al verstuurd.* Stoppen trekt het niet in. " +
    "Wil je iets toevoegen of je bericht intrekken? Neem dan contact op met de vertrouwenspersoon en noem je zaakcode. " +
    "De chatgeschiedenis blijft bestaan. Daarin staat niets over je situatie.",
  "notice.timedOut":
    "Je was een tijd niet actief. Voor de veiligheid heb ik gewist wat je invulde. We beginnen opnieuw.",
  "notice.timedOutKept":
    "Je was een tijd weg. Daarom heb ik je eerdere keuzes gewist. Wat je net invulde, heb ik bewaard. " +
    "Loop de stappen nog eens door. Je tekst staat al klaar.",
  "notice.unavailable":
    "Het lukt nu even niet door een storing bij de app. Er is niets verloren gegaan. " +
    "Probeer het over een minuut opnieuw. Ben je in gevaar? Bel 112.",
  "notice.formUnavailable":
    "Opslaan lukt nu even niet door een storing. Alles wat je typte, staat nog in dit formulier. " +
    "Wacht een minuut en druk dan opnieuw op de knop. Ben je in gevaar? Bel 112.",
  "notice.handoffKeyProblem":
    "Versturen lukt nu niet. De beveiligingssleutel van deze vertrouwenspersoon is niet in orde. " +
    "De beheerder is gewaarschuwd. Je bericht is niet weg. Kies een andere vertrouwenspersoon, of probeer het later opnieuw.",
  "notice.handoffInternalError":
    "Er ging iets mis bij het versturen. Je bericht is niet weg en staat hieronder klaar. Probeer het opnieuw.",
  "notice.formErrors": "Kijk de velden met een melding na. Wat je invulde, is niet verloren.",
  "notice.fieldTooLong": (p, t) =>
    `'${fieldLabel(String(p.field), t)}' is te lang: hooguit ${formatNumber("nl", Number(p.max))} tekens. Maak je tekst wat korter.`,
  "notice.fieldRequired": (p, t) => `'${fieldLabel(String(p.field), t)}' is nodig om verder te gaan.`,
  "notice.fieldInvalid": (p, t) => `Kies bij '${fieldLabel(String(p.field), t)}' een van de opties.`,
};
