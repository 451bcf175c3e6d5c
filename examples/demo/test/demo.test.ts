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

describe('pnpm demo, as the quick start runs it', () => {
  it('prints the demo’s own story, not build logs (dist is current: nothing to build)', async () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const { stdout, stderr } = await promisify(execFile)('npx', ['-y', 'pnpm@10.34.9', 'demo'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      timeout: 60_000,
    });
    const lines = `${stdout}${stderr}`.split('\n').filter((line) => line.trim() !== '');
    // pnpm's two-line header, then the demo itself from its first line on.
    expect(lines[0]).toMatch(/^> .* demo /);
    expect(lines[2]).toMatch(/mock TRaX API/);
    expect(`${stdout}${stderr}`).not.toMatch(/build:|Build success|ESM dist|DTS/);
    expect(stdout).toMatch(/Demo OK/);
  }, 70_000);
});
