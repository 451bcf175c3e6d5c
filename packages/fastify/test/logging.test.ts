import traxWebhooks from '@trax-webhooks/fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { gate, SECRET, signed } from './support/deliveries.js';
import { fastifyVersions } from './support/fastify-versions.js';

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  deliveryId?: string;
  code?: string;
  [field: string]: unknown;
}

const WARN = 40;
const ERROR = 50;

describe.each(fastifyVersions)('%s: logging', (_version, Fastify) => {
  let app: FastifyInstance;
  afterEach(() => app.close());

  /** An app whose pino logger writes into `lines`; each request's id is its delivery id. */
  function appWithLog() {
    const lines: LogLine[] = [];
    const raw: string[] = [];
    app = Fastify({
      logger: {
        level: 'debug',
        stream: {
          write(line: string) {
            raw.push(line);
            lines.push(JSON.parse(line) as LogLine);
          },
        },
      },
      genReqId: (request) => String(request.headers['webhook-id'] ?? 'no-id'),
    });
    return { lines, raw };
  }

  function post(delivery: ReturnType<typeof signed>) {
    return app.inject({
      method: 'POST',
      url: '/webhooks/trax',
      headers: delivery.headers,
      payload: delivery.body,
    });
  }

  it("writes a rejected delivery's warning under its request's reqId, without the signature or secret", async () => {
    const { lines, raw } = appWithLog();
    await app.register(traxWebhooks, { secret: SECRET });
    const forged = signed({
      secret: 'whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==',
      id: 'msg_forged',
    });
    expect((await post(forged)).statusCode).toBe(401);

    const warning = lines.find((line) => line.code === 'INVALID_SIGNATURE');
    expect(warning).toMatchObject({ level: WARN, reqId: 'msg_forged', status: 401 });
    const text = raw.join('');
    expect(text).not.toContain(forged.headers['webhook-signature']!.slice(3));
    expect(text).not.toContain(SECRET.slice('whsec_'.length));
  });

  it('keeps interleaved requests apart: each failure is logged under its own reqId', async () => {
    const { lines } = appWithLog();
    await app.register(traxWebhooks, { secret: SECRET });
    const first = gate();
    const second = gate();
    app.traxWebhooks.onStreamLive(async (_event, ctx) => {
      await (ctx.deliveryId === 'msg_a' ? first.opened : second.opened);
      throw new Error(`handler failed for ${ctx.deliveryId}`);
    });
    const a = post(signed({ id: 'msg_a' }));
    const b = post(signed({ id: 'msg_b' }));
    // B fails while A is still waiting, then A fails.
    await new Promise((resolve) => setTimeout(resolve, 20));
    second.open();
    await b;
    first.open();
    await a;

    const failures = lines.filter((line) => line.code === 'HANDLER_FAILED');
    expect(failures).toHaveLength(2);
    for (const line of failures) {
      expect(line.level).toBe(ERROR);
      expect(line.reqId).toBe(line.deliveryId);
    }
  });

  it('logs handled deliveries at debug under the reqId', async () => {
    const { lines } = appWithLog();
    await app.register(traxWebhooks, { secret: SECRET });
    await post(signed({ id: 'msg_ok' }));
    expect(lines.find((line) => line.msg === 'Delivery handled')).toMatchObject({
      reqId: 'msg_ok',
      deliveryId: 'msg_ok',
    });
  });

  it('logs a failure of an "immediate" handler under its reqId even after the reply was sent', async () => {
    const { lines } = appWithLog();
    await app.register(traxWebhooks, { secret: SECRET, ack: 'immediate' });
    app.traxWebhooks.onStreamLive(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw new Error('late failure');
    });
    expect((await post(signed({ id: 'msg_late' }))).statusCode).toBe(202);
    await app.traxWebhooks.drain();
    expect(lines.find((line) => line.code === 'HANDLER_FAILED')).toMatchObject({
      reqId: 'msg_late',
    });
  });

  it('writes to a logger passed as an option instead of request.log', async () => {
    const { lines } = appWithLog();
    const own: Array<[string, object, string]> = [];
    const logger = {
      debug: (fields: object, msg: string) => void own.push(['debug', fields, msg]),
      info: (fields: object, msg: string) => void own.push(['info', fields, msg]),
      warn: (fields: object, msg: string) => void own.push(['warn', fields, msg]),
      error: (fields: object, msg: string) => void own.push(['error', fields, msg]),
    };
    await app.register(traxWebhooks, { secret: SECRET, logger });
    const { 'webhook-signature': _dropped, ...headers } = signed().headers;
    await app.inject({ method: 'POST', url: '/webhooks/trax', headers, payload: '{}' });
    expect(own).toEqual([
      ['warn', expect.objectContaining({ code: 'MISSING_HEADER' }), expect.any(String)],
    ]);
    expect(lines.some((line) => line.code !== undefined)).toBe(false);
  });
});
