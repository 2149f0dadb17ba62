import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built into dist/ and served by the API at /ui/. `npm run dashboard:dev` proxies the API for development.
export default defineConfig({
  root: __dirname,
  base: '/ui/',
  plugins: [react()],
  // The wire types and schemas the API validates with (browser-safe: zod only).
  resolve: { alias: { '@masklet/contract': resolve(__dirname, '../../libs/contract/src/index.ts') } },
  build: { outDir: resolve(__dirname, 'dist'), emptyOutDir: true, sourcemap: true },
  server: {
    proxy: Object.fromEntries(['/v1', '/admin', '/metrics'].map((p) => [p, process.env.MASKLET_API_URL ?? 'http://127.0.0.1:3000'])),
  },
});
