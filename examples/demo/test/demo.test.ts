import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const DEMO = fileURLToPath(new URL('../demo.mjs', import.meta.url));

describe('pnpm demo', () => {
  it('shows the handlers firing through both paths and exits 0 with a summary', async () => {
    // A clean environment: the demo must need no key, no secret and no network.
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [DEMO], {
      env: { PATH: process.env.PATH ?? '' },
      timeout: 30_000,
    });
    expect(stderr).toBe('');
    expect(stdout).toMatch(/✓ stream\.live {5}st_polled {5}ctx\.source 'poll'/);
    expect(stdout).toMatch(/✓ stream\.live {5}st_forwarded {2}ctx\.source 'webhook'/);
    expect(stdout).toMatch(/✓ stream\.offline {2}st_polled {5}ctx\.source 'poll'/);
    expect(stdout).toMatch(/✓ stream\.offline {2}st_forwarded {2}ctx\.source 'webhook'/);
    expect(stdout).toMatch(/Demo OK: the same handlers ran for 4 events through both paths/);
    expect(stdout).not.toContain('✗');
    // The throwaway secret never shows.
    expect(stdout).not.toMatch(/whsec_/);
  }, 40_000);
});
