import { describe, expect, it } from 'vitest';
import { versionsOf } from './merged-promotions';
import { promotionBody, promotionTitle } from './promotion-plan';
import { rollbackBody, rollbackTitle } from './rollback-plan';

describe('versions of a merged promotion PR', () => {
  it('reads them back from the titles and bodies Release Board and the controller write', () => {
    const args = { ns: 'team', name: 'checkout', env: 'prod', version: '1.8.1', previous: ['1.8.0'], author: 'rm-alice', files: [] };
    expect(versionsOf(promotionTitle('team', 'checkout', 'prod', '1.8.1'), promotionBody(args))).toEqual({ version: '1.8.1', previousVersion: '1.8.0' });
    const rollback = rollbackBody({ ...args, version: '1.8.0', previous: ['1.8.1'], replaces: '1.8.1', reason: 'errors' });
    expect(versionsOf(rollbackTitle('team', 'checkout', 'prod', '1.8.0', '1.8.1'), rollback)).toEqual({ version: '1.8.0', previousVersion: '1.8.1' });
    expect(versionsOf('Bump things', 'no summary')).toEqual({});
  });

  it('keeps a digest-pinned revision whole', () => {
    expect(versionsOf('Promote team/ui in prod to v2.3.0@sha1:0123abc', '')).toEqual({ version: 'v2.3.0@sha1:0123abc' });
  });
});
