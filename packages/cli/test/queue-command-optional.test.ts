import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from './support.js';

const run = promisify(execFile);
const cliDir = join(BIN, '..', '..');

/**
 * The built CLI installed as a user without queue mode has it: its own dependencies, and no
 * @trax-webhooks/bullmq, bullmq or ioredis anywhere it could resolve them.
 */
function installWithoutQueuePackages(): string {
  const root = mkdtempSync(join(tmpdir(), 'trax-cli-no-bullmq-'));
  const app = join(root, 'node_modules', '@trax-webhooks', 'cli');
  mkdirSync(app, { recursive: true });
  cpSync(join(cliDir, 'dist'), join(app, 'dist'), { recursive: true });
  cpSync(join(cliDir, 'package.json'), join(app, 'package.json'));
  const modules = join(root, 'node_modules');
  const { dependencies } = JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  for (const name of Object.keys(dependencies)) {
    symlinkSync(realpathSync(join(cliDir, 'node_modules', name)), join(modules, name), 'dir');
  }
  return root;
}

describe('trax-webhooks queue without the queue packages installed', () => {
  const root = installWithoutQueuePackages();
  const bin = join(root, 'node_modules', '@trax-webhooks', 'cli', 'dist', 'bin.js');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('says what to install (exit 2), and every other command still runs', async () => {
    const queue = await run(process.execPath, [bin, 'queue'], { env: { PATH: '' } }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect((queue as { code: number }).code).toBe(2);
    expect((queue as { stderr: string }).stderr).toMatch(
      /needs the queue packages: npm install @trax-webhooks\/bullmq bullmq ioredis/,
    );
    const help = await run(process.execPath, [bin, 'send', '--help'], { env: { PATH: '' } });
    expect(help.stdout).toMatch(/Usage: trax-webhooks send/);
  });
});
