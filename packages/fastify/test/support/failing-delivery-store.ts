import type { ClaimResult, DeliveryStore } from '@trax-webhooks/core';

/** A store whose backend is down: every call rejects, as a store over a dead connection would. */
export class FailingDeliveryStore implements DeliveryStore {
  claims = 0;

  async claim(_key: string, _token: string): Promise<ClaimResult> {
    this.claims += 1;
    throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
  }

  async complete(_key: string, _token: string): Promise<boolean> {
    throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
  }

  async release(_key: string, _token: string): Promise<boolean> {
    throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
  }
}
