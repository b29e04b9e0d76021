/**
 * Days, not moments. Everything the product states about time — a handoff's date, a signature's
 * creation time, a mail's Date header, a webhook's signed timestamp — is the day in the
 * Netherlands' calendar, because an exact time could tie an anonymous melder to their click.
 */
export const TIME_ZONE = "Europe/Amsterdam";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const dayFormat = new Intl.DateTimeFormat("en-CA", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});
const timeFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** The day (YYYY-MM-DD) an instant falls on in the Netherlands. */
export const dayOf = (d: Date): string => dayFormat.format(d);

/**
 * The instant a Dutch day begins: 00:00 Europe/Amsterdam, which is 23:00 or 22:00 UTC the day
 * before. Never later than any moment of that day, so a signature dated with it is never "from
 * the future" for a verifier.
 */
export function dayStart(day: string): Date {
  const m = DAY.exec(day);
  if (!m) throw new RangeError("day must be YYYY-MM-DD");
  const utcMidnight = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Amsterdam is UTC+1 in winter and UTC+2 in summer; midnight is one of these two instants.
  for (const hours of [1, 2]) {
    const candidate = new Date(utcMidnight - hours * 3_600_000);
    if (dayOf(candidate) === day && timeFormat.format(candidate) === "00:00") return candidate;
  }
  throw new RangeError(`no midnight found for ${day} in ${TIME_ZONE}`);
}
