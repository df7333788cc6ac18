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
