/**
 * Nederlandse teksten (de eerste taal van het product). Eigen formuleringen; de bronteksten in
 * shared/reference zijn alleen voor de feiten gebruikt.
 */
import type { MessageId, Params } from "../../flows/model.ts";
import { fieldLabel, languageList, referralList, reviewSummary } from "./compose.ts";
import { REFERRALS_CHECKED } from "./referrals.ts";
import type { Catalog } from "./types.ts";

const referralNames: Record<string, string> = {
  emergency: "Direct gevaar: alarmnummer",
  police: "Politie, geen spoed",
  suicide: "Zelfmoordpreventie (113 Zelfmoordpreventie)",
  sexualViolence: "Centrum Seksueel Geweld",
  victimSupport: "Slachtofferhulp Nederland",
  whistleblowers: "Huis voor Klokkenluiders (gratis advies bij misstanden)",
  humanRights: "College voor de Rechten van de Mens (discriminatie)",
};

const kind = (p: Params) =>
  p.kind === "internal" ? "interne vertrouwenspersoon" : "externe vertrouwenspersoon";
const langs = (p: Params) => languageList(p.languages, { nl: "Nederlands", en: "Engels" });

const review = reviewSummary({
  heading: "*Dit is wat er verstuurd wordt* (alleen jij ziet dit overzicht):",
  kind: "Soort",
  kindReport: "eerste melding",
  kindContact: "verzoek om contact (zonder melding)",
  topic: "Onderwerp",
  counsellor: "Vertrouwenspersoon",
  anonymous: "Anoniem",
  anonymousYes: "ja — zonder naam of chat-ID",
  anonymousNo: "nee",
  name: "Naam",
  contactVia: "Contact via",
  viaThisChat: "deze chat",
  wishes: "Wat je wilt",
  closing: "Klopt dit? Je kunt versturen, aanpassen of alles weggooien.",
  filledIn: (n) => `ingevuld (${n} tekens)`,
  given: "opgegeven",
  redactedNote:
    "_Je tekst staat niet in deze chat. Kies *Melding aanpassen* om hem in het formulier te lezen of te wijzigen._",
});

