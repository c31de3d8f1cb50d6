import { defineConfig } from 'vite';

/**
 * The office app is built into web/dist and served by the Gengbao server itself; every asset
 * (scripts, styles, the MapLibre worker) ends up in that folder, nothing is fetched from a CDN.
 * JSX is compiled by Vite's own transformer (automatic runtime), so no React plugin is needed.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 3000,
    sourcemap: false,
  },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
