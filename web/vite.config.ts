import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const api = process.env.LUMEN_API_URL ?? 'http://localhost:4000';

export default defineConfig({
  plugins: [vue()],
  server: {
    port: 5173,
    // In development the API runs apart (pnpm dev); the web app reaches it through this proxy.
    proxy: {
      '/graphql': { target: api, ws: true, changeOrigin: true },
      '/healthz': { target: api },
    },
  },
  build: {
    outDir: 'dist',
    // Maps are written for debugging a build but not referenced from the bundles; the server serves them only outside production.
    sourcemap: 'hidden',
    chunkSizeWarningLimit: 1200,
  },
});
