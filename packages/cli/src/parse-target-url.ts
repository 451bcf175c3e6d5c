import { UsageError } from './usage-error.js';

/**
 * Checks a URL flag: absolute http(s), without credentials. The error does not repeat the
 * value, which may carry them. `why` says how that endpoint authenticates instead.
 */
export function parseTargetUrl(
  text: string | undefined,
  flag: string,
  example: string,
  why = 'fetch refuses them',
): URL {
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
  if (url.username !== '' || url.password !== '') {
    throw new UsageError(
      `${flag} must not contain credentials (user:password@): ${why}, and the URL would end up in logs`,
    );
  }
  return url;
}
