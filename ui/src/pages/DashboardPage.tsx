import { Card, SimpleGrid, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import { STATUS_TABS } from "../status";
import { number } from "../format";

/** Dashboard: how many orders wait in each status. */
export function DashboardPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const counts = useQuery({ queryKey: ["orders", "counts"], queryFn: api.orderCounts });
  return (
    <>
      <PageHeader title={t("dashboard.title")} description={t("dashboard.description")} />
      <QueryState query={counts}>
        {(rows) => (
          <SimpleGrid cols={{ base: 2, md: 3 }}>
            {STATUS_TABS.map((tab) => (
              <Card key={tab.status} withBorder padding="lg" onClick={() => navigate("/orders")} style={{ cursor: "pointer" }}>
                <Text size="sm" c="dimmed">{t(`status.${tab.status}`)}</Text>
                <Text size="xl" fw={700} c={`${tab.color}.7`}>
                  {number(rows.find((r) => r.status === tab.status)?.count ?? 0)}
                </Text>
              </Card>
            ))}
          </SimpleGrid>
        )}
      </QueryState>
    </>
  );
}
