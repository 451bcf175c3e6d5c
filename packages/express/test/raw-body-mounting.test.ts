import type { IncomingMessage } from 'node:http';
import type { TraxWebhookError } from '@trax-webhooks/core';
import { traxWebhooks } from '@trax-webhooks/express';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { expressVersions, OTHER_SECRET, PATH, SECRET, signed } from './helpers.js';

type Express = (typeof expressVersions)[number][1];
type RequestWithRawBody = IncomingMessage & { rawBody?: Buffer | string };

/**
 * Each way an app may be put together around the middleware. The body is pretty-printed
 * JSON with non-ASCII text: re-serialising it would change the bytes and break the signature.
 */
const mountings: Array<
  [string, (express: Express, webhooks: ReturnType<typeof traxWebhooks>) => ReturnType<Express>]
> = [
  ['alone: the middleware reads the stream itself', (express, webhooks) => express().use(webhooks)],
  [
    'before express.json(): the stream is still untouched',
    (express, webhooks) => express().use(webhooks).use(express.json()),
  ],
  [
    "after express.raw({ type: '*/*' }): takes the Buffer it left in req.body",
    (express, webhooks) =>
      express()
        .use(express.raw({ type: '*/*' }))
        .use(webhooks),
  ],
  [
    'after express.raw() on the path only',
    (express, webhooks) =>
      express()
        .use(PATH, express.raw({ type: 'application/json' }))
        .use(webhooks),
  ],
  [
    'after express.json({ verify }) keeping req.rawBody as a Buffer',
    (express, webhooks) =>
      express()
        .use(
          express.json({
            verify: (req, _res, buf) => {
              (req as RequestWithRawBody).rawBody = buf;
            },
          }),
        )
        .use(webhooks),
  ],
  [
    'after express.json({ verify }) keeping req.rawBody as a string',
    (express, webhooks) =>
      express()
        .use(
          express.json({
            verify: (req, _res, buf) => {
              (req as RequestWithRawBody).rawBody = buf.toString('utf8');
            },
          }),
        )
        .use(webhooks),
  ],
  [
    'after express.json() that skipped a content type it does not parse',
    (express, webhooks) =>
      express()
        .use(express.json({ type: 'application/vnd.other+json' }))
        .use(webhooks),
  ],
];

const prettyBody = `{
  "type": "stream.live",
  "timestamp": "2026-11-27T12:00:01.000Z",
  "data": { "studioId": "st_ünïcødé", "encoderStreamId": "enc_1",
            "liveStartedAt": "2026-11-27T12:00:00.000Z", "mode": "cloud", "title": "Café ☕ 直播" }
}`;

describe.each(expressVersions)('%s: raw body, however the app is mounted', (_name, express) => {
  describe.each(mountings)('%s', (_mounting, build) => {
    it('verifies the exact bytes and runs the handler', async () => {
      const webhooks = traxWebhooks(SECRET);
      const studios: string[] = [];
      webhooks.onStreamLive((event) => {
        studios.push(event.data.studioId);
      });
      const delivery = signed({ payload: prettyBody });
      const res = await request(build(express, webhooks))
        .post(PATH)
        .set(delivery.headers)
        .send(delivery.body);
      expect(res.status).toBe(200);
      expect(studios).toEqual(['st_ünïcødé']);
    });

    it('still answers 401 for a forged delivery', async () => {
      const webhooks = traxWebhooks(SECRET);
      const delivery = signed({ payload: prettyBody, secret: OTHER_SECRET });
      const res = await request(build(express, webhooks))
        .post(PATH)
        .set(delivery.headers)
        .send(delivery.body);
      expect(res.status).toBe(401);
    });
  });

  describe.each([
    ['express.json()', (e: Express) => e.json()],
    [
      'express.text({ type: "*/*" }) (decoded text is not the signed bytes)',
      (e: Express) => e.text({ type: '*/*' }),
    ],
    ['express.urlencoded() on a form post', (e: Express) => e.urlencoded({ extended: false })],
  ])('when %s consumed the stream first', (parser, makeParser) => {
    it('answers 500 RAW_BODY_UNAVAILABLE through onError, never re-serialising', async () => {
      const webhooks = traxWebhooks(SECRET);
      const errors: TraxWebhookError[] = [];
      webhooks.onError((error) => {
        errors.push(error);
      });
      const handler = vi.fn();
      webhooks.onAny(handler);
      const app = express().use(makeParser(express)).use(webhooks);
      const delivery = signed();
      const contentType = parser.includes('urlencoded')
        ? 'application/x-www-form-urlencoded'
        : 'application/json';
      const res = await request(app)
        .post(PATH)
        .set({ ...delivery.headers, 'content-type': contentType })
        .send(delivery.body);
      expect(res.status).toBe(500);
      expect(res.body.error.code).toBe('RAW_BODY_UNAVAILABLE');
      expect(errors.map((e) => e.code)).toEqual(['RAW_BODY_UNAVAILABLE']);
      expect(handler).not.toHaveBeenCalled();
    });
  });

  it('leaves other routes to express.json() mounted after it', async () => {
    const webhooks = traxWebhooks(SECRET);
    const app = express()
      .use(webhooks)
      .use(express.json())
      .post('/api/echo', (req, res) => {
        res.json({ got: req.body });
      });
    const res = await request(app).post('/api/echo').send({ a: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ got: { a: 1 } });
  });
});
