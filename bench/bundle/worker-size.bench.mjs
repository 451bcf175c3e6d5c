// The size of the Cloudflare Worker example as wrangler would ship it: esbuild, minified, the
// workerd/worker/browser conditions (examples/cloudflare-worker/build.mjs). Prints the minified
// and gzipped bytes of the whole Worker and what each package contributes (esbuild's metafile:
// bytes in the minified output, before gzip).
// Run: pnpm --filter @trax-webhooks/bench run bench:bundle    (after pnpm build)
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWorker } from '../../examples/cloudflare-worker/build.mjs';
import { writeResults } from '../support/results.mjs';

const GOAL_GZIP_BYTES = 15 * 1024;
const outfile = join(tmpdir(), `trax-worker-size-${process.pid}.js`);
const metafile = await buildWorker({ outfile });
const code = readFileSync(outfile);
rmSync(outfile, { force: true });
const gzipped = gzipSync(code, { level: 9 }).length;

const byPackage = {};
for (const [input, { bytesInOutput }] of Object.entries(
  Object.values(metafile.outputs)[0].inputs,
)) {
  const name =
    /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ??
    (/packages\/([^/]+)\//.exec(input)
      ? `@trax-webhooks/${/packages\/([^/]+)\//.exec(input)[1]}`
      : 'the example');
  byPackage[name] = (byPackage[name] ?? 0) + bytesInOutput;
}

console.log('Cloudflare Worker example (examples/cloudflare-worker/worker.ts), esbuild --minify');
console.log(
  `| | bytes |\n|---|---:|\n| minified | ${code.length} |\n| minified + gzip -9 | ${gzipped} |`,
);
console.log('\n| package | minified bytes in the bundle |\n|---|---:|');
for (const [name, bytes] of Object.entries(byPackage).sort((a, b) => b[1] - a[1]))
  console.log(`| ${name} | ${bytes} |`);
console.log(
  `\ngoal: ≤ ${GOAL_GZIP_BYTES} bytes gzipped → ${gzipped <= GOAL_GZIP_BYTES ? 'met' : 'NOT met'} (${(gzipped / 1024).toFixed(1)} KB)`,
);
writeResults('bundle-worker', { minifiedBytes: code.length, gzipBytes: gzipped, byPackage });
