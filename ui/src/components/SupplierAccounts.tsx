// Store → Integrations → Suppliers: the supplier accounts (CJdropshipping, Printful), Connect a
// supplier, and each account's Test connection / Edit (name, rate limit, new key) / Disconnect.
import { useEffect, useState } from "react";
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Menu,
  Modal,
  NumberInput,
  PasswordInput,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { modals } from "@mantine/modals";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconDots, IconPencil, IconPlugConnected, IconUnlink } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import type { SupplierView } from "../bindings/SupplierView";
import { notifyError } from "../errors";

type Platform = "cj" | "printful";

/** The platforms' documented API roots, offered as the default address. */
const API_ROOTS: Record<Platform, string> = {
  cj: "https://developers.cjdropshipping.com/api2.0/v1",
  printful: "https://api.printful.com",
};

const SUPPLIER_PLATFORM_NAMES: Record<string, string> = { cj: "CJdropshipping", printful: "Printful" };

/** Every query showing supplier accounts (the wallet's lists them too). */
function useRefreshSuppliers() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ["suppliers"] });
    void client.invalidateQueries({ queryKey: ["wallet"] });
  };
}

/**
 * Connect a supplier: the platform, a name, the API root, and its key (CJ's API key; a Printful
 * private token, with the store id when the token spans several stores). The key is checked
 * with one authenticated read before anything is kept; a refusal says why and keeps nothing.
 */
