// The one place that keeps credentials out of what the CLI prints. Every line the CLI writes —
// text, `--json`, stderr, usage errors, a crash's stack — goes through `redactText`, and every
// URL it shows through `redactUrl`. A URL that may rightly carry a password (a Redis URL) is
// shown redacted; a webhook or API URL with one is refused before this (parse-target-url.ts).

/** `scheme://userinfo@` anywhere in a text. */
const URL_USERINFO = /\b([a-z][a-z\d+.-]*:\/\/)[^\s/?#@]*@/gi;
/** TRaX live API keys and webhook secrets, by their prefixes, wherever they turn up. */
const KNOWN_SECRETS = /\b(sk_live_|whsec_)[\w+/=-]+/g;
/** Values shorter than this are not searched for: hiding "a" would mangle every line. */
const MIN_HIDDEN_LENGTH = 6;

/**
 * A URL as people may see it: any `user:password@` becomes `***@`, and a query string (where
 * tokens live) becomes `?…`. Text that is not a URL is redacted as free text.
 *
 * @example
 * ```ts
 * redactUrl('redis://default:s3cret@cache:6379/0'); // 'redis://***@cache:6379/0'
 * ```
 */
export function redactUrl(url: string | URL): string {
  let shown: URL;
  try {
    shown = new URL(url);
  } catch {
    return redactText(String(url));
  }
  if (shown.username || shown.password) {
    shown.username = '***';
    shown.password = '';
  }
  // Set as text, not through `search`, which would percent-encode the ellipsis.
  const query = shown.search ? '?…' : '';
  shown.search = '';
  shown.hash = '';
  return redactText(`${shown.toString()}${query}`);
}

/**
 * A text with the userinfo of every URL in it replaced by `***`, every `sk_live_…` key and
 * `whsec_…` secret cut to its prefix, and every one of `hidden` (the secret and the API key in
 * use, whatever they look like) replaced by `***`.
 *
 * @example
 * ```ts
 * redactText('connect to http://u:pw@host failed', ['sk_live_123456']); // 'connect to http://***@host failed'
 * ```
 */
export function redactText(text: string, hidden: Iterable<string> = []): string {
  let result = text.replace(URL_USERINFO, '$1***@').replace(KNOWN_SECRETS, '$1***');
  for (const value of hidden) {
    if (value.length >= MIN_HIDDEN_LENGTH) result = result.replaceAll(value, '***');
  }
  return result;
}