export const nl: Catalog = {
  "welcome.intro":
    "Hallo. Ik ben Vertrouwd, de digitale ingang naar de vertrouwenspersonen van {organisation}. " +
    "Ik ben een programma, geen mens: ik lees niet mee en oordeel niet.\n\n" +
    "Ik help je op weg: informatie over de vertrouwenspersoon, hulp als het dringend is, of een eerste melding " +
    "die alleen de vertrouwenspersoon van jouw keuze kan lezen. Je hoeft niets te melden om iets te vragen.\n\n" +
    "Je kunt op elk moment stoppen met *stop* of *wis*: dan gooi ik alles weg wat je hebt ingevuld. " +
    "Ben je nu in gevaar? Kies dan *Ik ben nu in gevaar*.",
  "home.start":
    "Open het tabblad *Berichten* van deze app om te beginnen. Voordat ik iets vraag, leg ik uit wat vertrouwelijk blijft en wat het chatplatform en beheerders wél kunnen zien.",
  "confidentiality.short":
    "*Eerst: wat gebeurt er met wat je deelt?*\n\n" +
    "• De vertrouwenspersoon heeft geheimhoudingsplicht. Wat je vertelt, deelt hij of zij met niemand zonder jouw toestemming.\n" +
    "• Maar 'vertrouwelijk' heeft grenzen. Een vertrouwenspersoon heeft geen verschoningsrecht en kan dus door een rechter als getuige worden opgeroepen. " +
    "Bij bepaalde ernstige misdrijven kan de wet vragen om geheimhouding te doorbreken. " +
    "En als iemand ernstig en direct gevaar loopt en er geen andere uitweg is, kan de vertrouwenspersoon in gewetensnood toch moeten handelen. Dat gebeurt zo mogelijk in overleg met jou.\n" +
    "• Dit gesprek loopt via Slack of Microsoft Teams. Berichten die je hier *typt*, bewaren zij volgens de instellingen van jouw organisatie, " +
    "en sommige beheerders kunnen chats exporteren of doorzoeken. Dát je met mij praat, kan voor hen zichtbaar zijn.\n" +
    "• Daarom vraag ik je verhaal nooit in de chat zelf, maar in een apart formulier. Dat wordt versleuteld, zodat alleen jouw vertrouwenspersoon het kan openen; op de servers van je organisatie blijft niets leesbaars achter.\n" +
    "• Anoniem melden kan. Anoniem betekent: anoniem voor je organisatie en de vertrouwenspersoon — niet voor Slack of Microsoft zelf.",
  "confidentiality.long":
    "*Meer over vertrouwelijkheid*\n\n" +
    "*Geheimhouding.* De vertrouwenspersoon mag niets doorvertellen zonder jouw toestemming, ook niet aan je leidinggevende, HR of de directie. " +
    "Hij of zij doet geen onderzoek en velt geen oordeel; jij houdt de regie over wat er gebeurt.\n\n" +
    "*De grenzen.* (1) Geen verschoningsrecht: in een rechtszaak kan de vertrouwenspersoon verplicht worden te getuigen. " +
    "(2) Wettelijke plichten: wie weet van bepaalde zware misdrijven, kan verplicht zijn dat te melden. " +
    "(3) Gewetensnood: dreigt ernstige schade voor jou of een ander en is er geen andere weg, dan kan de vertrouwenspersoon besluiten toch iets te doen. " +
    "Dat zijn uitzonderingen; de vertrouwenspersoon legt het je uit als het speelt.\n\n" +
    "*Het kanaal.* Slack en Microsoft bewaren getypte chatberichten zolang de bewaarinstellingen van je organisatie dat zeggen. " +
    "Beheerders met de juiste rechten kunnen chats exporteren of doorzoeken (bij Slack via exports of Discovery, bij Microsoft via eDiscovery). " +
    "Ook dat je contact had met deze app kan voor hen te zien zijn. " +
    "Je melding vul je daarom in een formulier in dat niet in de chatgeschiedenis komt; de tekst wordt direct versleuteld voor de vertrouwenspersoon. " +
    "Ook het overzicht vóór het versturen noemt alleen wélke velden je invulde, niet wat je schreef; na het versturen haal ik het weg.\n\n" +
    "*Anoniem.* Kies je voor anoniem, dan gaat er geen naam, e-mailadres, chat-ID of exact tijdstip mee — alleen de datum. " +
    "Slack of Microsoft weet technisch wel wie met de app praatte.",
  "need.question": "Waar kan ik je mee helpen?",
  "info.role":
    "*Wat doet een vertrouwenspersoon?*\n" +
    "Een vertrouwenspersoon vangt je op, luistert, en denkt met je mee over wat je kunt doen: van niets doen of alleen je verhaal kwijt willen, " +
    "tot een gesprek, een informele oplossing, bemiddeling, een formele klacht bij de klachtencommissie of aangifte bij de politie. " +
    "Er gebeurt niets tegen je wil. Ook daarna blijft de vertrouwenspersoon beschikbaar voor nazorg.\n" +
    "Een vertrouwenspersoon onderzoekt niet, stelt geen feiten vast en oordeelt niet, en hoort niet bij HR, de ondernemingsraad, de klachtencommissie of de directie. " +
    "Je kunt er terecht met ongewenst gedrag (agressie, seksuele intimidatie, intimidatie, pesten, discriminatie, racisme) en met integriteitskwesties (fraude, diefstal, machtsmisbruik, misstanden). " +
    "Ook als je hier nog werkt via een uitzendbureau, stage of detachering, of als je korter dan een jaar geleden bent vertrokken.",
  "info.counsellor": (p) => `*${p.name}* — ${kind(p)} (spreekt ${langs(p)})\n${p.intro}`,
  "info.back": "Wil je terug naar de keuzes?",
  "urgent.referrals": () =>
    `*Hulp die je nu kunt inschakelen*\n${referralList(referralNames, false)}\n\nVerder kun je terecht bij de bedrijfsarts, je huisarts, bedrijfsmaatschappelijk werk, een mediator, een advocaat of psychotherapeut, en bij de klachtencommissie van je organisatie.\n_Nummers gecontroleerd op ${REFERRALS_CHECKED}._`,
  "topic.question":
    "Waar gaat het ongeveer over? Je hoeft het niet precies te weten — kies *Weet ik niet zeker* als je twijfelt.",
  "topic.outOfScope": (p, t) =>
    `Bij '${t(`topic.${p.topic}` as MessageId)}' is een vertrouwenspersoon meestal niet de eerste ingang. Denk aan HR, je leidinggevende of diens leidinggevende, bedrijfsmaatschappelijk werk, een ombudsfunctie of (bij een arbeidsconflict) je vakbond of een jurist.\n\nMaar gaat het ook om hoe er met je wordt omgegaan — word je bijvoorbeeld gepest, geïntimideerd of buitengesloten rond zo'n situatie — dan hoort het wél bij de vertrouwenspersoon. Twijfel je, ga dan gerust verder: de vertrouwenspersoon denkt met je mee.`,
  "counsellor.question": "Bij wie wil je terecht? Kies wie je het meest vertrouwt.",
  "counsellor.card": (p) => `*${p.name}* — ${kind(p)} (spreekt ${langs(p)})\n${p.intro}`,
  "counsellor.choice": "{name}",
  "counsellor.kind.internal": "interne vertrouwenspersoon (werkt zelf in de organisatie)",
  "counsellor.kind.external": "externe vertrouwenspersoon (onafhankelijk, van buiten)",
  "identity.question":
    "Wil je anoniem blijven of met je naam?\n\n" +
    "• *Anoniem*: er gaat geen naam, e-mailadres of chat-ID mee. De vertrouwenspersoon kan dan geen contact met je opnemen; " +
    "bij integriteitsmeldingen kan hij of zij wel als tussenpersoon naar de organisatie optreden.\n" +
    "• *Met naam*: je geeft zelf aan hoe de vertrouwenspersoon je kan bereiken. Ook dan blijft alles vertrouwelijk.",
  "identity.contactOnly":
    "Om contact met je op te nemen heeft de vertrouwenspersoon een manier nodig om je te bereiken. Die geef je zelf op; ze blijft vertrouwelijk.",
  "contactHow.question":
    "Hoe wil je bereikt worden?\n" +
    "• *Zelf invullen*: een telefoonnummer of privé-e-mailadres, in een formulier dat niet in de chat komt.\n" +
    "• *Via deze chat*: de vertrouwenspersoon krijgt je chat-ID en stuurt je hier een bericht. Dat bericht valt dan wel onder de bewaarregels van Slack of Teams.",
  "contact.prompt": "Vul in hoe de vertrouwenspersoon je kan bereiken.",
  "contact.title": "Hoe bereikt de vertrouwenspersoon je?",
  "contact.formIntro": "Dit gaat versleuteld mee en komt niet in de chatgeschiedenis.",
  "contact.open": "Contactgegevens invullen",
  "contact.field.name": "Naam (mag ook alleen een voornaam)",
  "contact.field.route": "Telefoonnummer of privé-e-mailadres",
  "contact.hint.name": "Hoe wil je aangesproken worden?",
  "contact.hint.route": "Liefst niet je werkadres als je niet wilt dat je werkgever het ziet.",
  "report.prompt":
    "Wil je vertellen wat er is gebeurd? Dat doe je in een apart formulier; alles is optioneel. " +
    "Je mag ook *Overslaan*: dan krijgt de vertrouwenspersoon alleen je keuzes tot nu toe.",
  "report.title": "Eerste melding",
  "report.formIntro":
    "Vul in wat je kwijt wilt; elk veld mag leeg blijven. De tekst wordt versleuteld voor de vertrouwenspersoon en komt niet in de chatgeschiedenis.",
  "report.open": "Formulier openen",
  "report.field.what": "Wat is er gebeurd?",
  "report.field.when": "Wanneer (ongeveer)?",
  "report.field.where": "Waar?",
  "report.field.who": "Wie waren erbij betrokken?",
  "report.field.witnesses": "Waren er getuigen?",
  "report.field.impact": "Wat doet het met je?",
  "report.field.urgent": "Is er iets dringends dat de vertrouwenspersoon moet weten?",
  "report.field.wishes": "Wat zou je willen?",
  "report.hint.what": "In je eigen woorden, zo kort of lang als je wilt.",
  "report.hint.when": "Bijvoorbeeld: vorige week, sinds maart, elke vrijdag.",
  "report.hint.where": "Bijvoorbeeld: op kantoor, online, tijdens een uitje.",
  "report.hint.who": "Namen of functies; mag je leeg laten.",
  "report.hint.witnesses": "Mag je leeg laten.",
  "report.hint.impact": "Bijvoorbeeld op je werk, je gezondheid of je gevoel van veiligheid.",
  "report.hint.urgent": "Bijvoorbeeld als je je niet veilig voelt op je werk.",
  "report.hint.wishes": "Je kunt dit later altijd nog veranderen.",
  "wish.heard": "Alleen mijn verhaal kwijt",
  "wish.advice": "Advies over mijn mogelijkheden",
  "wish.informal": "Een informele oplossing",
  "wish.mediation": "Bemiddeling",
  "wish.complaint": "Een formele klacht indienen",
  "wish.not_sure": "Weet ik nog niet",
  "review.summary": review,
  "review.empty": "• (geen toelichting ingevuld)",
  "sending.wait": "Ik versleutel je bericht en verstuur het…",
  "done.receipt":
    "✅ *Verstuurd naar {counsellor}.*\n" +
    "Zaakcode: *{caseCode}*\nDatum: {date}\nControlegetal (SHA-256 van het versleutelde bericht): `{sha256}`\n" +
    "Bewaar de zaakcode als je later naar deze melding wilt verwijzen. Je concept is gewist.",
  "done.next": (p) =>
    `*Wat gebeurt er nu?* De vertrouwenspersoon leest je bericht en neemt — als je een manier van contact gaf — contact met je op. Daarna beslis jij wat er gebeurt. Wil je zelf contact opnemen, noem dan je zaakcode.${p.reachVia ? `\n${p.counsellor} is ook direct bereikbaar: ${p.reachVia}` : ""}`,
  "stopped.wiped": "Alles wat je had ingevuld is gewist. Je kunt altijd opnieuw beginnen.",
  "form.submit": "Klaar",
  "form.cancel": "Annuleren",
  "console.choose": "Kies een nummer",
  "console.invalidChoice": "Dat nummer ken ik niet. Typ een van de nummers hierboven, of 'help'.",
  "console.fieldPrompt": "{label}",
  "console.multilineHint":
    "(meerdere regels; sluit af met een lege regel of een regel met alleen een punt; Enter meteen = overslaan)",
  "console.skipHint": "(Enter = overslaan)",
  "console.openHint": "Openen met: {command}",
  "console.bye": "Tot ziens. Er is niets bewaard behalve het versleutelde bericht.",
  "choice.continue": "Verder",
  "choice.lang_nl": "Nederlands",
  "choice.lang_en": "English",
  "choice.danger": "Ik ben nu in gevaar",
  "choice.stop": "Stop en wis alles",
  "choice.ack": "Begrepen, verder",
  "choice.more": "Vertel me meer",
  "choice.info": "Informatie over de vertrouwenspersoon",
  "choice.urgent": "Ik heb dringend hulp nodig",
  "choice.contact": "Ik wil dat een vertrouwenspersoon contact opneemt",
  "choice.report": "Ik wil een eerste melding doen",
  "choice.back": "Terug",
  "choice.skip": "Overslaan",
  "choice.send": "Versturen",
  "choice.edit_report": "Melding aanpassen",
  "choice.edit_contact": "Contact aanpassen",
  "choice.edit_counsellor": "Andere vertrouwenspersoon",
  "choice.discard": "Weggooien",
  "choice.restart": "Opnieuw beginnen",
  "choice.anonymous": "Anoniem",
  "choice.named": "Met naam",
  "choice.typed": "Zelf invullen",
  "choice.via_chat": "Via deze chat",
  "choice.no_preference": "Geen voorkeur",
  "notice.danger": () =>
    `*Ben je nu in gevaar? Bel 112.*\n${referralList(referralNames, true)}\n_Nummers gecontroleerd op ${REFERRALS_CHECKED}._ Je gesprek hier blijft staan waar je was.`,
  "notice.help":
    "Je kiest steeds met de knoppen. Typen kan ook: *stop* of *wis* gooit alles weg, *help* of *hulp* toont dit, *nood* toont hulpnummers. " +
    "Verhalen typ je nooit in de chat, alleen in het formulier.",
  "notice.useButtons":
    "Ik lees getypte berichten niet als melding — die bewaart het chatplatform. Gebruik de knoppen; je verhaal vul je in het formulier in. Typ *help* voor uitleg.",
  "notice.resumed": "We gaan verder waar je was.",
  "notice.staleChoice": "Die keuze hoort bij een eerdere stap. Hier is waar we nu zijn.",
  "notice.formErrors": "Niet alles kon worden opgeslagen. Wat je invulde is niet verloren.",
  "notice.fieldTooLong": (p, t) =>
    `'${fieldLabel(String(p.field), t)}' is te lang (maximaal ${p.max} tekens). Je tekst is niet opgeslagen; kort hem in en probeer het opnieuw.`,
  "notice.fieldRequired": (p, t) => `'${fieldLabel(String(p.field), t)}' is nodig om verder te gaan.`,
  "notice.fieldInvalid": (p, t) => `Kies bij '${fieldLabel(String(p.field), t)}' een van de opties.`,
  "notice.timedOut":
    "Je was een tijd niet actief, dus ik heb je concept voor de veiligheid gewist. We beginnen opnieuw.",
  "notice.unavailable":
    "Ik kan je bericht nu even niet verwerken (tijdelijke storing). Er is niets verloren gegaan; probeer het over een minuut opnieuw. Bij gevaar: bel 112.",
  "notice.handoffKeyProblem":
    "Versturen lukt nu niet: de beveiligingssleutel van deze vertrouwenspersoon is niet in orde. De beheerder is gewaarschuwd. " +
    "Je melding is niet verloren: kies een andere vertrouwenspersoon of probeer het later opnieuw.",
  "notice.handoffDeliveryFailed":
    "Versturen is na meerdere pogingen niet gelukt. Er is niets leesbaars bewaard en je melding staat hieronder nog klaar: probeer het later opnieuw of kies een andere vertrouwenspersoon.",
  "notice.handoffInternalError":
    "Er ging iets mis bij het versturen. Je melding staat hieronder nog klaar; probeer het opnieuw.",
  "notice.busySending": "Even geduld: ik ben je bericht aan het versturen.",
  "notice.removedSensitive":
    "Ik heb het overzicht met je melding uit deze chat verwijderd. Het chatplatform kan volgens de bewaarinstellingen van je organisatie nog wel een kopie hebben van wat er getoond werd.",
  "topic.aggression": "Agressie of geweld",
  "topic.sexual_harassment": "Seksuele intimidatie of ongewenste intimiteiten",
  "topic.intimidation": "Intimidatie",
  "topic.bullying": "Pesten",
  "topic.discrimination": "Discriminatie of racisme",
  "topic.integrity": "Fraude, diefstal of machtsmisbruik",
  "topic.wrongdoing": "Een misstand (maatschappelijk belang)",
  "topic.other_conduct": "Ander ongewenst gedrag",
  "topic.performance": "Beoordeling of functioneren",
  "topic.reorganisation": "Reorganisatie",
  "topic.labour_dispute": "Arbeidsconflict",
  "topic.private_matter": "Privézaak",
  "topic.prefer_not_say": "Zeg ik liever niet",
  "topic.not_sure": "Weet ik niet zeker",
};
