import { describe, expect, it } from 'vitest';
import { diffPromotionMarkers, parseMarkerComment, parsePromotionMarkers, promotionsFromChangedFiles } from './markers';

const M = (env: string) => `# {"$promotion": "team-payments:checkout:${env}"}`;

describe('parsePromotionMarkers', () => {
  it('reads quoted, single-quoted, plain, nested and list-item marked scalars', () => {
    const text = [
      'spec:',
      '  chart:',
      '    spec:',
      `      version: "1.8.2" ${M('dev')}`,
      `      other: '2.0.0' ${M('qa')}`,
      'release:',
      '  chart:',
      `    version: 3.1.4 ${M('staging')}`,
      'images:',
      `  - newTag: v9.9.9 ${M('prod')}`,
      `  - "7.0.0" ${M('canary')}`,
      '  plain: 1.0.0 # an ordinary comment',
      `  quoted: "has # hash" ${M('edge')}`,
    ].join('\n');
    expect(parsePromotionMarkers(text).map((m) => [m.env, m.key, m.value, m.line])).toEqual([
      ['dev', 'version', '1.8.2', 3],
      ['qa', 'other', '2.0.0', 4],
      ['staging', 'version', '3.1.4', 7],
      ['prod', 'newTag', 'v9.9.9', 9],
      ['canary', null, '7.0.0', 10],
      ['edge', 'quoted', 'has # hash', 12],
    ]);
    expect(parsePromotionMarkers(text)[0]).toMatchObject({ namespace: 'team-payments', name: 'checkout' });
  });

  it('ignores markers inside quoted strings, malformed markers and markers without a value', () => {
    const text = [
      'a: "# {\\"$promotion\\": \\"x:y:z\\"}"',
      'b: 1.0.0 # {"$promotion": "only:two"}',
      'c: 1.0.0 # {"$promotion": 42}',
      'd: 1.0.0 # {$promotion: "x:y:z"}',
      `e: ${M('dev')}`,
      `f: 1.0.0#${M('dev').slice(1)}`,
    ].join('\n');
    expect(parsePromotionMarkers(text)).toEqual([]);
  });

  it('accepts whitespace variants of the marker JSON', () => {
    expect(parseMarkerComment(' {"$promotion":"a:b:c"} ')).toEqual({ namespace: 'a', name: 'b', env: 'c' });
    expect(parseMarkerComment('{ "$promotion" : "a:b:c" }')).toEqual({ namespace: 'a', name: 'b', env: 'c' });
    expect(parseMarkerComment('{"promotion": "a:b:c"}')).toBeNull();
  });
});

describe('diffPromotionMarkers', () => {
  const before = [`version: "1.8.1" ${M('prod')}`, `tag: 1.8.1 ${M('staging')}`, 'replicas: 2'].join('\n');

  it('reports only the markers whose value changed', () => {
    const after = before.replace('"1.8.1"', '"1.8.2"').replace('replicas: 2', 'replicas: 3');
    expect(diffPromotionMarkers(before, after)).toEqual([{ namespace: 'team-payments', name: 'checkout', env: 'prod', from: '1.8.1', to: '1.8.2' }]);
  });

  it('treats a quoting-only change as no promotion', () => {
    expect(diffPromotionMarkers(before, before.replace('"1.8.1"', '1.8.1'))).toEqual([]);
  });

  it('ignores added and deleted files and markers that appear or disappear', () => {
    expect(diffPromotionMarkers(null, before)).toEqual([]);
    expect(diffPromotionMarkers(before, null)).toEqual([]);
    expect(diffPromotionMarkers('a: 1', `a: 2 ${M('dev')}`)).toEqual([]);
  });

  it('pairs repeated markers by order', () => {
    const two = [`a: 1.0.0 ${M('prod')}`, `b: 1.0.0 ${M('prod')}`].join('\n');
    const changed = [`a: 1.0.0 ${M('prod')}`, `b: 2.0.0 ${M('prod')}`].join('\n');
    expect(diffPromotionMarkers(two, changed)).toEqual([{ namespace: 'team-payments', name: 'checkout', env: 'prod', from: '1.0.0', to: '2.0.0' }]);
  });
});

describe('promotionsFromChangedFiles', () => {
  it('returns one promotion per marker across files, with the path that carried it', () => {
    const file = (v: string) => `version: "${v}" ${M('staging')}\n`;
    const result = promotionsFromChangedFiles([
      { path: 'apps/checkout/staging/mgmt/hr.yaml', before: file('1.0.0'), after: file('1.1.0') },
      { path: 'apps/checkout/staging/staging-eu/hr.yaml', before: file('1.0.0'), after: file('1.1.0') },
      { path: 'README.md', before: 'old', after: 'new' },
      { path: 'apps/checkout/new.yaml', before: null, after: file('9.9.9') },
    ]);
    expect(result).toEqual([{ namespace: 'team-payments', name: 'checkout', env: 'staging', from: '1.0.0', to: '1.1.0', path: 'apps/checkout/staging/staging-eu/hr.yaml' }]);
  });
});
