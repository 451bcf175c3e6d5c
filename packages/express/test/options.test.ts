import { Writable } from 'node:stream';
import { MemoryDeliveryStore } from '@trax-webhooks/core';
import { DEFAULT_PATH, traxWebhooks } from '@trax-webhooks/express';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { OTHER_SECRET, PATH, SECRET, signed } from './helpers.js';

describe('traxWebhooks(secret | options)', () => {
  it('takes a bare secret, or several while rotating', async () => {
    for (const secret of [SECRET, [OTHER_SECRET, SECRET]]) {
      const delivery = signed();
      await request(express().use(traxWebhooks(secret)))
        .post(PATH)
        .set(delivery.headers)
        .send(delivery.body)
        .expect(200);
    }
  });

  it('is a function that is also the router, with receive and drain from core', () => {
    const webhooks = traxWebhooks(SECRET);
    expect(typeof webhooks).toBe('function');
    for (const method of [
      'on',
      'off',
      'onStreamLive',
      'onStreamOffline',
      'onAny',
      'offAny',
      'onError',
      'offError',
      'receive',
      'handleEvent',
      'drain',
      'reject',
      'verify',
    ] as const) {
      expect(typeof webhooks[method], method).toBe('function');
    }
    expect(webhooks.path).toBe(DEFAULT_PATH);
    expect(webhooks.bodyLimit).toBe(1_048_576);
  });

  it('carries no `handle` method, so Connect (Vite, browser-sync) mounts it as a middleware, not a sub-app', () => {
    // Regression: Connect calls fn.handle(req, res, next) on any function that has one, which
    // sent unverified requests to the handlers and never called next().
    expect('handle' in traxWebhooks(SECRET)).toBe(false);
  });

  it('removes a handler through the function returned by on()', async () => {
    const webhooks = traxWebhooks(SECRET);
    const handler = vi.fn();
    const unsubscribe = webhooks.onStreamLive(handler);
    unsubscribe();
    const delivery = signed();
    await request(express().use(webhooks))
      .post(PATH)
      .set(delivery.headers)
      .send(delivery.body)
      .expect(200);
    expect(handler).not.toHaveBeenCalled();
  });

  it('uses the store it is given', async () => {
    const store = new MemoryDeliveryStore();
    const claim = vi.spyOn(store, 'claim');
    const delivery = signed();
    await request(express().use(traxWebhooks({ secret: SECRET, store })))
      .post(PATH)
      .set(delivery.headers)
      .send(delivery.body)
      .expect(200);
    expect(claim).toHaveBeenCalledWith(delivery.id, expect.any(String));
  });

  it('honours tolerance', async () => {
    const app = express().use(traxWebhooks({ secret: SECRET, tolerance: 10_000 }));
    const delivery = signed({ timestamp: Math.floor(Date.now() / 1000) - 3600 });
    await request(app).post(PATH).set(delivery.headers).send(delivery.body).expect(200);
  });

  it('logs to a pino logger without the secret or the signature', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const logger = pino({ level: 'debug' }, sink);
    const app = express().use(traxWebhooks({ secret: SECRET, logger }));
    const forged = signed({ secret: OTHER_SECRET });
    await request(app).post(PATH).set(forged.headers).send(forged.body).expect(401);
    const output = lines.join('');
    expect(output).toContain('INVALID_SIGNATURE');
    expect(output).not.toContain(forged.headers['webhook-signature']!.slice(3, 20));
    expect(output).not.toContain(SECRET.slice(6));
  });

  it.each([
    [{ secret: SECRET, path: 'webhooks' }, /path option/],
    [{ secret: SECRET, path: '/webhooks?x=1' }, /path option/],
    [{ secret: SECRET, bodyTimeoutMs: 0 }, /bodyTimeoutMs option/],
    [{ secret: SECRET, bodyTimeoutMs: 1.5 }, /bodyTimeoutMs option/],
    [{ secret: SECRET, bodyLimit: -1 }, /bodyLimit option/],
    [{ secret: '' }, /secret option/],
    [{}, /secret option/],
  ])('throws a TypeError naming the bad option: %o', (options, message) => {
    expect(() => traxWebhooks(options as never)).toThrow(TypeError);
    expect(() => traxWebhooks(options as never)).toThrow(message);
  });

  it('throws a TypeError for no argument at all', () => {
    expect(() => traxWebhooks(undefined as never)).toThrow(TypeError);
  });
});
