import { PassThrough } from 'node:stream';
import { runCli } from '@trax-webhooks/cli';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET, startExpressReceiver } from './support.js';

let receiver: Awaited<ReturnType<typeof startExpressReceiver>> | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const ESC = String.fromCharCode(27);
const CLEAR_LINE = `\r${ESC}[2K`;
const SGR = new RegExp(`${ESC}\\[\\d+m`);

/** A stream that says it is a terminal, and keeps what was written. */
function fakeTerminal() {
  const stream = Object.assign(new PassThrough(), { isTTY: true, text: '' });
  stream.on('data', (chunk: Buffer) => {
    stream.text += chunk.toString('utf8');
  });
  return stream;
}

async function sendOnTerminal(extraArgs: string[], env: Record<string, string> = {}) {
  receiver = await startExpressReceiver({ failFirst: 1 });
  const stdout = fakeTerminal();
  const stderr = fakeTerminal();
  const code = await runCli(
    ['send', 'stream.live', '--to', receiver.url, '--schedule', '0,600ms', ...extraArgs],
    {
      stdout,
      stderr,
      env: { TRAX_WEBHOOK_SECRET: SECRET, ...env },
    },
  );
  return { code, out: stdout.text };
}

describe('output on a terminal', () => {
  it('colours lines and redraws a live countdown to the next attempt', async () => {
    const { code, out } = await sendOnTerminal([]);
    expect(code).toBe(0);
    expect(out).toContain(`${ESC}[32m`); // green
    expect(out).toMatch(new RegExp(`${CLEAR_LINE.replace('[', '\\[')}.*attempt 2 in \\d+ms`));
    // The progress line is cleared before the program ends.
    expect(out.endsWith(CLEAR_LINE) || out.endsWith('\n')).toBe(true);
  });

  it('honours NO_COLOR', async () => {
    const { out } = await sendOnTerminal([], { NO_COLOR: '1' });
    expect(out).not.toMatch(SGR);
    expect(out).toMatch(/attempt 2 in/);
  });

  it('writes only JSON lines with --json, even on a terminal', async () => {
    const { out } = await sendOnTerminal(['--json']);
    expect(out).not.toContain(ESC);
    for (const line of out.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });
});
