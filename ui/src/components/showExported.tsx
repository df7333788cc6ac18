import { Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { api } from "../api";
import type { ExportedFile } from "../bindings/ExportedFile";

/** The notification after an export: where the file is, and a link that shows it in the file manager. */
export function showExported(title: string, file: ExportedFile, showInFolder: string, onError: (e: Error) => void) {
  notifications.show({
    color: "green",
    title,
    message: (
      <Text size="sm" component="span">
        {file.path}{" "}
        <Text span c="blue" style={{ cursor: "pointer" }} onClick={() => api.revealExport(file.path).catch(onError)}>
          {showInFolder}
        </Text>
      </Text>
    ),
  });
}
