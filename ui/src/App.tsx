import { AppShell, Badge, Center, Group, Loader, NavLink, Stack, Text, Title, Alert, Tooltip } from "@mantine/core";
import { IconBolt, IconBuildingStore, IconPackage, IconLayoutDashboard, IconReceipt, IconSettings, IconWallet, IconAlertTriangle, IconClockPause, IconWifiOff } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { Navigate, Route, Routes, useLocation, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { api } from "./api";
import { lazy, Suspense } from "react";
import { OrdersPage } from "./pages/OrdersPage";
import { WalletPage } from "./pages/WalletPage";
import { AutoFulfillmentPage } from "./pages/AutoFulfillmentPage";
import { IntegrationsPage } from "./pages/IntegrationsPage";
import { SettingsPage } from "./pages/SettingsPage";

// The Dashboard carries the chart library: loaded when first opened, so the Order page starts light.
// Products is opened less often than the Order page: loaded when first opened too.
const ProductsPage = lazy(() => import("./pages/ProductsPage").then((m) => ({ default: m.ProductsPage })));
const DashboardPage = lazy(() => import("./pages/DashboardPage").then((m) => ({ default: m.DashboardPage })));

type NavItem = { label: string; path?: string; icon: React.ReactNode; testId: string; children?: { label: string; path: string; testId: string }[] };

const NAV: NavItem[] = [
  { label: "nav.dashboard", path: "/dashboard", icon: <IconLayoutDashboard size={18} />, testId: "nav-dashboard" },
  { label: "nav.order", path: "/orders", icon: <IconReceipt size={18} />, testId: "nav-orders" },
  { label: "nav.products", path: "/products", icon: <IconPackage size={18} />, testId: "nav-products" },
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

/**
 * The offline badge: with the stores and suppliers out of reach, everything synced stays
 * browsable and actions that need them wait in a queue; this says so, with the queue's size.
 */
function NetworkBadge() {
  const { t } = useTranslation();
  const network = useQuery({ queryKey: ["network"], queryFn: api.networkStatus, refetchInterval: 10_000 });
  if (!network.data) return null;
  const { online, queued } = network.data;
  if (online && queued === 0) return null;
  return (
    <Tooltip label={online ? t("app.queuedHint") : t("app.offlineHint")} multiline w={300} withArrow>
      <Badge
        color="orange"
        variant={online ? "outline" : "filled"}
        size="lg"
        leftSection={online ? <IconClockPause size={14} /> : <IconWifiOff size={14} />}
        data-testid="offline-badge"
        data-online={online}
        data-queued={queued}
      >
        {online ? t("app.queued", { count: queued }) : queued > 0 ? t("app.offlineQueued", { count: queued }) : t("app.offline")}
      </Badge>
    </Tooltip>
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
          <Group gap="sm">
            <NetworkBadge />
            {status.data?.sandbox && (
              <Badge color="grape" variant="light" size="lg" data-testid="sandbox-badge">
                {t("app.sandboxBadge")}
              </Badge>
            )}
          </Group>
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
            <Route
              path="/dashboard"
              element={
                <Suspense fallback={<Center h={400}><Loader /></Center>}>
                  <DashboardPage />
                </Suspense>
              }
            />
            <Route path="/orders" element={<OrdersPage />} />
            <Route
              path="/products"
              element={
                <Suspense fallback={<Center h={400}><Loader /></Center>}>
                  <ProductsPage />
                </Suspense>
              }
            />
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
