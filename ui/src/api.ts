// Typed calls into the Rust core. Every type comes from Rust through ts-rs (src/bindings).
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { Address } from "./bindings/Address";
import type { AddressProblem } from "./bindings/AddressProblem";
import type { QueryClient } from "@tanstack/react-query";
import type { AppStatus } from "./bindings/AppStatus";
import type { ErrorBody } from "./bindings/ErrorBody";
import type { OrderDetail } from "./bindings/OrderDetail";
import type { ShipOrdersResult } from "./bindings/ShipOrdersResult";
import type { BulkResult } from "./bindings/BulkResult";
import type { OrderSelection } from "./bindings/OrderSelection";
import type { ExportedFile } from "./bindings/ExportedFile";
import type { Dashboard } from "./bindings/Dashboard";
import type { NetworkStatus } from "./bindings/NetworkStatus";
import type { AutoSettings } from "./bindings/AutoSettings";
import type { AutoSettingsInput } from "./bindings/AutoSettingsInput";
import type { ShippingRule } from "./bindings/ShippingRule";
import type { ShippingOption } from "./bindings/ShippingOption";
import type { StatusCount } from "./bindings/StatusCount";
import type { StoreView } from "./bindings/StoreView";
import type { SupplierView } from "./bindings/SupplierView";
import type { SyncSummary } from "./bindings/SyncSummary";
import type { SyncProgress } from "./bindings/SyncProgress";
import type { TrackReport } from "./bindings/TrackReport";
import type { DesktopSettings } from "./bindings/DesktopSettings";
import type { OrderPage } from "./bindings/OrderPage";
import type { OrderQuery } from "./bindings/OrderQuery";
import type { UpdateStatus } from "./bindings/UpdateStatus";
import type { CardInput } from "./bindings/CardInput";
import type { SavedCard } from "./bindings/SavedCard";
import type { CancelResult } from "./bindings/CancelResult";
import type { DisputeInput } from "./bindings/DisputeInput";
import type { DisputeView } from "./bindings/DisputeView";
import type { OrderProfit } from "./bindings/OrderProfit";
import type { ProductProfit } from "./bindings/ProductProfit";
import type { ProfitSettings } from "./bindings/ProfitSettings";
import type { FoundVariant } from "./bindings/FoundVariant";
import type { ProductList } from "./bindings/ProductList";
import type { SearchHit } from "./bindings/SearchHit";
import type { PartInput } from "./bindings/PartInput";
import type { ProductQuery } from "./bindings/ProductQuery";
import type { CatalogueSummary } from "./bindings/CatalogueSummary";
import type { CatalogueRun } from "./bindings/CatalogueRun";
import type { AutomapProposal } from "./bindings/AutomapProposal";
import type { DemoWooStore } from "./bindings/DemoWooStore";
import type { DemoEtsyShop } from "./bindings/DemoEtsyShop";
import type { DemoSupplierAccount } from "./bindings/DemoSupplierAccount";
import type { BackgroundSync } from "./bindings/BackgroundSync";
import type { CsvImport } from "./bindings/CsvImport";
import type { StoreCredentialsInput } from "./bindings/StoreCredentialsInput";
import type { LedgerEntry } from "./bindings/LedgerEntry";
import type { Reconciliation } from "./bindings/Reconciliation";
import type { Forecast } from "./bindings/Forecast";
import type { ManualEntryKind } from "./bindings/ManualEntryKind";
import type { InvoiceFormat } from "./bindings/InvoiceFormat";
import type { NotificationSettings } from "./bindings/NotificationSettings";
import type { CarrierMapping } from "./bindings/CarrierMapping";

/** The saved Auto Fulfillment settings as the input that saves them again, with `changes` on top:
 * each part of the page saves its own fields and keeps the others. */
