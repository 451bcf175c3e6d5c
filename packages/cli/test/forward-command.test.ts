import { type MockTraxApi, startMockTraxApi } from '@trax-webhooks/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CliProcess,
  eventually,
  freePort,
  runCli,
  SECRET,
  startExpressReceiver,
} from './support.js';

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
    expect(cli.stdout).toMatch(/Stopped: 2 delivered, 0 still pending\./);
    expect(cli.stdout + cli.stderr).not.toContain(KEY);
  });

  it('retries a delivery the receiver failed, with the same delivery id, signed per attempt', async () => {
    api = await startMockTraxApi({ apiKeys: [KEY] });
    receiver = await startExpressReceiver({ failFirst: 1 });
    api.goLive('st_1');
    cli = forward(['--studio', 'st_1', '--to', receiver.url, '--schedule', '0,100ms', '--json']);
    await eventually(() => receiver!.events.length === 1);
    expect(await cli.stop('SIGINT')).toBe(0);
    const headers = receiver.requests.map((r) => r.headers);
    expect(headers).toHaveLength(2);
    expect(headers[0]!['webhook-id']).toBe(headers[1]!['webhook-id']);
    expect(headers.map((h) => h['webhook-attempt'])).toEqual(['1', '2']);
    // Each attempt is signed anew (the same bytes within one second sign the same, so the
    // receiver verifying attempt 2 is the proof).
    expect(receiver.events[0]!.attempt).toBe(2);
    const records = cli.records();
    expect(records.map((r) => r.type)).toEqual([
      'started',
      'event',
      'attempt',
      'attempt',
      'stopped',
    ]);
    // The failed attempt says when the next one is due: never sooner than the next poll.
    expect(records[2]).toMatchObject({ attempt: 1, status: 500, error: 'TEMPORARILY_DOWN' });
    expect(records[2]!.nextAttemptInMs).toBeGreaterThanOrEqual(100);
    expect(records[3]).toMatchObject({ attempt: 2, status: 200, nextAttemptInMs: null });
    expect(records[4]).toMatchObject({ delivered: 1, pending: 0, failedAttempts: 1 });
  });

  it('delivers an event whose first attempts failed, in order, before anything newer of the studio', async () => {
    api = await startMockTraxApi({ apiKeys: [KEY] });
    receiver = await startExpressReceiver({ failFirst: 3 });
    api.goLive('st_1');
    // `0`: retried at every poll, never given up.
    cli = forward(['--studio', 'st_1', '--to', receiver.url, '--schedule', '0', '--json']);
    await eventually(() => receiver!.requests.length >= 2);
    // The studio goes offline while its live is still failing: the offline must wait its turn.
    api.goOffline('st_1');
    await eventually(() => receiver!.events.length === 2);
    expect(await cli.stop('SIGTERM')).toBe(0);

    expect(receiver.events.map((e) => [e.type, e.attempt])).toEqual([
      ['stream.live', 4],
      ['stream.offline', 1],
    ]);
    const statuses = receiver.requests.map((r) => [r.headers['webhook-attempt'], r.status]);
    expect(statuses).toEqual([
      ['1', 500],
      ['2', 500],
      ['3', 500],
      ['4', 200],
      ['1', 200],
    ]);
    // The offline was not even handed over before the live was delivered.
    const types = cli
      .records()
      .filter((r) => r.type === 'event' || (r.type === 'attempt' && r.status === 200))
      .map((r) => `${r.type} ${String(r.eventType)}`);
    expect(types).toEqual([
      'event stream.live',
      'attempt stream.live',
      'event stream.offline',
      'attempt stream.offline',
    ]);
  });

  it('delivers to a receiver that was down when the event happened', async () => {
    api = await startMockTraxApi({ apiKeys: [KEY] });
    const port = await freePort();
    api.goLive('st_1');
    cli = forward([
      '--studio',
      'st_1',
      '--to',
      `http://127.0.0.1:${port}/webhooks/trax`,
      '--schedule',
      '0,100ms',
    ]);
    await cli.waitFor(/attempt 2: no answer .*ECONNREFUSED/);
    receiver = await startExpressReceiver({ port });
    await eventually(() => receiver!.events.length === 1);
    expect(receiver.events[0]).toMatchObject({ type: 'stream.live', studioId: 'st_1' });
    expect(receiver.events[0]!.attempt).toBeGreaterThan(2);
    expect(await cli.stop('SIGTERM')).toBe(0);
    expect(cli.stdout).toMatch(/Stopped: 1 delivered, 0 still pending\./);
  });

  it('exits 1 at stop and names every event still pending, those queued behind included', async () => {
    api = await startMockTraxApi({ apiKeys: [KEY] });
    receiver = await startExpressReceiver({ failFirst: 1000 });
    api.goLive('st_1');
    cli = forward(['--studio', 'st_1', '--to', receiver.url, '--schedule', '0', '--json']);
    await eventually(() => receiver!.requests.length >= 2);
    api.goOffline('st_1');
    // A few polls later the offline has been derived and waits behind the live.
    const seen = receiver.requests.length;
    await eventually(() => receiver!.requests.length >= seen + 3);
    expect(await cli.stop('SIGTERM')).toBe(1);
    const abandoned = cli.records().filter((r) => r.type === 'abandoned');
    expect(abandoned.map((r) => [r.eventType, r.studioId])).toEqual([
      ['stream.live', 'st_1'],
      ['stream.offline', 'st_1'],
    ]);
    expect(abandoned[0]!.attempts).toBeGreaterThanOrEqual(4);
    expect(abandoned[1]!.attempts).toBe(0);
    expect(cli.records().at(-1)).toMatchObject({ type: 'stopped', delivered: 0, pending: 2 });
    // Nothing was acknowledged to the poller: no attempt for the offline ever went out.
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
  });

  it('says what is still pending at stop in plain text, with a countdown to the next attempt', async () => {
    api = await startMockTraxApi({ apiKeys: [KEY] });
    receiver = await startExpressReceiver({ failFirst: 100 });
    api.goLive('st_1');
    cli = forward(['--studio', 'st_1', '--to', receiver.url]);
    await eventually(() => receiver!.requests.length === 1);
    // The default schedule: the second attempt is due 5 s (± 20 %) later.
    await cli.waitFor(/attempt 1: 500 TEMPORARILY_DOWN .* · retrying in [4-6]s/);
    expect(await cli.stop('SIGTERM')).toBe(1);
    expect(cli.stderr).toMatch(
      /✗ stream\.live st_1 not delivered, still pending at stop: 1 attempt failed/,
    );
    expect(cli.stdout).toMatch(/Stopped: 0 delivered, 1 still pending\./);
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
    // It says why it stopped, not just "0 delivered".
    expect(cli.stdout).toMatch(
      /Stopped: the TRaX API refused the key for every studio \(401\/403\).*check TRAX_API_KEY\. 0 delivered/,
    );
    expect(cli.stdout + cli.stderr).not.toContain('hunter2');
  });

  it('says why it stopped in --json too', async () => {
    api = await startMockTraxApi({ apiKeys: [KEY] });
    receiver = await startExpressReceiver();
    cli = forward(['--studio', 'st_1', '--to', receiver.url, '--json'], {
      TRAX_API_KEY: 'sk_live_hunter2',
      TRAX_WEBHOOK_SECRET: SECRET,
    });
    expect(await cli.exited).toBe(3);
    expect(cli.records().at(-1)).toMatchObject({
      type: 'stopped',
      reason: 'api-refused',
      delivered: 0,
    });
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
