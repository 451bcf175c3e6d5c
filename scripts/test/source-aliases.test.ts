// Tests run against source (issue 11): the workspace packages resolve to their src entries.
import { existsSync } from 'node:fs';
import * as core from '@trax-webhooks/core';
import * as sender from '@trax-webhooks/sender';
import { describe, expect, it } from 'vitest';
import * as coreFromSource from '../../packages/core/src/index.ts';
import * as senderFromSource from '../../packages/sender/src/index.ts';
import { sourceAliases } from '../../test-support/source-aliases.ts';

describe('sourceAliases', () => {
  const aliases = sourceAliases();

  it('maps every export of every package to a src file that exists', () => {
    expect(aliases.length).toBeGreaterThan(8);
    for (const { replacement } of aliases) {
      expect(replacement).toMatch(/[\\/]packages[\\/][\w-]+[\\/]src[\\/]/);
      expect(existsSync(replacement)).toBe(true);
    }
  });

  it('matches a specifier exactly, so a package does not swallow its subpaths', () => {
    const match = (specifier: string) =>
      aliases.filter((a) => a.find.test(specifier)).map((a) => a.replacement);
    expect(match('@trax-webhooks/core')).toEqual([
      expect.stringMatching(/core[\\/]src[\\/]index\.ts$/),
    ]);
    expect(match('@trax-webhooks/core/contract')).toEqual([
      expect.stringMatching(/core[\\/]src[\\/]contract[\\/]index\.ts$/),
    ]);
    expect(match('@trax-webhooks/corex')).toEqual([]);
  });

  it('is what the tests import: the very module the source path loads, not dist', () => {
    expect(core.createTraxWebhooks).toBe(coreFromSource.createTraxWebhooks);
    expect(sender.sendDelivery).toBe(senderFromSource.sendDelivery);
  });
});
