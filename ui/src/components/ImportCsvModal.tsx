import { useState } from "react";
import { Alert, Badge, Button, FileInput, Group, Modal, ScrollArea, SimpleGrid, Stack, Table, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconFileSpreadsheet } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../api";
import type { CsvImport } from "../bindings/CsvImport";

/** The file size the core accepts (its `MAX_CSV_BYTES`). */
const MAX_BYTES = 50 * 1024 * 1024;

function Figure({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <Stack gap={0} align="center">
      <Text fw={700} size="xl" data-testid={testId} data-value={value}>{value}</Text>
      <Text size="xs" c="dimmed">{label}</Text>
    </Stack>
  );
}

/**
 * Store → Integrations → Import orders (CSV): a store name and a file (Shopify's order export or
 * Dropdock's template), a preview of what would be added, updated and left out (each unreadable
 * row with its line and reason), then Import. Nothing is stored before Import.
 */
/**
 * The file's bytes as base64 (the browser's own encoder, through a data URL): the core works out
 * the file's encoding (UTF-8, UTF-16, Windows-1252), so the file is sent as it is on disk.
 */
function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error);
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(",") + 1));
    };
    reader.readAsDataURL(file);
  });
}

export function ImportCsvModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [store, setStore] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const choose = async (f: File | null) => {
    setFile(f);
    setText(null);
    setFileError(null);
    preview.reset();
    if (!f) return;
    if (f.size > MAX_BYTES) {
      setFileError(t("csv.tooLarge"));
      return;
    }
    try {
      setText(await base64Of(f));
    } catch {
      setFileError(t("csv.failed"));
    }
  };
  const preview = useMutation({ mutationFn: () => api.previewCsvImport(store, text ?? "") });
  const run = useMutation({
    mutationFn: () => api.importCsv(store, text ?? ""),
    onSuccess: (r: CsvImport) => {
      notifications.show({ color: r.errors.length ? "orange" : "green", title: r.store_name, message: r.line });
      setFile(null);
      setText(null);
      preview.reset();
      onClose();
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ["stores"] });
      void client.invalidateQueries({ queryKey: ["orders"] });
    },
  });
  const shown = preview.data;
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{t("csv.title")}</Text>} size="lg">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">{t("csv.hint")}</Text>
        <TextInput label={t("csv.store")} placeholder={t("csv.storePlaceholder")} value={store} onChange={(e) => setStore(e.currentTarget.value)} data-testid="csv-store" />
        <FileInput
          label={t("csv.file")}
          placeholder={t("csv.choose")}
          accept=".csv,text/csv"
          leftSection={<IconFileSpreadsheet size={16} />}
          value={file}
          onChange={(f) => void choose(f)}
          error={fileError}
          data-testid="csv-file"
        />
        {(preview.error ?? run.error) && (
          <Alert color="red" icon={<IconAlertTriangle />} title={t("csv.failed")}>
            <Text size="sm" data-testid="csv-error">{(preview.error ?? run.error)!.message}</Text>
          </Alert>
        )}
        {shown && (
          <Stack gap="xs" data-testid="csv-preview">
            <Group gap="xs">
              <Badge variant="light">{shown.format === "shopify_export" ? t("csv.shopifyExport") : t("csv.template")}</Badge>
              <Text size="sm" c="dimmed">{t("csv.readable", { count: shown.orders })}</Text>
              <Text size="xs" c="dimmed" data-testid="csv-encoding">{t("csv.encoding", { encoding: shown.encoding })}</Text>
            </Group>
            <SimpleGrid cols={4}>
              <Figure label={t("csv.additions")} value={shown.additions} testId="csv-additions" />
              <Figure label={t("csv.updates")} value={shown.updates} testId="csv-updates" />
              <Figure label={t("csv.unchanged")} value={shown.unchanged} testId="csv-unchanged" />
              <Figure label={t("csv.leftOut")} value={shown.errors.length} testId="csv-errors" />
            </SimpleGrid>
            {shown.errors.length > 0 && (
              <ScrollArea.Autosize mah={180}>
                <Table verticalSpacing={4} fz="sm" data-testid="csv-error-rows">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={70}>{t("csv.line")}</Table.Th>
                      <Table.Th w={110}>{t("csv.order")}</Table.Th>
                      <Table.Th>{t("csv.reason")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {shown.errors.map((e, i) => (
                      <Table.Tr key={i}>
                        <Table.Td>{e.line}</Table.Td>
                        <Table.Td>{e.order ?? "—"}</Table.Td>
                        <Table.Td>{e.reason}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
            )}
          </Stack>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => preview.mutate()} loading={preview.isPending} disabled={!store.trim() || !text} data-testid="csv-preview-button">
            {t("csv.preview")}
          </Button>
          <Button onClick={() => run.mutate()} loading={run.isPending} disabled={!shown || shown.orders === 0} data-testid="csv-import">
            {t("csv.import", { count: shown?.orders ?? 0 })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
