import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    adapter: 'src/adapter/index.ts',
    contract: 'src/contract/index.ts',
    node: 'src/node/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // One copy of each module across the entries (".", "./adapter", "./node", "./contract"): an error made in
  // one entry must be `instanceof TraxWebhookError` in another, and a bundle must not carry two.
  splitting: true,
});