export function autoInput(settings: AutoSettings, changes: Partial<AutoSettingsInput> = {}): AutoSettingsInput {
  return {
    payment_method: settings.payment_method,
    wallet_terms_accepted: settings.wallet_terms_accepted,
    threshold_minor: settings.threshold_minor,
    approval_delay_minutes: settings.approval_delay_minutes,
    daily_at_minute: settings.daily_at_minute,
    utc_offset_minutes: settings.utc_offset_minutes,
    most_suitable_within_days: settings.most_suitable_within_days,
    max_order_cost_minor: settings.max_order_cost_minor,
    hold_medium_risk: settings.hold_medium_risk,
    default_phone: settings.default_phone,
    cost_change_limit_pct: settings.cost_change_limit_pct,
    ...changes,
  };
}

/** An error from a command: `{ code, message }` with a stable code. */
export class CommandError extends Error {
  constructor(public readonly body: ErrorBody) {
    super(body.message);
  }
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    if (e && typeof e === "object" && "code" in e && "message" in e) throw new CommandError(e as ErrorBody);
    throw new Error(String(e));
  }
}

export const api = {
  appStatus: () => call<AppStatus>("app_status"),
  queryOrders: (query: OrderQuery) => call<OrderPage>("query_orders", { query }),
  orderCounts: () => call<StatusCount[]>("order_counts"),
  orderCountries: () => call<string[]>("order_countries"),
  orderDetail: (id: number) => call<OrderDetail>("order_detail", { id }),
  shipOrders: (ids: number[]) => call<ShipOrdersResult>("ship_orders", { ids }),
  holdOrders: (ids: number[]) => call<BulkResult>("hold_orders", { ids }),
  releaseOrders: (ids: number[]) => call<BulkResult>("release_orders", { ids }),
  correctAddress: (id: number, address: Address) => call<AddressProblem[]>("correct_address", { id, address }),
  useStoreAddress: (id: number) => call<boolean>("use_store_address", { id }),
  exportOrdersCsv: (selection: OrderSelection) => call<ExportedFile>("export_orders_csv", { selection }),
  revealExport: (path: string) => call<void>("reveal_export", { path }),
  dashboard: (days: number, lateAfterDays: number) =>
    call<Dashboard>("dashboard", { days, lateAfterDays, utcOffsetMinutes: -new Date().getTimezoneOffset() }),
  networkStatus: () => call<NetworkStatus>("network_status"),
  autoSettings: () => call<AutoSettings>("auto_settings"),
  saveAutoSettings: (input: AutoSettingsInput) => call<AutoSettings>("save_auto_settings", { input }),
  checkAutoReady: () => call<void>("check_auto_ready"),
  enableAuto: () => call<AutoSettings>("enable_auto"),
  disableAuto: () => call<AutoSettings>("disable_auto"),
  savedCards: () => call<SavedCard[]>("saved_cards"),
  saveCard: (card: CardInput, termsAccepted: boolean) => call<SavedCard[]>("save_card", { card, termsAccepted }),
  removeCard: () => call<AutoSettings>("remove_card"),
  countryCodes: () => call<string[]>("country_codes"),
  /** The UI's language, for the tray menu and desktop notifications. */
  setLanguage: (code: string) => call<string>("set_language", { code }),
  cancelFulfillment: (ids: number[]) => call<CancelResult>("cancel_fulfillment", { ids }),
  /** A refund or replacement request about a sent sub-order. */
  openDispute: (input: DisputeInput) => call<DisputeView>("open_dispute", { input }),
  /** The requests of one order (`orderId`), else all of them (`filter`: open, resolved, all). */
  orderDisputes: (orderId: number | null, filter: "open" | "resolved" | "all" = "all") =>
    call<DisputeView[]>("order_disputes", { orderId, filter }),
  cancelDispute: (id: number) => call<DisputeView>("cancel_dispute", { id }),
  /** The order's profit in the merchant's currency, worked out now. */
  orderProfit: (id: number) => call<OrderProfit>("order_profit", { id }),
  /** The 10 products that made most profit over the last `days` days. */
  profitPerProduct: (days: number) => call<ProductProfit[]>("profit_per_product", { days }),
  profitSettings: () => call<ProfitSettings>("profit_settings"),
  saveProfitSettings: (currency: string, feeBps: number, feeFixedMinor: number) =>
    call<ProfitSettings>("save_profit_settings", { currency, feeBps, feeFixedMinor }),
  /** One `currency` is `rate` of the merchant's currency; `rate` null forgets it. */
  setExchangeRate: (currency: string, rate: string | null) => call<ProfitSettings>("set_exchange_rate", { currency, rate }),
  findSupplierVariants: (sku: string) => call<FoundVariant[]>("find_supplier_variants", { sku }),
  mapSku: (sku: string, supplierId: number, variantId: string, costMinor: number) =>
    call<void>("map_sku", { sku, supplierId, variantId, costMinor }),
  /** A line without a SKU: its store product (and variant) → a supplier variant, in the order's store. */
  mapVariant: (orderId: number, storeProductId: string, storeVariantId: string | null, supplierId: number, variantId: string, costMinor: number) =>
    call<void>("map_variant", { orderId, storeProductId, storeVariantId, supplierId, variantId, costMinor }),
  listProducts: (query: ProductQuery) => call<ProductList>("list_products", { query }),
  /** The connected suppliers' variants for a SKU, product id, product link or words. */
  searchSupplierVariants: (query: string) => call<SearchHit[]>("search_supplier_variants", { query }),
  /** A backup or a bundle's part of a store variant's mapping. */
  addMappingPart: (storeId: number, productId: string, variantId: string, part: PartInput) =>
    call<void>("add_mapping_part", { storeId, productId, variantId, part }),
  removeMappingPart: (storeId: number, productId: string, variantId: string, priority: number, supplierVariantId: string | null) =>
    call<void>("remove_mapping_part", { storeId, productId, variantId, priority, supplierVariantId }),
  setMappingCostLimit: (storeId: number, productId: string, variantId: string, limitMinor: number | null) =>
    call<void>("set_mapping_cost_limit", { storeId, productId, variantId, limitMinor }),
  syncCatalogue: (storeId: number) => call<CatalogueSummary>("sync_catalogue", { storeId }),
  catalogueRuns: () => call<CatalogueRun[]>("catalogue_runs"),
  /** Auto-map by SKU: the proposals; with `accept`, they are made. */
  automapProducts: (storeId: number, accept: boolean) => call<AutomapProposal[]>("automap_products", { storeId, accept }),
  /**
   * A store variant (`variantId` "" for a product without variants) → a supplier variant at
   * `costMinor` US cents, everywhere or (`country`, ISO alpha-2) for orders to one country.
   */
  mapStoreVariant: (storeId: number, productId: string, variantId: string, country: string | null, supplierId: number, supplierVariantId: string, costMinor: number) =>
    call<void>("map_store_variant", { storeId, productId, variantId, country, supplierId, supplierVariantId, costMinor }),
  /** Removes the variant's own mapping, or (`country`) its mapping for one country. */
  unmapStoreVariant: (storeId: number, productId: string, variantId: string, country: string | null) =>
    call<void>("unmap_store_variant", { storeId, productId, variantId, country }),
  shippingRules: () => call<ShippingRule[]>("shipping_rules"),
  setShippingRule: (rule: ShippingRule) => call<void>("set_shipping_rule", { rule }),
  shippingOptions: (country: string) => call<ShippingOption[]>("shipping_options", { country }),
  setSandboxServing: (serving: boolean) => call<boolean>("set_sandbox_serving", { serving }),
  syncOrders: (storeId: number, days: number) => call<SyncSummary>("sync_orders", { storeId, days }),
  syncProgress: () => call<SyncProgress[]>("sync_progress"),
  cancelSync: (storeId: number) => call<SyncProgress>("cancel_sync", { storeId }),
  listStores: () => call<StoreView[]>("list_stores"),
  demoWooStore: () => call<DemoWooStore | null>("demo_woo_store"),
  connectWoocommerce: (name: string, baseUrl: string, consumerKey: string, consumerSecret: string) =>
    call<StoreView>("connect_woocommerce", { name, baseUrl, consumerKey, consumerSecret }),
  demoEtsyShop: () => call<DemoEtsyShop | null>("demo_etsy_shop"),
  connectEtsy: (name: string, apiUrl: string, keystring: string, sharedSecret: string) =>
    call<StoreView>("connect_etsy", { name, apiUrl, keystring, sharedSecret }),
  connectShopify: (name: string, baseUrl: string, token: string) => call<StoreView>("connect_shopify", { name, baseUrl, token }),
  connectShopifyApp: (name: string, baseUrl: string, clientId: string, clientSecret: string) =>
    call<StoreView>("connect_shopify_app", { name, baseUrl, clientId, clientSecret }),
  /** `data`: the CSV file as base64 (the core detects its encoding). */
  previewCsvImport: (storeName: string, data: string) => call<CsvImport>("preview_csv_import", { storeName, data }),
  importCsv: (storeName: string, data: string) => call<CsvImport>("import_csv", { storeName, data }),
  testStoreConnection: (id: number) => call<void>("test_store_connection", { id }),
  syncStoreNow: (id: number) => call<BackgroundSync>("sync_store_now", { id }),
  setStorePaused: (id: number, paused: boolean) => call<StoreView>("set_store_paused", { id, paused }),
  setStoreSyncInterval: (id: number, minutes: number) => call<StoreView>("set_store_sync_interval", { id, minutes }),
  renameStore: (id: number, name: string) => call<StoreView>("rename_store", { id, name }),
  updateStoreCredentials: (id: number, credentials: StoreCredentialsInput) =>
    call<StoreView>("update_store_credentials", { id, credentials }),
  disconnectStore: (id: number) => call<StoreView>("disconnect_store", { id }),
  listSuppliers: () => call<SupplierView[]>("list_suppliers"),
  demoSupplierAccount: () => call<DemoSupplierAccount | null>("demo_supplier_account"),
  /** `platform`: `cj` (its API key) or `printful` (a private token; `storeId` when it spans several stores). */
  connectSupplier: (platform: string, name: string, baseUrl: string, key: string, storeId: string | null) =>
    call<SupplierView>("connect_supplier", { platform, name, baseUrl, key, storeId }),
  testSupplierConnection: (id: number) => call<void>("test_supplier_connection", { id }),
  updateSupplierKeys: (id: number, key: string, storeId: string | null) => call<SupplierView>("update_supplier_keys", { id, key, storeId }),
  renameSupplier: (id: number, name: string) => call<SupplierView>("rename_supplier", { id, name }),
  setSupplierRateLimit: (id: number, requestsPerSecond: number) =>
    call<SupplierView>("set_supplier_rate_limit", { id, requestsPerSecond }),
  disconnectSupplier: (id: number) => call<SupplierView>("disconnect_supplier", { id }),
  wallet: (refresh: boolean) => call<SupplierView[]>("wallet", { refresh }),
  walletLedger: (supplierId: number | null, limit: number) => call<LedgerEntry[]>("wallet_ledger", { supplierId, limit }),
  walletReconciliation: () => call<Reconciliation[]>("wallet_reconciliation"),
  recordWalletEntry: (supplierId: number, kind: ManualEntryKind, amountMinor: number, note: string) =>
    call<number>("record_wallet_entry", { supplierId, kind, amountMinor, note }),
  /** On the sandbox the recharge happens (null); for a real supplier, the page to recharge on. */
  rechargeWallet: (supplierId: number, amountMinor: number) => call<string | null>("recharge_wallet", { supplierId, amountMinor }),
  walletForecast: () => call<Forecast[]>("wallet_forecast"),
  exportInvoices: (from: string, to: string, format: InvoiceFormat) => call<ExportedFile>("export_invoices", { from, to, format }),
  notificationSettings: () => call<NotificationSettings>("notification_settings"),
  saveNotificationSettings: (settings: NotificationSettings) => call<NotificationSettings>("save_notification_settings", { settings }),
  /** After how many days without news a shipment needs attention. */
  trackingAttentionDays: () => call<number>("tracking_attention_days"),
  setTrackingAttentionDays: (days: number) => call<number>("set_tracking_attention_days", { days }),
  carrierMappings: () => call<CarrierMapping[]>("carrier_mappings"),
  saveCarrierMapping: (row: CarrierMapping) => call<CarrierMapping[]>("save_carrier_mapping", { row }),
  removeCarrierMapping: (supplierCarrier: string) => call<CarrierMapping[]>("remove_carrier_mapping", { supplierCarrier }),
  trackNow: () => call<TrackReport>("track_now"),
  openLink: (url: string) => call<void>("open_link", { url }),
  desktopSettings: () => call<DesktopSettings>("desktop_settings"),
  setAutostart: (enabled: boolean) => call<boolean>("set_autostart", { enabled }),
  openLogsFolder: () => call<void>("open_logs_folder"),
  checkForUpdates: () => call<UpdateStatus>("check_for_updates"),
  installUpdate: () => call<void>("install_update"),
};

