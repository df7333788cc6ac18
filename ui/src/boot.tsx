// Start-up safety: errors the UI cannot handle are kept in `window.__dropdockErrors` (read by the
// end-to-end tests' failure reports) and shown instead of a blank window.
import { Alert, Button, Center, Code, Stack } from "@mantine/core";
import { Component, type ErrorInfo, type ReactNode } from "react";
import i18n from "i18next";

declare global {
  interface Window {
    __dropdockErrors?: string[];
  }
}

window.__dropdockErrors = [];
const keep = (what: string) => {
  window.__dropdockErrors!.push(what.slice(0, 500));
  console.error(what);
};
window.addEventListener("error", (e) => keep(`error: ${e.message} (${e.filename}:${e.lineno})`));
window.addEventListener("unhandledrejection", (e) => keep(`unhandled rejection: ${String(e.reason)}`));

/** Shows a render crash with the way out (reload) instead of an empty window. */
export class CrashBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    keep(`render: ${error.message}${info.componentStack ?? ""}`);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <Center h="100vh" p="xl">
        <Stack maw={560}>
          <Alert color="red" title={i18n.t("app.crashed")} data-testid="crash">
            <Code block>{this.state.error.message}</Code>
          </Alert>
          <Button onClick={() => window.location.reload()}>{i18n.t("app.reload")}</Button>
        </Stack>
      </Center>
    );
  }
}
