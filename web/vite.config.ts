import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The office app is built into web/dist and served by the Gengbao server itself; every asset
 * (scripts, styles, the MapLibre worker) ends up in that folder, nothing is fetched from a CDN.
 * JSX is compiled by Vite's own transformer (automatic runtime), so no React plugin is needed.
 * Types shared with the server come from ../src/contract (pure modules, no node imports).
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 3000,
    sourcemap: false,
    // Two pages: the office app and the public tip page (/tip), each its own bundle.
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        tip: resolve(import.meta.dirname, 'tip.html'),
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
