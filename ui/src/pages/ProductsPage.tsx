import { useEffect, useState } from "react";
import { Alert, Avatar, Badge, Button, Card, Center, Drawer, Group, Loader, Modal, NumberInput, Pagination, Select, Stack, Table, Tabs, Text, TextInput, Tooltip } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconLink, IconPackage, IconRefresh, IconSearch, IconSparkles, IconUnlink } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { api } from "../api";
import { notifyError } from "../errors";
import { dateTime, money, number } from "../format";
import { PageHeader } from "../components/PageHeader";
import { QueryState } from "../components/QueryState";
import type { AutomapProposal } from "../bindings/AutomapProposal";
import type { ProductTab } from "../bindings/ProductTab";
import type { VariantRow } from "../bindings/VariantRow";

const PAGE = 100;
const STATUS_COLORS: Record<string, string> = { active: "green", draft: "gray", archived: "yellow", removed: "red" };

// Product images are not loaded: the page's CSP allows no remote origin (img-src 'self' data:),
// and a store's CDN would learn of every page view. `image_url` is kept for the CLI and the JSON;
// showing thumbnails needs the core to fetch and cache them (a placeholder stands in meanwhile).

/** "Black / M", or nothing for a product without options (Shopify's "Default Title"). */
function variantTitle(row: VariantRow): string {
  return row.variant_title === "Default Title" ? "" : row.variant_title;
}

/** The row's mapping: what ships it, by its own ids or through its SKU, or "Unmapped". */
function MappingCell({ row }: { row: VariantRow }) {
  const { t } = useTranslation();
  if (row.mapping === "none") {
    return <Badge color="orange" variant="light" style={{ flexShrink: 0 }} data-testid="mapping-badge" data-mapping="none">{t("products.unmapped")}</Badge>;
  }
  return (
    <Stack gap={0}>
      <Group gap={6} wrap="nowrap">
        <Badge color={row.mapping === "variant" ? "blue" : "cyan"} variant="light" style={{ flexShrink: 0 }} data-testid="mapping-badge" data-mapping={row.mapping}>
          {row.mapping === "variant" ? t("products.mappedVariant") : t("products.mappedSku")}
        </Badge>
        <Text size="sm" truncate maw={160}>{row.supplier_name}</Text>
        {row.backup_in_use && (
          <Badge color="orange" variant="outline" size="sm" style={{ flexShrink: 0 }} data-testid="backup-in-use">{t("products.backupInUse")}</Badge>
        )}
      </Group>
      <Text size="xs" c="dimmed" truncate maw={240}>
        {row.supplier_variant_id}
        {row.cost_minor != null && ` · ${money(row.cost_minor, "USD")}`}
      </Text>
    </Stack>
  );
}

/**
 * One store variant's mapping: what ships it now, the variants the suppliers sell under a SKU
 * (the variant's own by default), a mapping by hand (supplier, variant id, cost), and removing
 * the variant's own mapping.
 */
