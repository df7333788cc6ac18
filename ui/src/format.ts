// Money, dates and numbers formatted per the UI language with Intl; the core sends minor units
// and UTC.
import i18n from "./i18n";

const locale = () => i18n.language;

export function money(minor: number, currency: string): string {
  const format = new Intl.NumberFormat(locale(), { style: "currency", currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  const value = minor / 10 ** digits;
  return format.format(value === 0 ? 0 : value); // never "-$0.00"
}

export function dateTime(utc: string): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(utc));
}

export function number(n: number): string {
  return new Intl.NumberFormat(locale()).format(n);
}

/** A country's name in the UI language, from its ISO 3166-1 alpha-2 code (the code if unknown). */
export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames([locale()], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** A `YYYY-MM-DD` calendar day, short (e.g. "Nov 22"). */
export function shortDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Intl.DateTimeFormat(locale(), { month: "short", day: "numeric" }).format(new Date(y, m - 1, d));
}
