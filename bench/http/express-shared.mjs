// What the Express HTTP benchmark's driver and servers agree on.
export const BENCH_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const BENCH_PATH = '/webhooks/trax';
