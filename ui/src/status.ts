import type { OrderStatus } from "./bindings/OrderStatus";

/** The Order page's tabs, in the order a merchant works through them. */
export const STATUS_TABS: { status: OrderStatus; label: string; color: string }[] = [
  { status: "awaiting_payment", label: "Awaiting payment", color: "gray" },
  { status: "to_order", label: "To order", color: "blue" },
  { status: "processing", label: "Processing", color: "yellow" },
  { status: "shipped", label: "Shipped", color: "cyan" },
  { status: "fulfilled", label: "Fulfilled", color: "green" },
  { status: "failed", label: "Failed", color: "red" },
];

export function statusInfo(status: OrderStatus) {
  return STATUS_TABS.find((t) => t.status === status) ?? STATUS_TABS[1];
}
