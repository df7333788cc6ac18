import type { TFunction } from "i18next";
import type { Address } from "./bindings/Address";

/**
 * One finding of the core's address check (`AddressProblem`, or an `address_invalid` hold's
 * params), in the merchant's language: the field and the rule it breaks, with the value and the
 * data's example.
 */
export function addressProblemText(t: TFunction, p: { field?: string; rule?: string; value?: string | null; example?: string | null }): string {
  const field = t(`address.field.${p.field}`);
  const rule = p.rule === "format" && !p.example ? "format_plain" : p.rule;
  return t(`address.rule.${rule}`, { field, value: p.value ?? "", example: p.example ?? "" });
}

/** An address on one line, as a label would read it (blank parts left out). */
export function addressLine(a: Address): string {
  return [a.name, a.address1, a.address2, [a.zip, a.city].filter(Boolean).join(" "), a.province, a.country_code].filter(Boolean).join(", ");
}
