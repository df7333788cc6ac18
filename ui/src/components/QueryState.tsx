import { Alert, Center, Loader } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import type { UseQueryResult } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

/** Loading and error states for a query; renders `children` with the data once it is there. */
export function QueryState<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => React.ReactNode }) {
  const { t } = useTranslation();
  if (query.isPending) {
    return (
      <Center h={200}>
        <Loader />
      </Center>
    );
  }
  if (query.isError) {
    return (
      <Alert color="red" icon={<IconAlertTriangle />} title={t("common.loadError")}>
        {query.error.message}
      </Alert>
    );
  }
  return <>{children(query.data)}</>;
}
