import { traxWebhooks } from '@trax-webhooks/express';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { expressVersions, PATH, SECRET, signed } from './helpers.js';

describe.each(expressVersions)('%s: path and method handling', (_name, express) => {
  function appWith(webhooks: ReturnType<typeof traxWebhooks>, prefix?: string) {
    const app = express();
    if (prefix) app.use(prefix, webhooks);
    else app.use(webhooks);
    // What next() reaches: proves requests pass through untouched (the body is still readable).
    app.use(express.raw({ type: '*/*' }), (req, res) => {
      res.status(418).json({
        reached: 'next',
        method: req.method,
        path: req.path,
        bytes: Buffer.isBuffer(req.body) ? req.body.length : 0,
      });
    });
    return app;
  }

  it('answers POST on the default path /webhooks/trax', async () => {
    const delivery = signed();
    await request(appWith(traxWebhooks(SECRET)))
      .post(PATH)
      .set(delivery.headers)
      .send(delivery.body)
      .expect(200);
  });

  it('accepts a trailing slash and a query string', async () => {
    const app = appWith(traxWebhooks(SECRET));
    for (const url of [`${PATH}/`, `${PATH}?attempt=2`]) {
      const delivery = signed();
      const res = await request(app).post(url).set(delivery.headers).send(delivery.body);
      expect(res.status, url).toBe(200);
    }
  });

  it('matches an absolute-form request target', async () => {
    const { listen, close, rawExchange, statusOf, headerLines } = await import('./helpers.js');
    const { server, port } = await listen(appWith(traxWebhooks(SECRET)) as never);
    try {
      const delivery = signed();
      const headers = {
        ...delivery.headers,
        'content-length': String(Buffer.byteLength(delivery.body)),
        connection: 'close',
      };
      const exchange = await rawExchange(
        port,
        `POST http://127.0.0.1:${port}${PATH}?x=1 HTTP/1.1\r\nhost: 127.0.0.1\r\n${headerLines(headers)}\r\n`,
        [delivery.body],
      );
      expect(statusOf(exchange.response)).toBe(200);
    } finally {
      await close(server);
    }
  });

  it('hands every other path to next() with its body untouched', async () => {
    const app = appWith(traxWebhooks(SECRET));
    for (const url of ['/', '/webhooks', '/webhooks/trax/extra', '/webhooks/traxx', '/other']) {
      const res = await request(app).post(url).send('12345');
      expect(res.status, url).toBe(418);
      expect(res.body).toMatchObject({ reached: 'next', bytes: 5 });
    }
    const get = await request(app).get('/health');
    expect(get.status).toBe(418);
  });

  it('answers a custom path option instead of the default', async () => {
    const app = appWith(traxWebhooks({ secret: SECRET, path: '/hooks/trax-in/' }));
    const delivery = signed();
    await request(app).post('/hooks/trax-in').set(delivery.headers).send(delivery.body).expect(200);
    const atDefault = await request(app).post(PATH).set(delivery.headers).send(delivery.body);
    expect(atDefault.status).toBe(418);
  });

  it("answers under a mount prefix: app.use('/hooks', webhooks)", async () => {
    const app = appWith(traxWebhooks(SECRET), '/hooks');
    const delivery = signed();
    await request(app).post(`/hooks${PATH}`).set(delivery.headers).send(delivery.body).expect(200);
    const unprefixed = await request(app).post(PATH).set(delivery.headers).send(delivery.body);
    expect(unprefixed.status).toBe(418);
    const wrongMethod = await request(app).get(`/hooks${PATH}`);
    expect(wrongMethod.status).toBe(405);
  });

  it("answers at the mount point itself with path '/'", async () => {
    const app = appWith(traxWebhooks({ secret: SECRET, path: '/' }), '/incoming/trax');
    const delivery = signed();
    await request(app).post('/incoming/trax').set(delivery.headers).send(delivery.body).expect(200);
  });

  it('works inside an express.Router() mounted under a prefix', async () => {
    const router = express.Router();
    router.use(traxWebhooks(SECRET));
    const app = express().use('/api', router);
    const delivery = signed();
    await request(app).post(`/api${PATH}`).set(delivery.headers).send(delivery.body).expect(200);
  });

  it('works as a route handler: app.post(path, webhooks)', async () => {
    const webhooks = traxWebhooks(SECRET);
    const handler = vi.fn();
    webhooks.onStreamLive(handler);
    const app = express().post(PATH, webhooks);
    const delivery = signed();
    await request(app).post(PATH).set(delivery.headers).send(delivery.body).expect(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('answers 405 with Allow: POST for HEAD and OPTIONS too, and runs nothing', async () => {
    const webhooks = traxWebhooks(SECRET);
    const handler = vi.fn();
    webhooks.onAny(handler);
    const app = appWith(webhooks);
    for (const method of ['head', 'options'] as const) {
      const res = await request(app)[method](PATH);
      expect(res.status, method).toBe(405);
      expect(res.headers.allow).toBe('POST');
    }
    expect(handler).not.toHaveBeenCalled();
  });
});
