import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built into dist/ and served by the API at /ui/. `npm run dashboard:dev` proxies the API for development.
export default defineConfig({
  root: __dirname,
  base: '/ui/',
  plugins: [react()],
  // The wire types and schemas the API validates with (browser-safe: zod only), and the COCO RLE codec
  // (masks' browser-safe entry point: its index also loads sharp and node:zlib).
  resolve: {
    alias: {
      '@masklet/contract': resolve(__dirname, '../../libs/contract/src/index.ts'),
      '@masklet/masks/rle-string': resolve(__dirname, '../../libs/masks/src/rle-string.ts'),
    },
  },
  build: {
    outDir: resolve(__dirname, 'dist'),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      // zod's sources place `@__PURE__` comments where Rollup cannot use them; Rollup drops the comment and the
      // build is unchanged, so the warning is only noise in every bootstrap.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/')) return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: Object.fromEntries(
      ['/v1', '/admin'].map((p) => [p, process.env.MASKLET_API_URL ?? 'http://127.0.0.1:3000']),
    ),
  },
});
