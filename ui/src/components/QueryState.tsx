import { Center, Loader } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../errors";

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
<ErrorAlert error={query.error} title={t("common.loadError")} />
    );
  }
  return <>{children(query.data)}</>;
}
