// One fetch app, served unchanged by Bun, Deno and workerd (and Node in the handler tests):
// the deliveries each runtime verifies and handles, and what the test asks afterwards.
// It imports the built package, as a user's app does.
import { createWebHandler } from '../../dist/index.js';

/** The test signing secret (a test value, never a real one); test-support/fixtures.ts has the same. */
export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
/** Small, so a 413 needs little upload. */
export const BODY_LIMIT = 64 * 1024;

export function createApp() {
  /** deliveryId → how many times a handler ran for it. */
  const runs = {};
  let waitUntilCalls = 0;
  const count = (ctx) => {
    runs[ctx.deliveryId] = (runs[ctx.deliveryId] ?? 0) + 1;
  };

  const handler = createWebHandler({ secret: SECRET, bodyLimit: BODY_LIMIT });
  handler.onStreamLive((_event, ctx) => count(ctx));

  // ack: 'immediate' answers 202 and runs the handler after the answer, through waitUntil.
  const immediate = createWebHandler({ secret: SECRET, bodyLimit: BODY_LIMIT, ack: 'immediate' });
  immediate.onStreamLive(async (_event, ctx) => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    count(ctx);
  });

  return async function fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === '/__state') {
      const g = globalThis;
      return Response.json({
        runs,
        waitUntilCalls,
        runtime: {
          buffer: typeof g.Buffer,
          process: typeof g.process,
          getBuiltinModule: typeof g.process?.getBuiltinModule,
        },
      });
    }
    // Count the hand-overs, then pass them on to the platform's own waitUntil.
    const context = ctx && {
      waitUntil(promise) {
        waitUntilCalls++;
        ctx.waitUntil(promise);
      },
    };
    if (pathname === '/immediate') return immediate(request, env, context);
    return handler(request, env, context);
  };
}
