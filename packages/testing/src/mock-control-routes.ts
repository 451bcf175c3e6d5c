import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody, readJsonBody, sendJson } from './http-io.js';
import type { InjectFaultOptions } from './mock-fault.js';
import type { MockTraxApi } from './start-mock-trax-api.js';

/**
 * Scripting over HTTP, for `trax-webhooks mock-api` and other processes (no auth: the mock
 * binds to loopback). Every route is under `/_mock/`:
 *
 * - `POST /_mock/studios/{id}/live` (optional JSON `{ encoderStreamId, liveStartedAt, mode }`)
 * - `POST /_mock/studios/{id}/offline`
 * - `GET /_mock/studios/{id}`, `DELETE /_mock/studios/{id}` (then stream-status answers 404)
 * - `POST /_mock/faults` (JSON as `injectFault()` takes), `DELETE /_mock/faults`
 * - `GET /_mock/requests`
 */
export async function handleControlRoute(
  api: MockTraxApi,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) {
  const method = req.method ?? 'GET';
  try {
    const studio = /^\/_mock\/studios\/([^/]+)(?:\/(live|offline))?$/.exec(path);
    if (studio) {
      const id = decodeURIComponent(studio[1]!);
      const action = studio[2];
      if (action === 'live' && method === 'POST')
        return sendJson(res, 200, api.goLive(id, (await readJsonBody(req)) as object));
      if (action === 'offline' && method === 'POST') return sendJson(res, 200, api.goOffline(id));
      if (!action && method === 'GET') return sendJson(res, 200, api.status(id));
      if (!action && method === 'DELETE') {
        api.removeStudio(id);
        return sendJson(res, 200, { removed: id });
      }
    }
    if (path === '/_mock/faults' && method === 'POST') {
      const fault = api.injectFault((await readJsonBody(req)) as InjectFaultOptions);
      return sendJson(res, 201, {
        fault: fault.fault,
        studioId: fault.studioId ?? null,
        remaining: Number.isFinite(fault.remaining) ? fault.remaining : null,
      });
    }
    if (path === '/_mock/faults' && method === 'DELETE') {
      api.clearFaults();
      return sendJson(res, 200, { cleared: true });
    }
    if (path === '/_mock/requests' && method === 'GET') return sendJson(res, 200, api.requests);
    return sendJson(res, 404, errorBody('not_found', `No mock control route ${method} ${path}.`));
  } catch (error) {
    // Bad JSON or bad options: say what is wrong (these messages carry no secrets).
    return sendJson(
      res,
      400,
      errorBody('bad_request', error instanceof Error ? error.message : 'Bad request.'),
    );
  }
}