function MapVariantDrawer({ row, onClose }: { row: VariantRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [sku, setSku] = useState("");
  const [supplier, setSupplier] = useState<string | null>(null);
  const [vid, setVid] = useState("");
  const [cost, setCost] = useState<number | string>("");
  const [country, setCountry] = useState<string | null>(null);
  const [units, setUnits] = useState<number | string>(1);
  const [limit, setLimit] = useState<number | string>("");
  useEffect(() => {
    setSku(row?.sku ?? "");
    setSupplier(null);
    setVid("");
    setCost("");
    setCountry(null);
    setUnits(1);
    setLimit(row?.cost_limit_minor != null ? row.cost_limit_minor / 100 : "");
  }, [row?.store_id, row?.product_id, row?.variant_id, row?.sku, row?.cost_limit_minor]);
  const countries = useQuery({ queryKey: ["countries"], queryFn: api.countryCodes, staleTime: Infinity });
  const suppliers = useQuery({ queryKey: ["suppliers"], queryFn: api.listSuppliers });
  const found = useQuery({
    queryKey: ["supplier-search", sku.trim()],
    queryFn: () => api.searchSupplierVariants(sku.trim()),
    enabled: false,
    retry: false,
    meta: { remote: true },
  });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ["products"] });
    void client.invalidateQueries({ queryKey: ["orders"] });
  };
  const map = useMutation({
    mutationFn: (m: { supplierId: number; vid: string; costMinor: number; country: string | null }) =>
      api.mapStoreVariant(row!.store_id, row!.product_id, row!.variant_id, m.country, m.supplierId, m.vid, m.costMinor),
    onSuccess: () => {
      notifications.show({ color: "green", title: row!.product_title, message: t("products.mappedNotice") });
      onClose();
    },
    onError: (e: Error) => notifyError(t, e, t("products.mapFailed")),
    onSettled: refresh,
  });
  const unmap = useMutation({
    mutationFn: (country: string | null) => api.unmapStoreVariant(row!.store_id, row!.product_id, row!.variant_id, country),
    onSuccess: onClose,
    onError: (e: Error) => notifyError(t, e, t("products.mapFailed")),
    onSettled: refresh,
  });
  // A backup (the next priority) or a bundle's part (the primary's), with the units per sale.
  const addPart = useMutation({
    mutationFn: (p: { supplierId: number; vid: string; costMinor: number; backup: boolean }) => {
      const next = Math.max(1, ...row!.options.map((o) => o.priority)) + 1;
      return api.addMappingPart(row!.store_id, row!.product_id, row!.variant_id, {
        priority: p.backup ? next : 1,
        supplier_id: p.supplierId,
        variant_id: p.vid,
        quantity: Math.max(1, Math.round(Number(units) || 1)),
        cost_minor: p.costMinor,
      });
    },
    onSuccess: () => {
      notifications.show({ color: "green", title: row!.product_title, message: t("products.partAdded") });
      onClose();
    },
    onError: (e: Error) => notifyError(t, e, t("products.mapFailed")),
    onSettled: refresh,
  });
  const removePart = useMutation({
    mutationFn: (p: { priority: number; vid: string | null }) => api.removeMappingPart(row!.store_id, row!.product_id, row!.variant_id, p.priority, p.vid),
    onSuccess: onClose,
    onError: (e: Error) => notifyError(t, e, t("products.mapFailed")),
    onSettled: refresh,
  });
  const saveLimit = useMutation({
    mutationFn: () => api.setMappingCostLimit(row!.store_id, row!.product_id, row!.variant_id, limit === "" ? null : Math.round(Number(limit) * 100)),
    onSuccess: () => notifications.show({ color: "green", title: row!.product_title, message: t("products.limitSaved") }),
    onError: (e: Error) => notifyError(t, e, t("products.mapFailed")),
    onSettled: refresh,
  });
  const options = (suppliers.data ?? []).filter((s) => !s.disconnected).map((s) => ({ value: String(s.id), label: s.name }));
  const ready = supplier != null && vid.trim() !== "" && cost !== "" && Number(cost) >= 0;
  return (
    <Drawer opened={row != null} onClose={onClose} position="right" size="lg" title={t("products.mapTitle")} data-testid="map-drawer">
      {row && (
        <Stack gap="md">
          <Group wrap="nowrap" align="flex-start">
            <Avatar radius="sm" size="lg"><IconPackage /></Avatar>
            <Stack gap={2} style={{ minWidth: 0 }}>
              <Text fw={600} truncate>{row.product_title}</Text>
              {variantTitle(row) && <Text size="sm" truncate>{variantTitle(row)}</Text>}
              <Text size="xs" c="dimmed">
                {t("products.ids", { store: row.store_name, product: row.product_id, variant: row.variant_id || "—" })}
              </Text>
              <Text size="xs" c="dimmed">{t("products.skuLine", { sku: row.sku ?? "—" })}</Text>
            </Stack>
          </Group>
          <Card withBorder padding="sm">
            <Text size="sm" fw={600} mb={4} data-testid="ships-with" data-vid={row.supplier_variant_id ?? ""}>{t("products.shipsWith")}</Text>
            <Group justify="space-between" wrap="nowrap">
              <MappingCell row={row} />
              {row.mapping === "variant" && (
                <Button size="compact-sm" variant="subtle" color="red" leftSection={<IconUnlink size={14} />} loading={unmap.isPending} onClick={() => unmap.mutate(null)} data-testid="unmap-variant">
                  {t("products.unmap")}
                </Button>
              )}
            </Group>
            {row.options.length > 0 && (row.options.length > 1 || row.options[0].parts.length > 1 || row.options[0].parts[0].quantity > 1) && (
              <Stack gap={4} mt="sm" data-testid="mapping-options">
                <Text size="xs" fw={600}>{t("products.options")}</Text>
                {row.options.map((o) => (
                  <Stack key={o.priority} gap={2} data-testid="mapping-option" data-priority={o.priority}>
                    <Group gap={6} wrap="nowrap">
                      <Badge size="sm" variant={o.priority === 1 ? "light" : "outline"} style={{ flexShrink: 0 }}>
                        {o.priority === 1 ? t("products.primary") : t("products.backup", { n: o.priority - 1 })}
                      </Badge>
                      <Text size="sm" truncate>{o.supplier_name}</Text>
                    </Group>
                    {o.parts.map((p) => (
                      <Group key={p.variant_id} justify="space-between" wrap="nowrap" pl="md">
                        <Text size="xs" c="dimmed" truncate>{t("products.partLine", { vid: p.variant_id, quantity: p.quantity, cost: money(p.cost_minor, "USD") })}</Text>
                        <Button size="compact-xs" variant="subtle" color="red" loading={removePart.isPending} onClick={() => removePart.mutate({ priority: o.priority, vid: p.variant_id })} data-testid="remove-part">
                          {t("products.removePart")}
                        </Button>
                      </Group>
                    ))}
                  </Stack>
                ))}
              </Stack>
            )}
            {row.waiting_orders > 0 && (
              <Text size="xs" c="orange" mt={6}>{t("products.waitingHint", { count: row.waiting_orders })}</Text>
            )}
            {row.countries.length > 0 && (
              <Stack gap={4} mt="sm" data-testid="country-mappings">
                <Text size="xs" fw={600}>{t("products.byCountry")}</Text>
                {row.countries.map((c) => (
                  <Group key={c.country} justify="space-between" wrap="nowrap" data-testid="country-mapping" data-country={c.country}>
                    <Text size="sm" truncate>
                      <Badge size="sm" variant="outline" mr={6}>{c.country}</Badge>
                      {c.supplier_name} · {c.variant_id} · {money(c.cost_minor, "USD")}
                    </Text>
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => unmap.mutate(c.country)} data-testid="unmap-country">
                      {t("products.unmap")}
                    </Button>
                  </Group>
                ))}
              </Stack>
            )}
          </Card>
          <Select
            label={t("products.forCountry")}
            description={t("products.forCountryHint")}
            placeholder={t("products.everyCountry")}
            data={countries.data ?? []}
            value={country}
            onChange={setCountry}
            searchable
            clearable
            data-testid="map-country"
          />
          {row.mapping === "variant" && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                saveLimit.mutate();
              }}
            >
              <Group gap="xs" wrap="nowrap" align="flex-end">
                <NumberInput style={{ flex: 1 }} label={t("products.costLimit")} description={t("products.costLimitHint")} min={0} decimalScale={2} value={limit} onChange={setLimit} data-testid="cost-limit" />
                <Button type="submit" variant="default" loading={saveLimit.isPending} data-testid="save-cost-limit">{t("products.saveLimit")}</Button>
              </Group>
            </form>
          )}
          <Stack gap="xs">
            <Text size="sm" fw={600}>{t("products.searchSuppliers")}</Text>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (sku.trim()) void found.refetch();
              }}
            >
              <Group gap="xs" wrap="nowrap" align="flex-end">
                <TextInput style={{ flex: 1 }} label={t("products.supplierSku")} value={sku} onChange={(e) => setSku(e.currentTarget.value)} data-testid="supplier-search" />
                {row.options.length > 0 && country == null && (
                  <NumberInput w={120} label={t("products.unitsPerSale")} min={1} max={100} allowDecimal={false} value={units} onChange={setUnits} data-testid="units-per-sale" />
                )}
                <Button type="submit" leftSection={<IconSearch size={14} />} disabled={!sku.trim()} loading={found.isFetching} data-testid="supplier-search-go">
                  {t("products.search")}
                </Button>
              </Group>
            </form>
            {found.isError ? (
              <Alert color="red" variant="light">{found.error.message}</Alert>
            ) : found.data && found.data.length === 0 ? (
              <Text size="sm" c="dimmed">{t("detail.noVariants", { sku: sku.trim() })}</Text>
            ) : (
              found.data && (
                <Stack gap="xs" data-testid="supplier-results">
                  {found.data.map(({ supplier_id, supplier_name, found: f }) => (
                    <Card key={`${supplier_id}-${f.variant.vid}`} withBorder padding="xs" data-testid="supplier-result" data-vid={f.variant.vid}>
                      <Group justify="space-between" wrap="nowrap">
                        <Stack gap={0} style={{ minWidth: 0 }}>
                          <Text size="sm" fw={600} truncate>{f.variant.name || f.variant.variant_sku}</Text>
                          <Text size="xs" c="dimmed" truncate>{supplier_name} · {f.variant.vid} · {money(f.variant.price_minor, "USD")}</Text>
                          <Text size="xs" c={f.stock === 0 ? "red" : "dimmed"} truncate data-testid="result-stock">
                            {f.stock == null ? t("products.stockUnknown") : t("products.inStock", { count: f.stock })}
                            {f.ships_from.length > 0 && ` · ${t("products.shipsFrom", { countries: f.ships_from.join(", ") })}`}
                          </Text>
                        </Stack>
                        <Group gap={4} wrap="nowrap">
                          <Button size="compact-sm" loading={map.isPending} onClick={() => map.mutate({ supplierId: supplier_id, vid: f.variant.vid, costMinor: f.variant.price_minor, country })} data-testid="map-result">
                            {t("detail.map")}
                          </Button>
                          {row.options.length > 0 && country == null && (
                            <>
                              {!row.options.some((o) => o.supplier_id === supplier_id && o.parts.some((p) => p.variant_id === f.variant.vid)) && (
                                <Button size="compact-sm" variant="light" loading={addPart.isPending} onClick={() => addPart.mutate({ supplierId: supplier_id, vid: f.variant.vid, costMinor: f.variant.price_minor, backup: true })} data-testid="add-backup">
                                  {t("products.addBackup")}
                                </Button>
                              )}
                              <Button size="compact-sm" variant="light" loading={addPart.isPending} onClick={() => addPart.mutate({ supplierId: supplier_id, vid: f.variant.vid, costMinor: f.variant.price_minor, backup: false })} data-testid="add-to-bundle">
                                {t("products.addToBundle")}
                              </Button>
                            </>
                          )}
                        </Group>
                      </Group>
                    </Card>
                  ))}
                </Stack>
              )
            )}
          </Stack>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (ready) map.mutate({ supplierId: Number(supplier), vid: vid.trim(), costMinor: Math.round(Number(cost) * 100), country });
            }}
          >
            <Stack gap="xs">
              <Text size="sm" fw={600}>{t("products.byHand")}</Text>
              <Group grow align="flex-end">
                <Select label={t("detail.supplier")} data={options} value={supplier} onChange={setSupplier} data-testid="hand-supplier" />
                <TextInput label={t("detail.supplierVariant")} value={vid} onChange={(e) => setVid(e.currentTarget.value)} data-testid="hand-vid" />
                <NumberInput label={t("detail.costUsd")} min={0} decimalScale={2} value={cost} onChange={setCost} data-testid="hand-cost" />
              </Group>
              <Group justify="flex-end">
                <Button type="submit" leftSection={<IconLink size={14} />} disabled={!ready} loading={map.isPending} data-testid="hand-map">{t("detail.map")}</Button>
              </Group>
            </Stack>
          </form>
        </Stack>
      )}
    </Drawer>
  );
}

