import { useState } from "react";
import { Alert, Button, Group, Modal, PasswordInput, SegmentedControl, Stack, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconFlask } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../api";

type Platform = "woocommerce" | "shopify" | "etsy";

/** Etsy's API origin; the sandbox's demo shop has its own. */
const ETSY_API = "https://api.etsy.com";

/** The sandbox's offer to fill in one of its demo stores. */
function DemoFill({ title, hint, testId, onFill }: { title: string; hint: string; testId: string; onFill: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="grape" icon={<IconFlask />} title={title}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">{hint}</Text>
        <Button size="xs" variant="light" color="grape" style={{ flexShrink: 0 }} onClick={onFill} data-testid={testId}>
          {t("integrations.fillIn")}
        </Button>
      </Group>
    </Alert>
  );
}

/**
 * Store → Integrations → Connect a store: WooCommerce (store URL, consumer key and secret from
 * WooCommerce → Settings → Advanced → REST API) or Shopify (a Dev Dashboard app's client id and
 * secret, whose tokens Dropdock renews, or an Admin API access token). Connect
 * checks the credentials with one read before anything is kept; they go to the OS keychain.
 * On the sandbox, the demo WooCommerce store's details can be filled in.
 */
export function ConnectStoreModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const demo = useQuery({ queryKey: ["demo-woo"], queryFn: api.demoWooStore, enabled: opened });
  const demoEtsy = useQuery({ queryKey: ["demo-etsy"], queryFn: api.demoEtsyShop, enabled: opened });
  const [etsyApi, setEtsyApi] = useState(ETSY_API);
  const [platform, setPlatform] = useState<Platform>("woocommerce");
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [key, setKey] = useState("");
  const [secret, setSecret] = useState("");
  const [token, setToken] = useState("");
  const [shopifyAuth, setShopifyAuth] = useState<"app" | "token">("app");
  const [clientId, setClientId] = useState("");
  const [clientSecret, setClientSecret] = useState("");
  const reset = () => {
    setName("");
    setUrl("");
    setKey("");
    setSecret("");
    setToken("");
    setClientId("");
    setClientSecret("");
  };
  const connect = useMutation({
    mutationFn: () =>
      platform === "etsy"
        ? api.connectEtsy(name, etsyApi, key, secret)
        : platform === "woocommerce"
        ? api.connectWoocommerce(name, url, key, secret)
        : shopifyAuth === "app"
          ? api.connectShopifyApp(name, url, clientId, clientSecret)
          : api.connectShopify(name, url, token),
    onSuccess: (store) => {
      notifications.show({ color: "green", title: t("integrations.connected"), message: t("integrations.connectedHint", { name: store.name }) });
      reset();
      connect.reset();
      onClose();
    },
    onSettled: () => client.invalidateQueries({ queryKey: ["stores"] }),
  });
  const ready =
    name.trim() &&
    (platform === "etsy" || url.trim()) &&
    (platform !== "shopify" ? key.trim() && secret.trim() : shopifyAuth === "app" ? clientId.trim() && clientSecret.trim() : token.trim());
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{t("integrations.connectTitle")}</Text>} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) connect.mutate();
        }}
      >
        <Stack gap="sm">
          <SegmentedControl
            value={platform}
            onChange={(v) => setPlatform(v as Platform)}
            data={[
              { value: "woocommerce", label: "WooCommerce" },
              { value: "shopify", label: "Shopify" },
              { value: "etsy", label: "Etsy" },
            ]}
            data-testid="connect-platform"
          />
          {platform === "woocommerce" && demo.data && (
            <DemoFill
              title={t("integrations.demoWooTitle")}
              hint={t("integrations.demoWooHint")}
              testId="woo-demo-fill"
              onFill={() => {
                setName(demo.data!.name);
                setUrl(demo.data!.base_url);
                setKey(demo.data!.consumer_key);
                setSecret(demo.data!.consumer_secret);
              }}
            />
          )}
          {platform === "etsy" && demoEtsy.data && (
            <DemoFill
              title={t("integrations.demoEtsyTitle")}
              hint={t("integrations.demoEtsyHint")}
              testId="etsy-demo-fill"
              onFill={() => {
                setName(demoEtsy.data!.name);
                setEtsyApi(demoEtsy.data!.api_url);
                setKey(demoEtsy.data!.keystring);
                setSecret(demoEtsy.data!.shared_secret);
              }}
            />
          )}
          <TextInput label={t("integrations.storeName")} value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="connect-name" />
          {platform !== "etsy" && <TextInput
            label={t("integrations.storeUrl")}
            placeholder={platform === "woocommerce" ? "https://shop.example.com" : "https://my-shop.myshopify.com"}
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            data-testid="connect-url"
          />}
          {platform === "etsy" ? (
            <>
              <Text size="xs" c="dimmed">{t("integrations.etsyHint")}</Text>
              <TextInput label={t("integrations.keystring")} value={key} onChange={(e) => setKey(e.currentTarget.value)} />
              <PasswordInput label={t("integrations.sharedSecret")} value={secret} onChange={(e) => setSecret(e.currentTarget.value)} />
              {connect.isPending && <Alert color="blue" title={t("integrations.etsyWaiting")}>{t("integrations.etsyWaitingHint")}</Alert>}
            </>
          ) : platform === "woocommerce" ? (
            <>
              <Text size="xs" c="dimmed">{t("integrations.wooKeysHint")}</Text>
              <TextInput label={t("integrations.consumerKey")} placeholder="ck_…" value={key} onChange={(e) => setKey(e.currentTarget.value)} data-testid="connect-key" />
              <PasswordInput label={t("integrations.consumerSecret")} placeholder="cs_…" value={secret} onChange={(e) => setSecret(e.currentTarget.value)} data-testid="connect-secret" />
            </>
          ) : (
            <>
              <SegmentedControl
                size="xs"
                value={shopifyAuth}
                onChange={(v) => setShopifyAuth(v as "app" | "token")}
                data={[
                  { value: "app", label: t("integrations.devDashboardApp") },
                  { value: "token", label: t("integrations.accessToken") },
                ]}
              />
              {shopifyAuth === "app" ? (
                <>
                  <Text size="xs" c="dimmed">{t("integrations.appHint")}</Text>
                  <TextInput label={t("integrations.clientId")} value={clientId} onChange={(e) => setClientId(e.currentTarget.value)} data-testid="connect-client-id" />
                  <PasswordInput label={t("integrations.clientSecret")} value={clientSecret} onChange={(e) => setClientSecret(e.currentTarget.value)} data-testid="connect-client-secret" />
                </>
              ) : (
                <PasswordInput label={t("integrations.accessToken")} placeholder="shpat_…" value={token} onChange={(e) => setToken(e.currentTarget.value)} data-testid="connect-token" />
              )}
            </>
          )}
          {connect.isError && (
            <Alert color="red" icon={<IconAlertTriangle />} title={t("integrations.notConnected")} data-testid="connect-error">
              <Text size="sm" data-testid="connect-error-text">{connect.error.message}</Text>
            </Alert>
          )}
          <Group justify="space-between">
            <Text size="xs" c="dimmed">{platform === "etsy" ? t("integrations.etsyKeychainHint") : t("integrations.keychainHint")}</Text>
            <Button type="submit" loading={connect.isPending} disabled={!ready} data-testid="connect-submit">
              {platform === "etsy" ? t("integrations.connectEtsy") : t("integrations.connect")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