export function ConnectSupplierModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshSuppliers();
  const demo = useQuery({ queryKey: ["demo-supplier"], queryFn: api.demoSupplierAccount, enabled: opened, staleTime: Infinity });
  const [platform, setPlatform] = useState<Platform>("printful");
  const [name, setName] = useState("");
  const [url, setUrl] = useState(API_ROOTS.printful);
  const [key, setKey] = useState("");
  const [storeId, setStoreId] = useState("");
  useEffect(() => {
    if (!opened) return;
    setPlatform("printful");
    setName("");
    setUrl(API_ROOTS.printful);
    setKey("");
    setStoreId("");
  }, [opened]);
  const choose = (p: Platform) => {
    setPlatform(p);
    setUrl(API_ROOTS[p]);
  };
  const connect = useMutation({
    mutationFn: () => api.connectSupplier(platform, name, url, key, platform === "printful" && storeId.trim() ? storeId.trim() : null),
    onSuccess: (s) => {
      notifications.show({ color: "green", title: s.name, message: t("suppliers.connected") });
      refresh();
      onClose();
    },
  });
  const fillDemo = () => {
    if (!demo.data) return;
    choose("printful");
    setUrl(demo.data.base_url);
    setKey(demo.data.token);
    if (!name.trim()) setName(t("suppliers.demoName"));
  };
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{t("suppliers.connectTitle")}</Text>} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          connect.mutate();
        }}
      >
        <Stack gap="sm">
          <SegmentedControl
            value={platform}
            onChange={(v) => choose(v as Platform)}
            data={[
              { value: "printful", label: "Printful" },
              { value: "cj", label: "CJdropshipping" },
            ]}
            data-testid="supplier-platform"
          />
          <Text size="xs" c="dimmed">{platform === "cj" ? t("suppliers.cjHint") : t("suppliers.printfulHint")}</Text>
          {demo.data && (
            <Anchor component="button" type="button" size="sm" onClick={fillDemo} data-testid="supplier-fill-demo">
              {t("suppliers.fillDemo")}
            </Anchor>
          )}
          <TextInput label={t("suppliers.name")} required value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={80} data-testid="supplier-name" />
          <TextInput label={t("suppliers.apiRoot")} required value={url} onChange={(e) => setUrl(e.currentTarget.value)} data-testid="supplier-url" />
          <PasswordInput
            label={platform === "cj" ? t("suppliers.apiKey") : t("suppliers.token")}
            required
            value={key}
            onChange={(e) => setKey(e.currentTarget.value)}
            data-testid="supplier-key"
          />
          {platform === "printful" && (
            <TextInput
              label={t("suppliers.storeId")}
              description={t("suppliers.storeIdHint")}
              value={storeId}
              onChange={(e) => setStoreId(e.currentTarget.value)}
              inputMode="numeric"
              data-testid="supplier-store-id"
            />
          )}
          {connect.isError && (
            <Alert color="red" icon={<IconAlertTriangle />} title={t("suppliers.notConnected")} data-testid="supplier-connect-error">
              <Text size="sm" style={{ overflowWrap: "anywhere" }}>{connect.error.message}</Text>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t("auto.cancel")}</Button>
            <Button type="submit" loading={connect.isPending} data-testid="supplier-connect">{t("suppliers.connect")}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Edit: the name, the API rate limit, and a new key (checked before it replaces the old one). */
function EditSupplierModal({ supplier, onClose }: { supplier: SupplierView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshSuppliers();
  const [name, setName] = useState("");
  const [rate, setRate] = useState<number | string>(1);
  const [key, setKey] = useState("");
  useEffect(() => {
    if (!supplier) return;
    setName(supplier.name);
    setRate(supplier.requests_per_second);
    setKey("");
  }, [supplier]);
  const save = useMutation({
    mutationFn: async () => {
      if (!supplier) return;
      if (key.trim()) await api.updateSupplierKeys(supplier.id, key, null);
      if (Number(rate) !== supplier.requests_per_second) await api.setSupplierRateLimit(supplier.id, Number(rate));
      if (name.trim() !== supplier.name) await api.renameSupplier(supplier.id, name);
    },
    onSuccess: () => {
      notifications.show({ color: "green", title: name, message: t("integrations.saved") });
      onClose();
    },
    onSettled: refresh,
  });
  return (
    <Modal opened={supplier != null} onClose={onClose} title={<Text fw={600}>{t("integrations.editTitle", { name: supplier?.name ?? "" })}</Text>}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="sm">
          <TextInput label={t("suppliers.name")} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={80} data-testid="supplier-edit-name" />
          <NumberInput
            label={t("suppliers.rateLimit")}
            description={supplier?.kind === "printful" ? t("suppliers.rateLimitPrintful") : t("suppliers.rateLimitCj")}
            min={1}
            max={1000}
            allowDecimal={false}
            value={rate}
            onChange={setRate}
            data-testid="supplier-edit-rate"
          />
          {!supplier?.is_sandbox && (
            <>
              <Text size="xs" c="dimmed">{t("integrations.newKeysHint")}</Text>
              <PasswordInput
                label={supplier?.kind === "cj" ? t("suppliers.apiKey") : t("suppliers.token")}
                value={key}
                onChange={(e) => setKey(e.currentTarget.value)}
                data-testid="supplier-edit-key"
              />
            </>
          )}
          {save.isError && (
            <Alert color="red" icon={<IconAlertTriangle />} title={t("integrations.notSaved")} data-testid="supplier-edit-error">
              <Text size="sm" style={{ overflowWrap: "anywhere" }}>{save.error.message}</Text>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t("auto.cancel")}</Button>
            <Button type="submit" loading={save.isPending} data-testid="supplier-edit-save">{t("auto.save")}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** One account: platform, address, rate limit, what it is charged from, and its actions. */
function SupplierRow({ supplier, onEdit }: { supplier: SupplierView; onEdit: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshSuppliers();
  const [tested, setTested] = useState<{ ok: boolean; message: string } | null>(null);
  const test = useMutation({
    mutationFn: () => api.testSupplierConnection(supplier.id),
    onSuccess: () => setTested({ ok: true, message: t("suppliers.testOk") }),
    onError: (e: Error) => setTested({ ok: false, message: e.message }),
  });
  const disconnect = useMutation({
    mutationFn: () => api.disconnectSupplier(supplier.id),
    onError: (e: Error) => notifyError(t, e, supplier.name),
    onSettled: refresh,
  });
  const askDisconnect = () =>
    modals.openConfirmModal({
      title: t("integrations.disconnectTitle", { name: supplier.name }),
      children: <Text size="sm">{t("suppliers.disconnectBody")}</Text>,
      labels: { confirm: t("integrations.disconnect"), cancel: t("auto.cancel") },
      confirmProps: { color: "red", "data-testid": "supplier-disconnect-confirm" } as Record<string, string>,
      onConfirm: () => disconnect.mutate(),
    });
  return (
    <Table.Tr data-testid="supplier-row" data-name={supplier.name} data-kind={supplier.kind} data-disconnected={supplier.disconnected}>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" fw={500} truncate maw={260} title={supplier.name}>{supplier.name}</Text>
          {supplier.is_sandbox && <Badge size="sm" color="grape" variant="light">{t("integrations.sandbox")}</Badge>}
          {supplier.disconnected && <Badge size="sm" color="red" variant="light" data-testid="supplier-disconnected">{t("integrations.disconnected")}</Badge>}
        </Group>
        <Text size="xs" c="dimmed" truncate maw={360} title={supplier.base_url}>{supplier.base_url}</Text>
        {tested && (
          <Text size="xs" c={tested.ok ? "green.7" : "red"} data-testid="supplier-test-result" data-ok={tested.ok} style={{ overflowWrap: "anywhere" }}>
            {tested.message}
          </Text>
        )}
      </Table.Td>
      <Table.Td>{SUPPLIER_PLATFORM_NAMES[supplier.kind] ?? supplier.kind}</Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {supplier.has_balance ? t("suppliers.paidFromWallet") : t("suppliers.chargedToBilling")}
        </Text>
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm" c="dimmed" data-testid="supplier-rate">{t("integrations.rateLimit", { count: supplier.requests_per_second })}</Text>
      </Table.Td>
      <Table.Td w={60}>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Tooltip label={t("integrations.actions")}>
              <ActionIcon variant="subtle" color="gray" loading={test.isPending || disconnect.isPending} aria-label={t("integrations.actions")} data-testid="supplier-menu">
                <IconDots size={18} />
              </ActionIcon>
            </Tooltip>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item leftSection={<IconPlugConnected size={16} />} onClick={() => test.mutate()} disabled={supplier.disconnected} data-testid="supplier-test">
              {t("integrations.test")}
            </Menu.Item>
            {!supplier.disconnected && (
              <Menu.Item leftSection={<IconPencil size={16} />} onClick={onEdit} data-testid="supplier-edit">
                {t("integrations.edit")}
              </Menu.Item>
            )}
            {!supplier.is_sandbox && !supplier.disconnected && (
              <>
                <Menu.Divider />
                <Menu.Item color="red" leftSection={<IconUnlink size={16} />} onClick={askDisconnect} data-testid="supplier-disconnect">
                  {t("integrations.disconnect")}
                </Menu.Item>
              </>
            )}
          </Menu.Dropdown>
        </Menu>
      </Table.Td>
    </Table.Tr>
  );
}

/** The accounts' table (empty state included) and the Edit dialog. */
export function SupplierAccounts({ rows }: { rows: SupplierView[] }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<SupplierView | null>(null);
  if (rows.length === 0) {
    return (
      <Alert m="md" color="gray" title={t("integrations.noSupplier")}>{t("suppliers.noneHint")}</Alert>
    );
  }
  return (
    <>
      <EditSupplierModal supplier={editing} onClose={() => setEditing(null)} />
      <Table verticalSpacing="sm" horizontalSpacing="md">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("suppliers.colAccount")}</Table.Th>
            <Table.Th>{t("integrations.colPlatform")}</Table.Th>
            <Table.Th>{t("suppliers.colPayment")}</Table.Th>
            <Table.Th ta="right">{t("suppliers.colRate")}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((s) => (
            <SupplierRow key={s.id} supplier={s} onEdit={() => setEditing(s)} />
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
