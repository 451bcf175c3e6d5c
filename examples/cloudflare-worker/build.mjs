// Bundles worker.ts as wrangler does (esbuild, the workerd/worker/browser conditions, ESM),
// minified, into dist/worker.js — what the test runs in workerd and the bundle-size bench weighs.
import { build } from 'esbuild';

/** Builds the Worker; resolves with esbuild's metafile. */
export async function buildWorker({
  outfile = new URL('./dist/worker.js', import.meta.url).pathname,
  minify = true,
} = {}) {
  const result = await build({
    entryPoints: [new URL('./worker.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    minify,
    metafile: true,
    outfile,
    logLevel: 'warning',
  });
  return result.metafile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildWorker();
  console.log('built dist/worker.js');
}
