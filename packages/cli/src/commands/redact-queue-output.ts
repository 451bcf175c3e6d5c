/**
 * What a queue command may print comes from Redis (a handler's error message) and from the
 * command line (a Redis URL with a password): both go through here. A URL keeps its host and
 * loses its credentials; known secret shapes and the values of the credential variables are
 * masked wherever they appear.
 */
export function createRedactor(env: Record<string, string | undefined>, redisUrl: string) {
  const known = [env.TRAX_WEBHOOK_SECRET, env.TRAX_API_KEY, passwordOf(redisUrl)].filter(
    (value): value is string => typeof value === 'string' && value.length >= 4,
  );
  return function redact(text: string): string {
    let out = text
      .replace(/\b(rediss?:\/\/)[^@\s/]*@/gi, '$1***@')
      .replace(/\bwhsec_[A-Za-z0-9+/=]+/g, 'whsec_***')
      .replace(/\bsk_(live|test)_[A-Za-z0-9_]+/g, 'sk_$1_***');
    for (const value of known) out = out.split(value).join('***');
    return out;
  };
}

/** The Redis URL as it may be shown: `redis://***@host:6379/0` when it carried credentials. */
export function displayRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '***';
      parsed.password = '';
    }
    return parsed.toString().replace('***:@', '***@');
  } catch {
    return 'the Redis URL (unreadable)';
  }
}

function passwordOf(url: string): string | undefined {
  try {
    const { password } = new URL(url);
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
