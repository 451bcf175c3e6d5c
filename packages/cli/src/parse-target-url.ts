import { UsageError } from './usage-error.js';

/**
 * Checks a URL flag: absolute http(s). The error does not repeat the value, which may carry
 * credentials (`https://user:pass@…`).
 */
export function parseTargetUrl(text: string | undefined, flag: string, example: string): URL {
  if (text === undefined || text === '')
    throw new UsageError(`${flag} is required, e.g. ${flag} ${example}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `${flag} is not a valid URL; give an absolute http(s) URL such as ${example}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${flag} must be an http:// or https:// URL, such as ${example}`);
  }
  return url;
}

/** The URL to show people: credentials and query string (tokens live there) hidden. */
export function displayUrl(url: URL): string {
  const shown = new URL(url);
  if (shown.username || shown.password) {
    shown.username = '***';
    shown.password = '';
  }
  if (shown.search) shown.search = '?…';
  return shown.toString();
}