/** Refetch what the core says changed. */
/**
 * Which screens' queries show each table: a committed write to the table refreshes them. The
 * core raises `db-changed` from its write path (this app's writes at once, another process's —
 * `dropdock-cli` — within a second), so no command has to say what it changed.
 */
const QUERIES_OF_TABLE: Record<string, string[]> = {
  orders: ["orders", "dashboard", "wallet", "stores", "products"],
  line_item: ["orders", "dashboard", "wallet", "products"],
  address: ["orders"],
  supplier_order: ["orders", "dashboard", "wallet"],
  supplier_order_item: ["orders"],
  shipment: ["orders", "dashboard"],
  queued_action: ["orders", "network"],
  product_mapping: ["orders", "wallet", "products"],
  variant_mapping: ["orders", "wallet", "products"],
  variant_mapping_country: ["orders", "wallet", "products"],
  store_variant: ["products"],
  catalogue_run: ["products"],
  store: ["stores", "orders", "status", "products"],
  sync_run: ["stores"],
  sync_failure: ["stores"],
  supplier: ["wallet", "auto", "suppliers"],
  supplier_card: ["auto"],
  wallet_entry: ["wallet"],
  auto_fulfillment: ["auto"],
  shipping_rule: ["auto"],
  shipping_default: ["auto"],
  carrier_mapping: ["carriers"],
  setting: ["auto", "settings", "notifications"],
};

