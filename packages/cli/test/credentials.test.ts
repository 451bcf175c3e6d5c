// No credential ever appears in what the CLI prints: text, --json, stderr, errors (issue 14).
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { redactText, redactUrl } from '@trax-webhooks/cli';
import { startMockTraxApi } from '@trax-webhooks/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, SECRET } from './support.js';

const PASSWORD = 'hunter2pw';
const KEY = 'sk_live_credentialtest';
let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/** A real receiver whose error answer carries a URL with a password, the secret and the key. */
async function leakyReceiver(): Promise<string> {
  server = createServer((_req, res) => {
    const code = `see http://admin:${PASSWORD}@10.0.0.1/ ${SECRET} ${KEY}`;
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: false, error: { code, message: code } }));
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/trax`;
}

function expectNoCredential(output: string) {
  expect(output).not.toContain(PASSWORD);
  expect(output).not.toContain(SECRET);
  expect(output).not.toContain(SECRET.slice(6));
  expect(output).not.toContain(KEY);
}

describe('URLs with credentials', () => {
  const env = { TRAX_WEBHOOK_SECRET: SECRET, TRAX_API_KEY: KEY };
  const withPassword = `http://user:${PASSWORD}@127.0.0.1:9/webhooks/trax`;

  it.each([
    [
      'send --to',
      ['send', 'stream.live', '--to', withPassword],
      /--to must not contain credentials/,
    ],
    [
      'send --to --json',
      ['send', 'stream.live', '--json', '--to', withPassword],
      /--to must not contain credentials/,
    ],
    [
      'forward --to',
      ['forward', '--studio', 'st_1', '--to', withPassword],
      /--to must not contain credentials/,
    ],
    [
      'forward --base-url --json',
      [
        'forward',
        '--json',
        '--studio',
        'st_1',
        '--to',
        'http://127.0.0.1:9/x',
        '--base-url',
        withPassword,
      ],
      /--base-url must not contain credentials \(user:password@\): .*TRAX_API_KEY/,
    ],
    [
      'a user name alone',
      ['send', 'stream.live', '--to', `http://${PASSWORD}@127.0.0.1:9/x`],
      /--to must not contain credentials/,
    ],
  ])(
    '%s: a usage error (exit 2) that says why, and the password is never printed',
    async (_name, args, message) => {
      const { code, stdout, stderr } = await runCli(args, env);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expectNoCredential(stdout + stderr);
    },
  );
});

describe('credentials the CLI did not write itself', () => {
  it('hides credentials in the receiver’s answer (send, text and --json)', async () => {
    const url = await leakyReceiver();
    for (const json of [[], ['--json']]) {
      const { code, stdout, stderr } = await runCli(
        ['send', 'stream.live', '--to', `${url}?token=${PASSWORD}`, '--schedule', '0', ...json],
        { TRAX_WEBHOOK_SECRET: SECRET },
      );
      expect(code).toBe(1);
      // The answer is still shown, with the credentials masked; the query string too.
      expect(stdout).toContain('http://***@10.0.0.1/');
      expect(stdout).toContain('/webhooks/trax?…');
      expectNoCredential(stdout + stderr);
    }
  });

  it('never prints the API key the TRaX API refused (forward, text and --json)', async () => {
    const api = await startMockTraxApi({ apiKeys: [KEY] });
    try {
      for (const json of [[], ['--json']]) {
        const cli = await runCli(
          [
            'forward',
            ...json,
            '--base-url',
            api.url,
            '--studio',
            'st_1',
            '--to',
            'http://127.0.0.1:9/x',
          ],
          { TRAX_WEBHOOK_SECRET: SECRET, TRAX_API_KEY: 'sk_live_refused_key' },
        );
        expect(cli.code).toBe(3);
        expect(cli.stdout + cli.stderr).toMatch(/401/);
        expect(cli.stdout + cli.stderr).not.toContain('sk_live_refused_key');
        expectNoCredential(cli.stdout + cli.stderr);
      }
    } finally {
      await api.close();
    }
  });
});

describe('redactUrl and redactText', () => {
  it('redacts a Redis URL’s password instead of refusing it', () => {
    expect(redactUrl(`redis://default:${PASSWORD}@cache.internal:6379/0`)).toBe(
      'redis://***@cache.internal:6379/0',
    );
    expect(redactUrl(`rediss://:${PASSWORD}@cache:6380`)).toBe('rediss://***@cache:6380');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('masks query strings, where tokens live', () => {
    expect(redactUrl(`https://api.example/v1?token=${PASSWORD}`)).toBe('https://api.example/v1?…');
  });

  it('masks the userinfo of every URL in a text, and every hidden value', () => {
    const text = `connect http://a:${PASSWORD}@h1/ then redis://:${PASSWORD}@h2:6379 as ${PASSWORD}`;
    expect(redactText(text, [PASSWORD])).toBe(
      'connect http://***@h1/ then redis://***@h2:6379 as ***',
    );
  });

  it('cuts sk_live_ keys and whsec_ secrets to their prefix wherever they appear', () => {
    expect(redactText(`key ${KEY}, secret ${SECRET}.`)).toBe('key sk_live_***, secret whsec_***.');
    // The mock API's own test key is meant to be seen.
    expect(redactText('accepting sk_test_123')).toBe('accepting sk_test_123');
  });
});
