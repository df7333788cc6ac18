import type { OrderStatus } from "./bindings/OrderStatus";

/** The Order page's tabs, in the order a merchant works through them (labels: `status.*`). */
export const STATUS_TABS: { status: OrderStatus; color: string }[] = [
  { status: "awaiting_payment", color: "gray" },
  { status: "to_order", color: "blue" },
  { status: "processing", color: "yellow" },
  { status: "shipped", color: "cyan" },
  { status: "partially_fulfilled", color: "teal" },
  { status: "fulfilled", color: "green" },
  { status: "delivered", color: "lime" },
  { status: "failed", color: "red" },
];

export function statusColor(status: OrderStatus): string {
  return STATUS_TABS.find((t) => t.status === status)?.color ?? "gray";
}
