import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '@trax-webhooks/core';
import { attemptDelivery } from '@trax-webhooks/sender';
import { createTestEvent } from '@trax-webhooks/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET } from '../../../test-support/fixtures.js';

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function receiver(
  answer: (headers: Record<string, unknown>, body: string) => [number, Record<string, string>],
) {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const [status, headers] = answer(req.headers, body);
      res.writeHead(status, headers).end('{}');
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server!.address() as AddressInfo).port}/hooks`);
}

describe('attemptDelivery', () => {
  it('sends one freshly signed attempt with the given id and attempt number', async () => {
    const body = JSON.stringify(createTestEvent('stream.live'));
    let verified: ReturnType<typeof verifySignature> | undefined;
    const url = await receiver((headers, raw) => {
      verified = verifySignature({
        secret: SECRET,
        headers: headers as Record<string, string>,
        rawBody: raw,
      });
      return [200, {}];
    });
    const { attempt, retryAfterMs } = await attemptDelivery({
      url,
      secret: SECRET,
      body,
      id: 'msg_a1',
      attempt: 3,
      timeoutMs: 5_000,
    });
    expect(attempt.status).toBe(200);
    expect(retryAfterMs).toBeUndefined();
    expect(verified).toMatchObject({ id: 'msg_a1', attempt: 3 });
  });

  it('hands back the Retry-After of a 503, in milliseconds', async () => {
    const url = await receiver(() => [503, { 'retry-after': '7' }]);
    const result = await attemptDelivery({
      url,
      secret: SECRET,
      body: '{}',
      id: 'msg_a2',
      attempt: 1,
      timeoutMs: 5_000,
    });
    expect([result.attempt.status, result.retryAfterMs]).toEqual([503, 7_000]);
  });

  it('turns a refused connection into an attempt without a status, never a rejection', async () => {
    const url = await receiver(() => [200, {}]);
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const { attempt } = await attemptDelivery({
      url,
      secret: SECRET,
      body: '{}',
      id: 'msg_a3',
      attempt: 1,
      timeoutMs: 5_000,
    });
    expect(attempt.status).toBeUndefined();
    expect(attempt.error).toMatch(/ECONNREFUSED/);
  });
});
