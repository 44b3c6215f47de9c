import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web pages the gateway serves, as one multi-page Vite app: each page is a folder with an
 * index.html (`/`, `/city`, `/city/report`, `/merchant`, `/check`, `/officer`) and its code
 * under src/<page>/; src/shared/ holds what pages share. Built into dist/web with hashed assets.
 * JSX is compiled by Vite's built-in Oxc transform (automatic runtime).
 */
const root = fileURLToPath(new URL('.', import.meta.url));
const page = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      input: {
        home: page('index.html'),
        city: page('city/index.html'),
        cityReport: page('city/report/index.html'),
        merchant: page('merchant/index.html'),
        check: page('check/index.html'),
        officer: page('officer/index.html'),
      },
    },
  },
});
