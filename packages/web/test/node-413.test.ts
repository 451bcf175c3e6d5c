// A 413 the sender reads, on Node: createWebHandler served by @hono/node-server in its own
// process, uploads from another process (issue 11's reproduction), several times each.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET } from '../../../test-support/fixtures.js';
import { type ServedApp, serveWith } from './runtime-process.js';

const here = import.meta.dirname;
const MiB = 1024 * 1024;

describe('createWebHandler on Node (@hono/node-server): the sender reads the 413', () => {
  let app: ServedApp;
  beforeAll(async () => {
    if (!existsSync(join(here, '../dist/index.js'))) throw new Error('build first (pnpm build)');
    app = await serveWith(process.execPath, ['node-server.mjs'], here, 30_000, {
      TRAX_WEBHOOK_SECRET: SECRET,
    });
  });
  afterAll(() => app?.stop());

  const upload = async (bytes: number, chunked = false) => {
    const port = new URL(app.url).port;
    const args = [join(here, 'fixtures/upload-client.mjs'), port, String(bytes)];
    if (chunked) args.push('chunked');
    const { stdout } = await promisify(execFile)(process.execPath, args, { timeout: 20_000 });
    return stdout.trim();
  };

  for (const [label, bytes, chunked] of [
    ['2 MiB with Content-Length', 2 * MiB, false],
    ['10 MiB with Content-Length', 10 * MiB, false],
    ['1 MiB + 1 with Content-Length', MiB + 1, false],
    ['10 MiB chunked', 10 * MiB, true],
  ] as const) {
    it(`${label}: 413, read every time (×4)`, async () => {
      const outcomes: string[] = [];
      for (let i = 0; i < 4; i++) outcomes.push(await upload(bytes, chunked));
      expect(outcomes).toEqual(Array(4).fill('status 413'));
    });
  }
});
