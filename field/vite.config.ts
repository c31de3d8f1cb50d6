import { defineConfig } from 'vite';

/**
 * The field app (田长/网格员 phone app) is built into field/dist and served by Gengbao at /field/.
 * File names are fixed (no content hash) so the service worker can precache the app shell by
 * name; the worker fetches network-first, so a new build still reaches phones that are online.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/field/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: {
      output: {
        entryFileNames: 'app.js',
        chunkFileNames: '[name].js',
        assetFileNames: '[name][extname]',
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
