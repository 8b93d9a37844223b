// Vite build of the dashboard into web/dist, served by `lodestone serve` at / and /assets/*.
// `npm run dev` proxies /api to a running `lodestone serve` (LODESTONE_API, default 127.0.0.1:8080).
import { defineConfig } from "vite";

export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
  server: {
    proxy: { "/api": process.env.LODESTONE_API ?? "http://127.0.0.1:8080" },
  },
});
