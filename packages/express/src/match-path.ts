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
 * True when the request is for `path`, with or without a trailing slash. Express's `req.path`
 * is relative to where the middleware is mounted, so `app.use('/hooks', webhooks)` works;
 * a plain Node or Connect request falls back to its URL.
 */
export function matchesPath(req: IncomingMessage, path: string): boolean {
  let requested = (req as { path?: unknown }).path;
  if (typeof requested !== 'string') {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    requested = query === -1 ? url : url.slice(0, query);
  }
  const p = requested as string;
  if (p === path) return true;
  return p.length === path.length + 1 && p.endsWith('/') && p.startsWith(path);
}