/** Auto-map by SKU: the proposals first; "Map all" makes them. */
function AutomapModal({ storeId, onClose }: { storeId: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const proposals = useQuery({
    queryKey: ["automap", storeId],
    queryFn: () => api.automapProducts(storeId!, false),
    enabled: storeId != null,
    retry: false,
    gcTime: 0,
    meta: { remote: true },
  });
  const accept = useMutation({
    mutationFn: () => api.automapProducts(storeId!, true),
    onSuccess: (made: AutomapProposal[]) => {
      notifications.show({ color: "green", title: t("products.automap"), message: t("products.automapDone", { count: made.length }) });
      onClose();
    },
    onError: (e: Error) => notifyError(t, e, t("products.automap")),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ["products"] });
      void client.invalidateQueries({ queryKey: ["orders"] });
    },
  });
  return (
    <Modal opened={storeId != null} onClose={onClose} title={t("products.automap")} size="xl" data-testid="automap-modal">
      <Text size="sm" c="dimmed" mb="sm">{t("products.automapHint")}</Text>
      <QueryState query={proposals}>
        {(list) =>
          list.length === 0 ? (
            <Text c="dimmed" ta="center" py="lg">{t("products.automapNone")}</Text>
          ) : (
            <Stack>
              <Table.ScrollContainer minWidth={600} mah={360}>
                <Table verticalSpacing={4} data-testid="automap-proposals">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("products.product")}</Table.Th>
                      <Table.Th>{t("detail.sku")}</Table.Th>
                      <Table.Th>{t("detail.supplier")}</Table.Th>
                      <Table.Th ta="right">{t("products.cost")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.map((p) => (
                      <Table.Tr key={`${p.product_id}/${p.variant_id}`}>
                        <Table.Td><Text size="sm" truncate maw={240}>{p.product_title}{p.variant_title && p.variant_title !== "Default Title" ? ` · ${p.variant_title}` : ""}</Text></Table.Td>
                        <Table.Td><Text size="sm">{p.sku}</Text></Table.Td>
                        <Table.Td>
                          <Text size="sm" truncate maw={220}>{p.supplier_name} · {p.supplier_variant_id}</Text>
                          <Text size="xs" c="dimmed">{p.source === "sku_mapping" ? t("products.fromSkuMapping") : t("products.fromCatalogue")}</Text>
                        </Table.Td>
                        <Table.Td ta="right">{money(p.cost_minor, "USD")}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <Group justify="flex-end">
                <Button variant="default" onClick={onClose}>{t("common.close")}</Button>
                <Button loading={accept.isPending} onClick={() => accept.mutate()} data-testid="automap-accept">
                  {t("products.mapAll", { count: list.length })}
                </Button>
              </Group>
            </Stack>
          )
        }
      </QueryState>
    </Modal>
  );
}

/**
 * Products: every store variant with what ships it. Unmapped variants with paid orders waiting
 * come first; tabs count under the store filter and the search; a row opens its mapping. An
 * order held as unmapped links here (`?search=…&open=product/variant&openStore=name`).
 */
export function ProductsPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [storeId, setStoreId] = useState<string | null>(params.get("store"));
  const [tab, setTab] = useState<ProductTab>("all");
  const [search, setSearch] = useState(params.get("search") ?? "");
  const [debounced] = useDebouncedValue(search, 250);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<VariantRow | null>(null);
  const [automapFor, setAutomapFor] = useState<number | null>(null);
  useEffect(() => setPage(1), [storeId, tab, debounced]);
  const stores = useQuery({ queryKey: ["stores"], queryFn: api.listStores });
  const runs = useQuery({ queryKey: ["products", "runs"], queryFn: api.catalogueRuns });
  const list = useQuery({
    queryKey: ["products", "list", storeId, tab, debounced, page],
    queryFn: () =>
      api.listProducts({ store_id: storeId ? Number(storeId) : null, tab, search: debounced.trim() || null, offset: (page - 1) * PAGE, limit: PAGE }),
    placeholderData: (previous) => previous,
  });
  // Opened from an order's "unmapped" hold: that variant's mapping, once its row is listed.
  const open = params.get("open");
  useEffect(() => {
    if (!open || !list.data) return;
    const store = params.get("openStore");
    const row = list.data.rows.find((r) => `${r.product_id}/${r.variant_id}` === open && (!store || r.store_name === store));
    if (row) {
      setEditing(row);
      params.delete("open");
      params.delete("openStore");
      setParams(params, { replace: true });
    }
  }, [open, list.data, params, setParams]);
  // The open variant as the list shows it now (a mapping changed elsewhere shows at once).
  const current = editing
    ? (list.data?.rows.find((r) => r.store_id === editing.store_id && r.product_id === editing.product_id && r.variant_id === editing.variant_id) ?? editing)
    : null;
  const connected = (stores.data ?? []).filter((s) => !s.disconnected);
  const storeOptions = connected.map((s) => ({ value: String(s.id), label: s.name }));
  const sync = useMutation({
    mutationFn: async () => {
      const targets = storeId ? connected.filter((s) => String(s.id) === storeId) : connected;
      const lines = [];
      for (const s of targets) lines.push((await api.syncCatalogue(s.id)).line);
      return lines;
    },
    onSuccess: (lines) => notifications.show({ color: "green", title: t("products.syncCatalogue"), message: lines.join("\n") }),
    onError: (e: Error) => notifyError(t, e, t("products.syncCatalogue")),
    onSettled: () => void client.invalidateQueries({ queryKey: ["products"] }),
  });
  const running = sync.isPending || (runs.data ?? []).some((r) => r.status === "running");
  const counts = list.data?.counts;
  const total = counts ? (tab === "all" ? counts.all : tab === "unmapped" ? counts.unmapped : counts.mapped) : 0;
  const lastRuns = (runs.data ?? []).filter((r) => !storeId || String(r.store_id) === storeId);
  return (
    <>
      <PageHeader
        title={t("products.title")}
        description={t("products.description")}
        right={
          <Group gap="xs">
            <Select
              placeholder={t("products.allStores")}
              data={storeOptions}
              value={storeId}
              onChange={setStoreId}
              clearable
              w={220}
              data-testid="products-store"
            />
            <Tooltip label={t("products.automapPickStore")} disabled={storeId != null}>
              <Button variant="light" leftSection={<IconSparkles size={16} />} disabled={storeId == null} onClick={() => setAutomapFor(Number(storeId))} data-testid="automap">
                {t("products.automap")}
              </Button>
            </Tooltip>
            <Button leftSection={<IconRefresh size={16} />} loading={running} disabled={connected.length === 0} onClick={() => sync.mutate()} data-testid="sync-catalogue">
              {t("products.syncCatalogue")}
            </Button>
          </Group>
        }
      />
      {lastRuns.length > 0 && (
        <Stack gap={2} mb="sm" data-testid="catalogue-runs">
          {lastRuns.map((r) => (
            <Text key={r.store_id} size="xs" c={r.status === "failed" ? "red" : r.status === "partial" ? "orange" : "dimmed"} truncate>
              {r.status === "running"
                ? t("products.runRunning", { store: r.store_name })
                : t("products.runLine", { store: r.store_name, time: dateTime(r.finished_at ?? r.started_at), products: number(r.products), variants: number(r.variants), status: t(`products.runStatus.${r.status}`) })}
              {r.error && ` · ${r.error}`}
            </Text>
          ))}
        </Stack>
      )}
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Tabs value={tab} onChange={(v) => setTab((v as ProductTab) ?? "all")}>
          <Tabs.List>
            {(["all", "unmapped", "mapped"] as ProductTab[]).map((key) => (
              <Tabs.Tab key={key} value={key} data-testid={`products-tab-${key}`} rightSection={counts && <Badge size="sm" variant="light" color={key === "unmapped" && counts.unmapped > 0 ? "orange" : "gray"}>{number(counts[key])}</Badge>}>
                {t(`products.tab.${key}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
        <TextInput
          w={300}
          leftSection={<IconSearch size={14} />}
          placeholder={t("products.searchPlaceholder")}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          data-testid="products-search"
        />
      </Group>
      <QueryState query={list}>
        {(data) =>
          data.counts.all === 0 && !debounced.trim() ? (
            <Center py={60}>
              <Stack align="center" gap="xs" data-testid="products-empty">
                <IconPackage size={40} color="var(--mantine-color-gray-5)" />
                <Text fw={600}>{t("products.emptyTitle")}</Text>
                <Text size="sm" c="dimmed" ta="center" maw={420}>{t("products.emptyHint")}</Text>
              </Stack>
            </Center>
          ) : data.rows.length === 0 ? (
            <Text c="dimmed" ta="center" py="xl" data-testid="products-none">{t("products.noMatch")}</Text>
          ) : (
            <Card withBorder padding={0}>
              <Table.ScrollContainer minWidth={900}>
                <Table highlightOnHover verticalSpacing="xs" data-testid="products-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("products.product")}</Table.Th>
                      <Table.Th>{t("detail.sku")}</Table.Th>
                      <Table.Th>{t("products.store")}</Table.Th>
                      <Table.Th ta="right">{t("products.price")}</Table.Th>
                      <Table.Th>{t("products.status")}</Table.Th>
                      <Table.Th>{t("products.mapping")}</Table.Th>
                      <Table.Th ta="right" style={{ whiteSpace: "nowrap" }}>{t("products.waiting")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.rows.map((r) => (
                      <Table.Tr
                        key={`${r.store_id}-${r.product_id}-${r.variant_id}`}
                        style={{ cursor: "pointer" }}
                        onClick={() => setEditing(r)}
                        data-testid="product-row"
                        data-product={r.product_id}
                        data-variant={r.variant_id}
                        data-mapping={r.mapping}
                      >
                        <Table.Td>
                          <Group gap="sm" wrap="nowrap">
                            <Avatar radius="sm" size="md"><IconPackage size={18} /></Avatar>
                            <Stack gap={0} style={{ minWidth: 0 }}>
                              <Text size="sm" fw={500} truncate maw={320}>{r.product_title}</Text>
                              {variantTitle(r) && <Text size="xs" c="dimmed" truncate maw={320}>{variantTitle(r)}</Text>}
                            </Stack>
                          </Group>
                        </Table.Td>
                        <Table.Td><Text size="sm" truncate maw={160}>{r.sku ?? "—"}</Text></Table.Td>
                        <Table.Td><Text size="sm" truncate maw={160}>{r.store_name}</Text></Table.Td>
                        <Table.Td ta="right">{r.price_minor != null && r.currency ? money(r.price_minor, r.currency) : "—"}</Table.Td>
                        <Table.Td style={{ whiteSpace: "nowrap" }}><Badge variant="dot" color={STATUS_COLORS[r.status]} style={{ overflow: "visible" }}>{t(`products.productStatus.${r.status}`)}</Badge></Table.Td>
                        <Table.Td><MappingCell row={r} /></Table.Td>
                        <Table.Td ta="right">
                          {r.waiting_orders > 0 ? <Badge color="orange" data-testid="waiting-orders">{number(r.waiting_orders)}</Badge> : <Text size="sm" c="dimmed">0</Text>}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {total > PAGE && (
                <Group justify="center" p="sm">
                  <Pagination total={Math.ceil(total / PAGE)} value={page} onChange={setPage} size="sm" />
                </Group>
              )}
            </Card>
          )
        }
      </QueryState>
      {list.isFetching && !list.isPending && (
        <Group justify="center" mt="xs"><Loader size="xs" /></Group>
      )}
      <MapVariantDrawer row={current} onClose={() => setEditing(null)} />
      <AutomapModal storeId={automapFor} onClose={() => setAutomapFor(null)} />
    </>
  );
}
