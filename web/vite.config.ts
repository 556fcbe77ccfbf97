import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

import { precompileMessages } from './build/precompile-messages';
import { precompress } from './build/precompress';
import en from './src/i18n/en';
import zhCN from './src/i18n/zh-CN';

const api = process.env.LUMEN_API_URL ?? 'http://localhost:4000';

export default defineConfig(({ command }) => ({
  plugins: [vue(), precompileMessages({ '/src/i18n/en.ts': en, '/src/i18n/zh-CN.ts': zhCN }), precompress()],
  resolve: {
    // The built app ships vue-i18n without its message compiler: the messages are compiled above.
    alias: command === 'build' ? [{ find: /^vue-i18n$/, replacement: 'vue-i18n/dist/vue-i18n.runtime.esm-bundler.js' }] : [],
  },
  define: {
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_DROP_MESSAGE_COMPILER__: command === 'build' ? 'true' : 'false',
  },
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
}));
