import { afterEach, describe, expect, it } from 'vitest';
import { CliProcess, runCli, SECRET, startExpressReceiver } from './support.js';

type Receiver = Awaited<ReturnType<typeof startExpressReceiver>>;
let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('trax-webhooks send', () => {
  it('delivers one signed event that an Express receiver verifies and handles', async () => {
    receiver = await startExpressReceiver();
    const { code, stdout, stderr } = await runCli(
      ['send', 'stream.live', '--to', receiver.url, '--data', '{"studioId":"st_42"}'],
      { TRAX_WEBHOOK_SECRET: SECRET },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(receiver.events).toEqual([
      expect.objectContaining({
        type: 'stream.live',
        studioId: 'st_42',
        source: 'webhook',
        attempt: 1,
      }),
    ]);
    expect(stdout).toMatch(/attempt 1: 200/);
    expect(stdout).toMatch(/Delivered stream\.live/);
    // Piped, so plain text: no colour codes.
    expect(stdout).not.toContain('\x1b[');
  });

  it('retries with the same delivery id until the receiver answers 2xx', async () => {
    receiver = await startExpressReceiver({ failFirst: 2 });
    const { code, stdout } = await runCli(
      [
        'send',
        'chat.message',
        '--to',
        receiver.url,
        '--schedule',
        '0,50ms,100ms',
        '--id',
        'msg_retry',
      ],
      { TRAX_WEBHOOK_SECRET: SECRET },
    );
    expect(code).toBe(0);
    expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual([
      'msg_retry',
      'msg_retry',
      'msg_retry',
    ]);
    expect(receiver.requests.map((r) => r.headers['webhook-attempt'])).toEqual(['1', '2', '3']);
    expect(receiver.events).toEqual([
      expect.objectContaining({ type: 'chat.message', deliveryId: 'msg_retry', attempt: 3 }),
    ]);
    expect(stdout).toMatch(/attempt 1: 500 TEMPORARILY_DOWN .*retrying in \d+ms/);
  });

  it('says "duplicate" when the receiver already had the delivery, and --json carries the answer', async () => {
    receiver = await startExpressReceiver();
    const args = ['send', 'stream.live', '--to', receiver.url, '--id', 'msg_twice'];
    const env = { TRAX_WEBHOOK_SECRET: SECRET };
    const first = await runCli(args, env);
    const second = await runCli(args, env);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(first.stdout).toMatch(/Delivered stream\.live \(msg_twice\)\.\n/);
    expect(first.stdout).not.toMatch(/duplicate/);
    expect(second.stdout).toMatch(
      /Delivered stream\.live \(msg_twice\): the receiver already had it \(duplicate\)/,
    );
    expect(receiver.events).toHaveLength(1);

    const json = new CliProcess([...args, '--json'], env);
    expect(await json.exited).toBe(0);
    expect(json.records().at(-1)).toMatchObject({
      type: 'delivered',
      id: 'msg_twice',
      answer: 'duplicate',
    });
  });

  it('prints JSON lines with --json', async () => {
    receiver = await startExpressReceiver();
    const cli = new CliProcess(['send', 'stream.offline', '--to', receiver.url, '--json'], {
      TRAX_WEBHOOK_SECRET: SECRET,
    });
    expect(await cli.exited).toBe(0);
    expect(cli.records().map((r) => r.type)).toEqual(['sending', 'attempt', 'delivered']);
    expect(cli.records()[1]).toMatchObject({ attempt: 1, status: 200, error: null });
    expect(cli.records()[2]).toMatchObject({ answer: 'handled', attempts: 1 });
  });

  it('exits 1 when the receiver rejects every attempt, and never prints the secret', async () => {
    receiver = await startExpressReceiver();
    const wrong = 'whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB';
    const { code, stdout, stderr } = await runCli(
      ['send', 'stream.live', '--to', receiver.url, '--schedule', '0,10ms'],
      {
        TRAX_WEBHOOK_SECRET: wrong,
      },
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/attempt 2: 401 INVALID_SIGNATURE/);
    expect(stdout).toMatch(/Not delivered: 2 attempts failed/);
    expect(receiver.events).toEqual([]);
    expect(stdout + stderr).not.toContain(wrong);
    expect(stdout + stderr).not.toContain('QUFBQUFB');
  });

  it('exits 130 when interrupted while waiting to retry', async () => {
    receiver = await startExpressReceiver({ failFirst: 10 });
    const cli = new CliProcess(
      ['send', 'stream.live', '--to', receiver.url, '--schedule', '0,2h'],
      { TRAX_WEBHOOK_SECRET: SECRET },
    );
    await cli.waitFor(/retrying in [12]h/);
    expect(await cli.stop('SIGINT')).toBe(130);
    expect(cli.stdout).toMatch(/Interrupted/);
  });

  it.each([
    [
      ['send', 'stream.live', '--to', 'http://127.0.0.1:1/x'],
      {},
      /Missing signing secret: set TRAX_WEBHOOK_SECRET/,
    ],
    [
      ['send', '--to', 'http://127.0.0.1:1/x'],
      { TRAX_WEBHOOK_SECRET: SECRET },
      /Missing the event type/,
    ],
    [['send', 'stream.live'], { TRAX_WEBHOOK_SECRET: SECRET }, /--to is required/],
    [
      ['send', 'stream.live', '--to', 'ftp://user:hunter2@host/x'],
      { TRAX_WEBHOOK_SECRET: SECRET },
      /--to must be an http/,
    ],
    [
      ['send', 'stream.live', '--to', 'not a url hunter2'],
      { TRAX_WEBHOOK_SECRET: SECRET },
      /--to is not a valid URL/,
    ],
    [
      ['send', 'stream.live', '--to', 'http://h/x', '--data', '[1]'],
      { TRAX_WEBHOOK_SECRET: SECRET },
      /--data must be a JSON object/,
    ],
    [
      ['send', 'stream.live', '--to', 'http://h/x', '--schedule', '5 years'],
      { TRAX_WEBHOOK_SECRET: SECRET },
      /--schedule must be a duration/,
    ],
    [
      ['send', 'stream.live', '--to', 'http://h/x', '--secret', 'whsec_hunter2!!'],
      {},
      /--secret is not a usable secret/,
    ],
    [
      ['send', 'stream.live', '--to', 'http://h/x', '--timeout', '-5'],
      { TRAX_WEBHOOK_SECRET: SECRET },
      /--timeout must not be negative/,
    ],
    [
      ['send', 'stream.live', '--to', 'http://h/x', '--schedule', '-1s'],
      { TRAX_WEBHOOK_SECRET: SECRET },
      /--schedule must not be negative/,
    ],
    [
      ['send', 'stream.live', '--to', 'http://h/x', '--bogus'],
      { TRAX_WEBHOOK_SECRET: SECRET },
      /Unknown option --bogus/,
    ],
  ])('exits 2 with a clear message for %j', async (args, env, message) => {
    const { code, stdout, stderr } = await runCli(args, env as Record<string, string>);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/--help for usage/);
    expect(stdout + stderr).not.toContain('hunter2');
  });

  it('sends a type not in the catalog with a note', async () => {
    receiver = await startExpressReceiver();
    const { code, stderr } = await runCli(['send', 'studio.renamed', '--to', receiver.url], {
      TRAX_WEBHOOK_SECRET: SECRET,
    });
    expect(code).toBe(0);
    expect(stderr).toMatch(/not in the TRaX catalog/);
    expect(receiver.events).toEqual([expect.objectContaining({ type: 'studio.renamed' })]);
  });
});

describe('trax-webhooks --help', () => {
  it.each(['send', 'forward', 'mock-api'])(
    '%s --help prints usage and exits 0',
    async (command) => {
      const { code, stdout } = await runCli([command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: trax-webhooks ${command}`));
      expect(stdout).toMatch(/Exit codes:/);
    },
  );

  it('prints the command list with --help, and exits 2 for an unknown command', async () => {
    expect((await runCli(['--help'])).stdout).toMatch(/Commands:\n {2}forward/);
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "frobnicate"; use one of: forward, send/);
  });

  it('does not echo an unknown command that looks like a secret pasted in the wrong place', async () => {
    const pasted = await runCli([SECRET]);
    expect(pasted.code).toBe(2);
    expect(pasted.stderr).toMatch(/Unknown command \(not shown\)/);
    expect(pasted.stdout + pasted.stderr).not.toContain(SECRET);
  });

  it('lists every exit code in the help, 70 included', async () => {
    const { stdout } = await runCli(['--help']);
    for (const code of [0, 1, 2, 3, 4, 70, 130]) expect(stdout).toMatch(new RegExp(`\\b${code} `));
  });

  it('prints the version', async () => {
    expect((await runCli(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
