/**
 * Calendar dates in the Europe/Amsterdam calendar, as "YYYY-MM-DD" strings.
 *
 * Deadlines are whole days: "7 days after the handoff's date", "3 months after the
 * acknowledgement". So the arithmetic works on civil dates (year, month, day) and never on
 * instants: adding 7 × 24 hours to a local midnight lands on 23:00 or 01:00 across a DST change,
 * and a later `toISOString().slice(0, 10)` then names the wrong day. The only instant-to-date step
 * is "what day is it now in Amsterdam", which Intl answers from the time zone database (Node ships
 * full ICU). No date library: the few operations here are exact on integers, and a library would
 * add a dependency for what Date.UTC already does.
 */
import { z } from "zod";

export const TIME_ZONE = "Europe/Amsterdam";

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A valid calendar date string (rejects 2026-02-30 and friends). */
export const CivilDate = z.string().refine(isCivilDate, { message: "not a calendar date (YYYY-MM-DD)" });
export type CivilDate = string;

export function isCivilDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= 1900 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function parts(date: CivilDate): [number, number, number] {
  const m = DATE_RE.exec(date);
  if (!m || !isCivilDate(date)) throw new RangeError("not a calendar date (YYYY-MM-DD)");
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function format(y: number, m: number, d: number): CivilDate {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in month `m` (1–12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] as number;
}

/** Day number since 1970-01-01 of a civil date (proleptic Gregorian; UTC has no DST). */
function dayNumber(date: CivilDate): number {
  const [y, m, d] = parts(date);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

function fromDayNumber(n: number): CivilDate {
  const dt = new Date(n * 86_400_000);
  return format(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
}

export function addDays(date: CivilDate, days: number): CivilDate {
  return fromDayNumber(dayNumber(date) + days);
}

/**
 * The same day `months` later; when that month is shorter, its last day (31 January + 1 month =
 * 28 or 29 February). This is how "three months after" is read for a legal term: never later
 * than the calendar allows, never spilling into the month after.
 */
export function addMonths(date: CivilDate, months: number): CivilDate {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + months;
  const ty = Math.floor(index / 12);
  const tm = (index % 12) + 1;
  return format(ty, tm, Math.min(d, daysInMonth(ty, tm)));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CivilDate, to: CivilDate): number {
  return dayNumber(to) - dayNumber(from);
}

export function compareDates(a: CivilDate, b: CivilDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const dayFormatter = new Intl.DateTimeFormat("en-CA", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The calendar date in Amsterdam at this instant (CET in winter, CEST in summer). */
export function amsterdamDate(instant: Date): CivilDate {
  const p = dayFormatter.formatToParts(instant);
  const get = (type: string) => p.find((x) => x.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** 1–4. */
export function quarterOf(date: CivilDate): 1 | 2 | 3 | 4 {
  const [, m] = parts(date);
  return (Math.floor((m - 1) / 3) + 1) as 1 | 2 | 3 | 4;
}

export function yearOf(date: CivilDate): number {
  return parts(date)[0];
}

/**
 * A date the counsellor types: YYYY-MM-DD, "today", or relative to today: +10d, +2w, +3m.
 * Returns null when it is none of these.
 */
export function parseDateInput(value: string, today: CivilDate): CivilDate | null {
  const v = value.trim().toLowerCase();
  if (v === "today" || v === "vandaag") return today;
  const rel = /^\+(\d{1,3})([dwm])$/.exec(v);
  if (rel) {
    const n = Number(rel[1]);
    if (rel[2] === "d") return addDays(today, n);
    if (rel[2] === "w") return addDays(today, 7 * n);
    return addMonths(today, n);
  }
  return isCivilDate(v) ? v : null;
}
