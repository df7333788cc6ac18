import { AppShell, Badge, Center, Group, Loader, NavLink, Stack, Text, Title, Alert } from "@mantine/core";
import { IconBolt, IconBuildingStore, IconLayoutDashboard, IconReceipt, IconSettings, IconWallet, IconAlertTriangle } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { Navigate, Route, Routes, useLocation, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { api } from "./api";
import { DashboardPage } from "./pages/DashboardPage";
import { OrdersPage } from "./pages/OrdersPage";
import { WalletPage } from "./pages/WalletPage";
import { AutoFulfillmentPage } from "./pages/AutoFulfillmentPage";
import { IntegrationsPage } from "./pages/IntegrationsPage";
import { SettingsPage } from "./pages/SettingsPage";

type NavItem = { label: string; path?: string; icon: React.ReactNode; testId: string; children?: { label: string; path: string; testId: string }[] };

const NAV: NavItem[] = [
  { label: "nav.dashboard", path: "/dashboard", icon: <IconLayoutDashboard size={18} />, testId: "nav-dashboard" },
  { label: "nav.order", path: "/orders", icon: <IconReceipt size={18} />, testId: "nav-orders" },
  { label: "nav.finance", icon: <IconWallet size={18} />, testId: "nav-finance", children: [{ label: "nav.wallet", path: "/finance/wallet", testId: "nav-wallet" }] },
  { label: "nav.autoFulfillment", path: "/auto-fulfillment", icon: <IconBolt size={18} />, testId: "nav-auto-fulfillment" },
  { label: "nav.store", icon: <IconBuildingStore size={18} />, testId: "nav-store", children: [{ label: "nav.integrations", path: "/store/integrations", testId: "nav-integrations" }] },
  { label: "nav.settings", path: "/settings", icon: <IconSettings size={18} />, testId: "nav-settings" },
];

function Sidebar() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const active = (path: string) => location.pathname.startsWith(path);
  return (
    <Stack gap={4}>
      {NAV.map((item) =>
        item.children ? (
          <NavLink key={item.label} label={t(item.label)} leftSection={item.icon} defaultOpened childrenOffset={28} data-testid={item.testId}>
            {item.children.map((child) => (
              <NavLink key={child.path} label={t(child.label)} active={active(child.path)} onClick={() => navigate(child.path)} data-testid={child.testId} />
            ))}
          </NavLink>
        ) : (
          <NavLink key={item.label} label={t(item.label)} leftSection={item.icon} active={active(item.path!)} onClick={() => navigate(item.path!)} data-testid={item.testId} />
        ),
      )}
    </Stack>
  );
}

export function App() {
  const { t } = useTranslation();
  const status = useQuery({ queryKey: ["status"], queryFn: api.appStatus, refetchInterval: (q) => (q.state.data?.ready ? false : 500) });
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 232, breakpoint: "xs" }} padding="lg">
      <AppShell.Header px="lg">
        <Group h="100%" justify="space-between">
          <Group gap="xs">
            <Title order={3} c="blue.7">Dropdock</Title>
          </Group>
          {status.data?.sandbox && (
            <Badge color="grape" variant="light" size="lg" data-testid="sandbox-badge">
              {t("app.sandboxBadge")}
            </Badge>
          )}
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <Sidebar />
      </AppShell.Navbar>
      <AppShell.Main>
        {status.data?.error && (
          <Alert color="red" icon={<IconAlertTriangle />} title={t("app.startupError")} mb="md" data-testid="startup-error">
            {status.data.error}
          </Alert>
        )}
        {!status.data?.ready ? (
          <Center h={400}>
            <Stack align="center" gap="xs">
              <Loader />
              <Text c="dimmed">{t("app.starting")}</Text>
            </Stack>
          </Center>
        ) : (
          <Routes>
            <Route path="/" element={<Navigate to="/orders" replace />} />
            <Route path="/dashboard" element={<DashboardPage />} />
            <Route path="/orders" element={<OrdersPage />} />
            <Route path="/finance/wallet" element={<WalletPage />} />
            <Route path="/auto-fulfillment" element={<AutoFulfillmentPage />} />
            <Route path="/store/integrations" element={<IntegrationsPage />} />
            <Route path="/settings" element={<SettingsPage />} />
          </Routes>
        )}
      </AppShell.Main>
    </AppShell>
  );
}
