import { Card, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api } from "../api";
import { PageHeader } from "../components/PageHeader";

/** Settings: what Dropdock runs on and where its data is. */
export function SettingsPage() {
  const status = useQuery({ queryKey: ["status"], queryFn: api.appStatus });
  return (
    <>
      <PageHeader title="Settings" />
      <Card withBorder padding="lg" maw={720}>
        <Stack gap="sm">
          <div>
            <Text fw={600}>Mode</Text>
            <Text size="sm" c="dimmed">{status.data?.sandbox ? "Embedded sandbox: a demo Shopify store and demo CJdropshipping suppliers on this computer." : "Your connected accounts."}</Text>
          </div>
          <div>
            <Text fw={600}>Data folder</Text>
            <Text size="sm" c="dimmed" ff="monospace">{status.data?.data_dir ?? "—"}</Text>
          </div>
          <div>
            <Text fw={600}>Credentials</Text>
            <Text size="sm" c="dimmed">Stored in your system's keychain, never in the data folder.</Text>
          </div>
        </Stack>
      </Card>
    </>
  );
}
