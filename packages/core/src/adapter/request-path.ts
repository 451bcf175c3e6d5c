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
 * True when a request target (`/webhooks/trax?x=1`, or the absolute form some proxies send,
 * `http://host/webhooks/trax`) is for `path`, with or without a trailing slash. Case-sensitive,
 * like Express and Fastify routes; the query is ignored.
 */
export function matchesPath(target: string, path: string): boolean {
  let url = target || '/';
  if (url.charCodeAt(0) !== 47 /* / */) url = URL.canParse(url) ? new URL(url).pathname : url;
  const query = url.indexOf('?');
  const requested = query === -1 ? url : url.slice(0, query);
  if (requested === path) return true;
  return (
    requested.length === path.length + 1 && requested.endsWith('/') && requested.startsWith(path)
  );
}
