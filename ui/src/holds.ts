import type { TFunction } from "i18next";
import type { HoldKind } from "./bindings/HoldKind";
import { addressProblemText } from "./address";
import { money } from "./format";

/**
 * Why an order is held, in the merchant's language: worded here from the hold's kind and the
 * values the core recorded with it (`hold_params`). A hold recorded before those values existed
 * shows the core's English sentence until the order is looked at again.
 */
export function holdText(t: TFunction, kind: HoldKind | null, params: Record<string, string> | null, reason: string | null): string | null {
  if (!kind) return reason;
  if (!params) return reason ?? t(`hold.${kind}`);
  if (kind === "address_invalid" && params.field) {
    return t("holdReason.address_invalid", { supplier: params.supplier, problem: addressProblemText(t, params) });
  }
  if (kind === "cost_changed" && params.old != null && params.new != null) {
    return t("holdReason.cost_changed", { ...params, old: money(Number(params.old), "USD"), new: money(Number(params.new), "USD") });
  }
  const key = kind === "unmapped_sku" && params.sku == null ? "unmapped_sku_none" : kind;
  return t(`holdReason.${key}`, params);
}
