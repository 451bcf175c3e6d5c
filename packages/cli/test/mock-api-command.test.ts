import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CliProcess, SECRET, startExpressReceiver } from './support.js';

let cli: CliProcess | undefined;
afterEach(async () => {
  if (cli && cli.child.exitCode === null) await cli.stop('SIGKILL');
  cli = undefined;
});

describe('trax-webhooks mock-api', () => {
  it('serves stream-status, takes scripting over HTTP, logs requests and stops on Ctrl-C', async () => {
    cli = new CliProcess(['mock-api', '--port', '0', '--json']);
    await cli.waitFor(/"listening"/);
    const { url } = cli.records()[0] as { url: string };

    await fetch(`${url}/_mock/studios/st_1/live`, {
      method: 'POST',
      body: '{"encoderStreamId":"enc_cli"}',
    });
    const res = await fetch(`${url}/v1/studios/st_1/stream-status`, {
      headers: { authorization: 'Bearer sk_test_123' },
    });
    expect(await res.json()).toMatchObject({
      live: true,
      encoderStreamId: 'enc_cli',
      mode: 'cloud',
    });
    expect((await fetch(`${url}/v1/studios/st_1/stream-status`)).status).toBe(401);

    await cli.waitFor(/"status":401/);
    expect(
      cli
        .records()
        .filter((r) => r.type === 'request')
        .map((r) => r.status),
    ).toEqual([200, 401]);
    expect(await cli.stop('SIGINT')).toBe(0);
  });

  it('feeds trax-webhooks forward end to end: two real processes and an Express receiver', async () => {
    cli = new CliProcess([
      'mock-api',
      '--port',
      '0',
      '--api-key',
      'sk_test_e2e',
      '--live',
      'st_9',
      '--quiet',
    ]);
    const [, url] = await cli.waitFor(/Mock TRaX API on (http:\/\/\S+)/);
    expect(cli.stdout).not.toContain('sk_test_e2e');
    const receiver = await startExpressReceiver();
    const forward = new CliProcess(
      [
        'forward',
        '--studio',
        'st_9',
        '--to',
        receiver.url,
        '--base-url',
        url!,
        '--interval',
        '100ms',
      ],
      {
        TRAX_API_KEY: 'sk_test_e2e',
        TRAX_WEBHOOK_SECRET: SECRET,
      },
    );
    try {
      await forward.waitFor(/attempt 1: 200/);
      expect(receiver.events).toEqual([
        expect.objectContaining({ type: 'stream.live', studioId: 'st_9', source: 'webhook' }),
      ]);
      expect(await forward.stop()).toBe(0);
    } finally {
      if (forward.child.exitCode === null) forward.child.kill('SIGKILL');
      await receiver.close();
    }
  });

  it('exits 4 when the port is in use', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    try {
      cli = new CliProcess(['mock-api', '--port', String(port)]);
      expect(await cli.exited).toBe(4);
      expect(cli.stderr).toMatch(/port is in use/);
    } finally {
      blocker.close();
    }
  });

  it('exits 2 for a bad port', async () => {
    cli = new CliProcess(['mock-api', '--port', 'eighty']);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr).toMatch(/--port must be/);
  });
});
