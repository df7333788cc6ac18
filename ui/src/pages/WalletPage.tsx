import { Alert, Button, Card, SimpleGrid, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconPlus, IconRefresh } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { notifications } from "@mantine/notifications";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { dateTime, money } from "../format";

/** Finance → My Wallet: each supplier account's balance, as the supplier reports it. */
export function WalletPage() {
  const { t } = useTranslation();
  const live = useQuery({ queryKey: ["wallet", "live"], queryFn: () => api.wallet(true) });
  const cached = useQuery({ queryKey: ["wallet", "cached"], queryFn: () => api.wallet(false), enabled: live.isError });
  const shown = live.isError ? cached : live;
  const client = useQueryClient();
  const status = useQuery({ queryKey: ["status"], queryFn: api.appStatus });
  const recharge = useMutation({
    mutationFn: (name: string) => api.sandboxRecharge(name, 100_000),
    onSuccess: () => notifications.show({ color: "green", title: t("wallet.title"), message: t("wallet.recharged") }),
    onError: (e: Error) => notifications.show({ color: "red", title: t("wallet.notRefreshed"), message: e.message }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ["wallet"] });
      void client.invalidateQueries({ queryKey: ["auto"] });
    },
  });
  return (
    <>
      <PageHeader
        title={t("wallet.title")}
        description={t("wallet.description")}
        right={
          <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => live.refetch()} loading={live.isFetching}>
            {t("common.refresh")}
          </Button>
        }
      />
      {live.isError && (
        <Alert color="yellow" icon={<IconAlertTriangle />} mb="md" title={t("wallet.notRefreshed")}>
          {t("wallet.showingLast", { error: live.error.message })}
        </Alert>
      )}
      <QueryState query={shown}>
        {(suppliers) =>
          suppliers.length === 0 ? (
            <Text c="dimmed">{t("wallet.noSupplier")}</Text>
          ) : (
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              {suppliers.map((s) => (
                <Card key={s.id} withBorder padding="lg" data-testid="wallet-card">
                  <Stack gap={4}>
                    <Text fw={600}>{s.name}</Text>
                    <Text size="xl" fw={700} data-testid="wallet-balance">
                      {s.balance_minor == null ? "—" : money(s.balance_minor, "USD")}
                    </Text>
                    <Text size="sm" c="dimmed">
                      {s.balance_checked_at ? t("wallet.checked", { when: dateTime(s.balance_checked_at) }) : t("wallet.notChecked")}
                    </Text>
                    <Text size="sm" mt="xs">
                      {t("wallet.charged", { count: s.charged_sub_orders, amount: money(-s.ledger_total_minor, "USD") })}
                    </Text>
                    {status.data?.sandbox && s.is_sandbox && (
                      <Button mt="xs" variant="light" size="xs" w="fit-content" leftSection={<IconPlus size={14} />} onClick={() => recharge.mutate(s.name)} loading={recharge.isPending && recharge.variables === s.name} data-testid="wallet-recharge">
                        {t("wallet.rechargeDemo")}
                      </Button>
                    )}
                  </Stack>
                </Card>
              ))}
            </SimpleGrid>
          )
        }
      </QueryState>
    </>
  );
}
