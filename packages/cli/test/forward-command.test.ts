import { type MockTraxApi, startMockTraxApi } from '@trax-webhooks/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CliProcess, eventually, runCli, SECRET, startExpressReceiver } from './support.js';

const KEY = 'sk_test_forward';
let api: MockTraxApi | undefined;
let receiver: Awaited<ReturnType<typeof startExpressReceiver>> | undefined;
let cli: CliProcess | undefined;

afterEach(async () => {
  if (cli && cli.child.exitCode === null) await cli.stop('SIGKILL');
  await receiver?.close();
  await api?.close();
  cli = receiver = api = undefined;
});

function forward(
  args: string[],
  env: Record<string, string> = { TRAX_API_KEY: KEY, TRAX_WEBHOOK_SECRET: SECRET },
) {
  return new CliProcess(['forward', '--base-url', api!.url, '--interval', '100ms', ...args], env);
}

describe('trax-webhooks forward', () => {
  it('delivers live and offline as signed webhooks that the Express handlers receive', async () => {
    api = await startMockTraxApi({ apiKeys: [KEY] });
    receiver = await startExpressReceiver();
    cli = forward(['--studio', 'st_1', '--studio', 'st_2', '--to', receiver.url]);
    await cli.waitFor(/Forwarding 2 studios/);

    api.goLive('st_1', { encoderStreamId: 'enc_a', liveStartedAt: '2026-11-27T12:00:00.000Z' });
    await eventually(() => receiver!.events.length === 1);
    api.goOffline('st_1');
    await eventually(() => receiver!.events.length === 2);

    expect(receiver.events.map((e) => [e.type, e.studioId, e.source])).toEqual([
      ['stream.live', 'st_1', 'webhook'],
      ['stream.offline', 'st_1', 'webhook'],
    ]);
    // The poller's deterministic ids travel as the delivery id.
    expect(receiver.events.every((e) => e.deliveryId.startsWith('poll_'))).toBe(true);
    expect(await cli.stop('SIGTERM')).toBe(0);
    expect(cli.stdout).toMatch(/→ stream\.live st_1 poll_/);
    expect(cli.stdout).toMatch(/Stopped: 2 delivered, 0 failed, 0 still retrying/);
    expect(cli.stdout + cli.stderr).not.toContain(KEY);
  });

  it('retries a delivery the receiver failed, with the same delivery id', async () => {
    api = await startMockTraxApi({ apiKeys: [KEY] });
    receiver = await startExpressReceiver({ failFirst: 1 });
    api.goLive('st_1');
    cli = forward(['--studio', 'st_1', '--to', receiver.url, '--schedule', '0,100ms', '--json']);
    await eventually(() => receiver!.events.length === 1);
    expect(await cli.stop('SIGINT')).toBe(0);
    const ids = receiver.requests.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
    const types = cli.records().map((r) => r.type);
    expect(types).toEqual(['started', 'event', 'attempt', 'attempt', 'stopped']);
    expect(cli.records()[2]).toMatchObject({ status: 500, error: 'TEMPORARILY_DOWN' });
  });

  it('exits 1 when a delivery is still retrying at stop', async () => {
    api = await startMockTraxApi({ apiKeys: [KEY] });
    receiver = await startExpressReceiver({ failFirst: 100 });
    api.goLive('st_1');
    cli = forward(['--studio', 'st_1', '--to', receiver.url]);
    await eventually(() => receiver!.requests.length === 1);
    await cli.waitFor(/retrying in/);
    expect(await cli.stop('SIGTERM')).toBe(1);
    expect(cli.stderr).toMatch(/not delivered: still retrying at stop/);
  });

  it('reports API errors without treating them as offline, and keeps going', async () => {
    api = await startMockTraxApi({ apiKeys: [KEY] });
    receiver = await startExpressReceiver();
    api.goLive('st_1');
    api.injectFault({ times: 2, fault: { type: 'status', status: 503 } });
    cli = forward(['--studio', 'st_1', '--to', receiver.url]);
    await eventually(() => receiver!.events.length === 1, 15_000);
    expect(cli.stderr).toMatch(/! .*st_1/);
    expect(receiver.events.map((e) => e.type)).toEqual(['stream.live']);
    expect(await cli.stop()).toBe(0);
  });

  it('exits 3 when the API refuses the key for every studio, without printing the key', async () => {
    api = await startMockTraxApi({ apiKeys: [KEY] });
    receiver = await startExpressReceiver();
    cli = forward(['--studio', 'st_1', '--to', receiver.url], {
      TRAX_API_KEY: 'sk_live_hunter2',
      TRAX_WEBHOOK_SECRET: SECRET,
    });
    expect(await cli.exited).toBe(3);
    expect(cli.stderr).toMatch(/401/);
    expect(cli.stdout + cli.stderr).not.toContain('hunter2');
  });

  it.each([
    [
      ['--studio', 'st_1', '--to', 'http://h/x'],
      { TRAX_WEBHOOK_SECRET: SECRET },
      /Missing TRaX API key: set TRAX_API_KEY/,
    ],
    [['--studio', 'st_1', '--to', 'http://h/x'], { TRAX_API_KEY: KEY }, /Missing signing secret/],
    [
      ['--to', 'http://h/x'],
      { TRAX_API_KEY: KEY, TRAX_WEBHOOK_SECRET: SECRET },
      /at least one --studio/,
    ],
    [
      ['--studio', 'st_1', '--to', 'localhost:3000'],
      { TRAX_API_KEY: KEY, TRAX_WEBHOOK_SECRET: SECRET },
      /--to must be an http/,
    ],
    [
      ['--studio', 'st_1', '--to', 'http://h/x', '--interval', 'soon'],
      { TRAX_API_KEY: KEY, TRAX_WEBHOOK_SECRET: SECRET },
      /--interval must be a duration/,
    ],
  ])('exits 2 with a clear message for %j', async (args, env, message) => {
    const { code, stderr } = await runCli(['forward', ...args], env as Record<string, string>);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
