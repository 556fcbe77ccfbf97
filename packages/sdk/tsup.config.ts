import { defineConfig } from 'tsup';

/** ESM and CommonJS builds with their type declarations; Node 18 is the oldest runtime supported. */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  target: 'node18',
  platform: 'node',
  sourcemap: true,
  clean: true,
  splitting: false,
  treeshake: true,
});
