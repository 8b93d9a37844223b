// Vite build of the dashboard into web/dist, served by `lodestone serve` at / and /assets/*.
// `npm run dev` proxies /api to a running `lodestone serve` (LODESTONE_API, default 127.0.0.1:8080).
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { defineConfig, type Plugin } from "vite";

// Precompressed copies (.br at the highest quality, .gz) of every text asset, made once at build
// time instead of on every request: a server that finds file.br beside file can send it as is.
function precompress(): Plugin {
  return {
    name: "lodestone-precompress",
    apply: "build",
    generateBundle(_options, bundle) {
      for (const [name, item] of Object.entries(bundle)) {
        if (!/\.(js|css|html|svg|json)$/.test(name)) continue;
        const source = item.type === "chunk" ? item.code : item.source;
        const bytes = typeof source === "string" ? Buffer.from(source) : Buffer.from(source);
        if (bytes.length < 1024) continue;
        const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
        this.emitFile({ type: "asset", fileName: `${name}.br`, source: br });
        this.emitFile({ type: "asset", fileName: `${name}.gz`, source: gzipSync(bytes, { level: 9 }) });
      }
    },
  };
}

export default defineConfig({
  base: "/",
  plugins: [precompress()],
  build: {
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
  server: {
    proxy: { "/api": process.env.LODESTONE_API ?? "http://127.0.0.1:8080" },
    // The Decisions page bundles the example files of ../data/examples/.
    fs: { allow: [".", "../data/examples"] },
  },
});
