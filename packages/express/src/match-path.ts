import type { IncomingMessage } from 'node:http';

/**
 * Normalises the `path` option: a leading slash, no trailing slash (except `/` itself).
 *
 * @throws {TypeError} naming the option
 */
export function normalisePath(path: unknown): string {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new TypeError('path option must be a string starting with "/"');
  }
  if (/[?#]/.test(path)) throw new TypeError('path option must not contain a query or a fragment');
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * True when the request is for `path`, with or without a trailing slash. Express rewrites
 * `req.url` to be relative to where the middleware is mounted, so `app.use('/hooks', webhooks)`
 * works; reading `req.url` (an own property) is also cheaper than the `req.path` getter and
 * works on plain Node and Connect.
 */
export function matchesPath(req: IncomingMessage, path: string): boolean {
  let url = req.url ?? '/';
  // An absolute-form target ("POST http://host/webhooks/trax", sent through some proxies).
  if (url.charCodeAt(0) !== 47 /* / */) url = URL.canParse(url) ? new URL(url).pathname : url;
  const query = url.indexOf('?');
  const requested = query === -1 ? url : url.slice(0, query);
  if (requested === path) return true;
  return (
    requested.length === path.length + 1 && requested.endsWith('/') && requested.startsWith(path)
  );
}
