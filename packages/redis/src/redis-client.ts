import type { Cluster, Redis } from 'ioredis';

/**
 * The ioredis clients the stores accept: a single node (`new Redis(url)`) or a Cluster
 * (`new Cluster(nodes)`). ioredis is a peer dependency; only its types are imported here.
 */
export type RedisClient = Redis | Cluster;
