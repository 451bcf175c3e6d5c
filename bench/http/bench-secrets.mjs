// What the HTTP comparisons' load generator and servers agree on. Bench-only secrets.
/** The Standard Webhooks secret (ours, the limit, svix, standardwebhooks). */
export const STANDARD_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
/** The plain secret of the GitHub-style (ours' preset, octokit) and Stripe deliveries. */
export const PLAIN_SECRET = 'bench-plain-secret-9f3c2a7d1e';
export const PATH = '/webhooks/trax';
