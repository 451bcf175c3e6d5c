import type { FastifyInstance } from 'fastify';

export interface SendOptions {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** Sent as it is; a Buffer is sent without a content-type unless `headers` names one. */
  body?: string | Buffer;
}

export interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
  json: () => AnswerBody;
}

/** The JSON core answers with. */
export interface AnswerBody {
  ok: boolean;
  duplicate?: boolean;
  accepted?: boolean;
  error?: { code: string; message: string };
}

/** How a test reaches the app: Fastify's in-process inject, or a real socket. */
export interface Transport {
  name: string;
  /** Readies the app (listens, for the socket transport) and returns its client. */
  start(app: FastifyInstance): Promise<(options: SendOptions) => Promise<Answer>>;
}

function answer(status: number, headers: Record<string, string | undefined>, text: string): Answer {
  return { status, headers, text, json: () => JSON.parse(text) as AnswerBody };
}

export const injectTransport: Transport = {
  name: 'inject',
  async start(app) {
    await app.ready();
    return async ({ method = 'POST', path = '/webhooks/trax', headers = {}, body }) => {
      const res = await app.inject({ method: method as 'POST', url: path, headers, payload: body });
      return answer(res.statusCode, res.headers as Record<string, string | undefined>, res.body);
    };
  },
};

export const listenTransport: Transport = {
  name: 'listening server',
  async start(app) {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    return async ({ method = 'POST', path = '/webhooks/trax', headers = {}, body }) => {
      const res = await fetch(address + path, { method, headers, body });
      return answer(res.status, Object.fromEntries(res.headers), await res.text());
    };
  },
};

export const transports: readonly Transport[] = [injectTransport, listenTransport];
