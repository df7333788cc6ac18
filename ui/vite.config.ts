import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The Tauri shell embeds ui/dist; no dev server is needed to run the app.
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { target: "es2022", outDir: "dist", emptyOutDir: true },
});
