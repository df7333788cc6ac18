import { Alert, Button } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle } from "@tabler/icons-react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useInRouterContext, useNavigate } from "react-router";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ErrorDetail } from "./bindings/ErrorDetail";
import type { HoldKind } from "./bindings/HoldKind";
import { CommandError } from "./api";
import { holdText } from "./holds";
import i18n from "./i18n";

/** What the merchant can do about an error, and where that is. */
type ErrorAction = { label: string; path: string };

/**
 * How each error code is shown, read from the error's stable `code` (never from its words): its
 * colour, a headline in the merchant's language, and the action to offer. The core's message
 * follows as the detail (it names the store, order or file).
 */
export const ERROR_KINDS: Record<ErrorCode, { color: string; title: string; action?: ErrorAction }> = {
  not_found: { color: "gray", title: "errors.not_found" },
  invalid_input: { color: "orange", title: "errors.invalid_input" },
  auth: { color: "red", title: "errors.auth", action: { label: "errors.reconnect", path: "/store/integrations" } },
  network: { color: "orange", title: "errors.network" },
  remote: { color: "red", title: "errors.remote" },
  held: { color: "yellow", title: "errors.held" },
  database: { color: "red", title: "errors.database" },
  keychain: { color: "red", title: "errors.keychain", action: { label: "errors.openSettings", path: "/settings" } },
  file: { color: "red", title: "errors.file" },
};

/**
 * The core's statement of what went wrong, in the merchant's language: worded from its key and
 * values (`hold.<kind>` through {@link holdText}, `connector.*` and the rest under `errorDetail.`,
 * `skipped.*`), or the core's English `fallback` for a key this catalogue does not have.
 */
export function detailText(t: TFunction, detail: ErrorDetail | null | undefined, fallback: string): string {
  if (!detail) return fallback;
  if (detail.key.startsWith("hold.")) {
    return holdText(t, detail.key.slice("hold.".length) as HoldKind, detail.params as Record<string, string>, fallback) ?? fallback;
  }
  const key = detail.key.startsWith("skipped.") ? detail.key : `errorDetail.${detail.key}`;
  if (!i18n.exists(key)) return fallback;
  const params: Record<string, string> = { ...(detail.params as Record<string, string>) };
  if (params.status && i18n.exists(`status.${params.status}`)) params.status = t(`status.${params.status}` as never);
  return t(key as never, params);
}

/** An error as shown: colour, headline (translated), the detail worded, and an action if any. */
export function describeError(t: TFunction, e: unknown, fallbackTitle?: string) {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof CommandError) {
    const kind = ERROR_KINDS[e.body.code];
    return {
      color: kind.color,
      title: t(kind.title),
      message: detailText(t, e.body.detail, message),
      action: kind.action && { label: t(kind.action.label), path: kind.action.path },
    };
  }
  return { color: "red", title: fallbackTitle ?? t("common.loadError"), message, action: undefined };
}

/** A failed action as a notification: `context` (what was being done) heads it when given. */
export function notifyError(t: TFunction, e: unknown, context?: string) {
  const d = describeError(t, e, context);
  notifications.show({ color: d.color, title: context ? `${context} · ${d.title}` : d.title, message: d.message });
}

/** A failed query or action in place, with the action its code offers (e.g. Reconnect). */
export function ErrorAlert({ error, title, testId }: { error: unknown; title?: string; testId?: string }) {
  const { t } = useTranslation();
  const inRouter = useInRouterContext();
  const d = describeError(t, error, title);
  return (
    <Alert color={d.color} icon={<IconAlertTriangle />} title={title ? `${title} · ${d.title}` : d.title} data-testid={testId}>
      {d.message}
      {d.action && inRouter && <ActionButton action={d.action} color={d.color} />}
    </Alert>
  );
}

function ActionButton({ action, color }: { action: ErrorAction; color: string }) {
  const navigate = useNavigate();
  return (
    <Button size="xs" variant="light" color={color} mt="xs" display="block" onClick={() => navigate(action.path)}>
      {action.label}
    </Button>
  );
}
