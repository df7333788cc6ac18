// Money, dates and numbers formatted per the UI language with Intl; the core sends minor units
// and UTC. Formatters are cached per language (and currency): building an Intl formatter costs
// far more than using one, and the orders table formats every visible row on every scroll frame.
import i18n from "./i18n";

const locale = () => i18n.language;

const cache = new Map<string, unknown>();

/** One formatter per key, built on first use. */
function cached<T>(key: string, build: () => T): T {
  let formatter = cache.get(key) as T | undefined;
  if (formatter === undefined) {
    formatter = build();
    cache.set(key, formatter);
  }
  return formatter;
}

export function money(minor: number, currency: string): string {
  const format = cached(`money|${locale()}|${currency}`, () => new Intl.NumberFormat(locale(), { style: "currency", currency }));
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  const value = minor / 10 ** digits;
  return format.format(value === 0 ? 0 : value); // never "-$0.00"
}

export function dateTime(utc: string): string {
  return cached(`dateTime|${locale()}`, () => new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" })).format(new Date(utc));
}

export function number(n: number): string {
  return cached(`number|${locale()}`, () => new Intl.NumberFormat(locale())).format(n);
}

/** A country's name in the UI language, from its ISO 3166-1 alpha-2 code (the code if unknown). */
export function countryName(code: string): string {
  try {
    return cached(`region|${locale()}`, () => new Intl.DisplayNames([locale()], { type: "region" })).of(code) ?? code;
  } catch {
    return code;
  }
}

/** A `YYYY-MM-DD` calendar day, short (e.g. "Nov 22"). */
export function shortDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return cached(`shortDay|${locale()}`, () => new Intl.DateTimeFormat(locale(), { month: "short", day: "numeric" })).format(new Date(y, m - 1, d));
}
