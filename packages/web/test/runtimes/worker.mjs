// A Cloudflare Worker: `export default { fetch }`, which workerd calls as (request, env, ctx).
import { createApp } from './app.mjs';

export default { fetch: createApp() };
