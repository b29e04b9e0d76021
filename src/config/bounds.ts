/**
 * The bounds on what the config may show a melder, and why they are what they are.
 *
 * Every text in the config ends up in a Slack message, modal or Home tab and in a Teams card or
 * dialog. The platforms refuse payloads beyond their limits — and a refused payload leaves the
 * melder stuck, often on the step that shows the danger route. So the schema bounds the config
 * such that the largest payload any state can produce stays within every limit, and the
 * conformance suite (test/platform) renders every state at exactly these bounds to prove it.
 * Raise a bound only together with a green run of that suite.
 *
 * The largest payloads at these bounds (measured by test/platform, which prints them):
 *
 * - Teams counts a payload as UTF-16, two bytes per character, and refuses a bot message over
 *   100 KB (Microsoft advises staying under 80 KB, which the suite enforces); 28 KB, the older
 *   card limit, is kept as a warning. The heaviest chat card is the "counsellors" information
 *   screen: every counsellor card plus every organisation contact, under the danger notice. A
 *   counsellor costs ~2.2 KB there with a 350-character introduction (the text twice over for
 *   UTF-16, plus a TextBlock of ~60 characters per line), a contact ~1.1 KB, the rest ~7 KB.
 *   8 counsellors and 6 contacts: 27.3 KB with ordinary writing at every bound — under the
 *   28 KB warning, which the suite asserts — 29.0 KB with markup characters mixed in, and
 *   42.4 KB when every character of every text must be escaped (a backslash becomes four
 *   characters of JSON): always far from 80 KB. The counsellor step of the form (a dialog):
 *   24.7 / 26.0 / 36.2 KB.
 * - Slack: the same screen is one message of 19 blocks (limit 50), the urgent-help screen (every
 *   contact, every counsellor's direct route) 20; the counsellor step a modal
 *   of 13 blocks (limit 100); the App Home 13 blocks (limit 100). A card that escaping pushes
 *   past 3,000 characters (`&` becomes `&amp;`) becomes two sections; still far from a limit.
 * - Slack option text ≤ 75 characters: a counsellor's name is an option in the choice of
 *   counsellor (radio buttons up to 10, a select beyond), so names are at most 60 characters and
 *   never clipped. Option values (`counsellor:<id>`) stay ≤ 51 of 75.
 * - Why these numbers and not others: 8 counsellors is more than Dutch organisations appoint
 *   (one or two, a few in a large organisation, plus an external one); 6 contacts is one of each
 *   kind (CONTACT_KINDS); 350 characters is three or four sentences, the "short introduction"
 *   the design asks for. More of one means less of another: raise a bound only with a green
 *   run of test/platform.
 * - Line breaks: each line of a text becomes a Teams TextBlock (~60 characters of structure), so
 *   introductions have at most 4 lines and every other text is one line.
 * - Control characters (other than a line break in an introduction) are refused: JSON encodes
 *   each as six characters, and no platform shows them. Phone numbers and web addresses are
 *   kept free of markup characters (they are shown as they are).
 */

export const BOUNDS = {
  /** Counsellors in the config: every one is a card on the counsellor step. */
  counsellors: 8,
  /** A counsellor's or deputy's name: a Slack option text (≤ 75). */
  name: 60,
  /** A counsellor's introduction, per language. */
  introduction: 350,
  /** Lines of an introduction (each is a Teams TextBlock). */
  introductionLines: 4,
  /** How to reach a counsellor directly, per language (one line on the receipt). */
  reachVia: 150,
  /** The organisation's name (in the welcome). */
  organisationName: 80,
  /** The organisation's own contacts (information and urgent help). */
  contacts: 6,
  /** A contact's name, per language. */
  contactName: 80,
  /** A contact's note (opening hours…), per language. */
  contactNote: 150,
  /** A contact's phone number. */
  contactPhone: 40,
  /** A contact's web address. */
  contactUrl: 200,
  /**
   * The secure web page's address (web.publicUrl): the url of a link button on the "what do you
   * need?" step (Slack allows 3,000 characters, Teams' Action.OpenUrl counts in the card's size).
   */
  webPublicUrl: 300,
} as const;

export type BoundName = keyof typeof BOUNDS;

/**
 * Line breaks are normalised to "\n"; any other control character is refused, and so are the
 * invisible direction overrides that can make a name read as another.
 */
export const CONTROL_CHARACTERS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
export const LINE_BREAK = /\r\n?/g;