type DbChange = { tables: string[]; external: boolean };

/**
 * A query that asks a store or supplier (and records what it hears, e.g. the live wallet
 * balance) carries `meta: { remote: true }`: the database change its own answer causes must not
 * ask again, or it would loop. It refreshes on its own schedule or button.
 */
declare module "@tanstack/react-query" {
  interface Register {
    queryMeta: { remote?: boolean };
  }
}

export function subscribeToCoreEvents(client: QueryClient): () => void {
  const stops = [
    listen<DbChange>("db-changed", ({ payload }) => {
      if (payload.tables.includes("*")) {
        void client.invalidateQueries({ predicate: (q) => !q.meta?.remote });
        return;
      }
      const keys = new Set(payload.tables.flatMap((table) => QUERIES_OF_TABLE[table] ?? []));
      keys.forEach((key) => void client.invalidateQueries({ queryKey: [key], predicate: (q) => !q.meta?.remote }));
    }),
    listen("network-changed", () => {
      client.invalidateQueries({ queryKey: ["network"] });
      client.invalidateQueries({ queryKey: ["orders"] });
    }),
    listen("status-changed", () => {
      client.invalidateQueries({ queryKey: ["status"] });
      client.invalidateQueries({ queryKey: ["settings"] });
    }),
  ];
  return () => stops.forEach((p) => p.then((stop) => stop()));
}
