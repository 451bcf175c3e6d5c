// Copies the screenshot the browser test saved (test-output/, git-ignored) to screenshot.png,
// the picture README.md shows. Run it after the test when the page changed, and commit the
// result; CI only runs the test, so it never rewrites a tracked file.
//
//   pnpm exec vitest run --project examples examples/dashboard/test/dashboard-browser.test.ts
//   pnpm --filter @trax-webhooks/example-dashboard screenshot
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../test-output/dashboard.png', import.meta.url));
const to = fileURLToPath(new URL('../screenshot.png', import.meta.url));

if (!existsSync(from)) {
  process.stderr.write(
    `No ${from} yet: run the browser test first\n` +
      '  (pnpm exec vitest run --project examples examples/dashboard/test/dashboard-browser.test.ts).\n',
  );
  process.exit(1);
}
copyFileSync(from, to);
const { mtime, size } = statSync(from);
process.stdout.write(
  `Copied the screenshot taken ${mtime.toISOString()} (${Math.round(size / 1024)} KiB) to ${to}\n`,
);
