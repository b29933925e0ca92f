import { describe, expect, it } from 'vitest';
import { applyPromotionMarker, findMarkerComments, MarkerError, parseMarkerComment, promotionMarker } from './markers';

const KEY = 'team-payments:checkout:prod';
const M = promotionMarker('team-payments', 'checkout', 'prod');

describe('promotionMarker', () => {
  it("is the controller's exact comment", () => {
    expect(M).toBe('# {"$promotion": "team-payments:checkout:prod"}');
    expect(parseMarkerComment(M)).toBe(KEY);
  });

  it('does not take comments that merely look like markers', () => {
    expect(parseMarkerComment('# {"$promotion": "a:b:c"} (old)')).toBeUndefined();
    expect(parseMarkerComment('# "$promotion": "a:b:c"')).toBeUndefined();
    expect(parseMarkerComment('# {"$promotion": "a:b:c", "other": 1}')).toBeUndefined();
    expect(parseMarkerComment('# {"$promotion": 3}')).toBeUndefined();
    expect(parseMarkerComment('# see {"$promotion": "a:b:c"}')).toBeUndefined();
    expect(parseMarkerComment('#{"$promotion":"a:b:c"}')).toBe('a:b:c');
  });
});

describe('applyPromotionMarker', () => {
  it('replaces a double-quoted value and keeps every other byte', () => {
    const src = `spec:\n  chart:\n    spec:\n      chart: checkout\n      version: "1.8.1" ${M}\n      # a comment\n  values:  { a: 1 }\n`;
    const r = applyPromotionMarker(src, KEY, '1.8.2');
    expect(r.content).toBe(src.replace('"1.8.1"', '"1.8.2"'));
    expect(r.changes).toEqual([{ line: 5, before: `      version: "1.8.1" ${M}`, after: `      version: "1.8.2" ${M}` }]);
    expect(r.previousValues).toEqual(['1.8.1']);
  });

  it('keeps single quotes, escaping a quote the YAML way', () => {
    const src = `version: '1.0' ${M}\n`;
    expect(applyPromotionMarker(src, KEY, "2.0-it's").content).toBe(`version: '2.0-it''s' ${M}\n`);
  });

  it('keeps plain style when the new value reads back as the same string', () => {
    const src = `version: 1.8.1   ${M}\nother: 1.8.1\n`;
    const r = applyPromotionMarker(src, KEY, 'v1.9.0+build.7');
    expect(r.content).toBe(`version: v1.9.0+build.7   ${M}\nother: 1.8.1\n`);
  });

  it('quotes a plain value that would otherwise turn into a number or a boolean', () => {
    expect(applyPromotionMarker(`version: 1.8.1 ${M}\n`, KEY, '1.10').content).toBe(`version: "1.10" ${M}\n`);
    expect(applyPromotionMarker(`version: 1.8.1 ${M}\n`, KEY, 'true').content).toBe(`version: "true" ${M}\n`);
    expect(applyPromotionMarker(`version: 1.8.1 ${M}\n`, KEY, 'a: b').content).toBe(`version: "a: b" ${M}\n`);
  });

  it('preserves CRLF line endings, tabs before the comment and trailing content', () => {
    const src = `a: 1\r\nversion: "1.0"\t${M}\r\nb: 2 # keep\r\n`;
    const r = applyPromotionMarker(src, KEY, '1.1');
    expect(r.content).toBe(`a: 1\r\nversion: "1.1"\t${M}\r\nb: 2 # keep\r\n`);
    expect(r.changes[0]?.before).toBe(`version: "1.0"\t${M}`);
  });

  it('edits every marked scalar, in sequences and across documents, and only those for the env', () => {
    const staging = promotionMarker('team-payments', 'checkout', 'staging');
    const src = [
      'images:',
      `  - "3.2.0" ${M}`,
      `  - 3.2.0 ${staging}`,
      '---',
      'spec:',
      `  version: 3.2.0 ${M}`,
      `  note: 'text # {"$promotion": "team-payments:checkout:prod"}'`,
      `  other: 3.2.0 # {"$promotion": "team-payments:checkout:prod"} not a marker`,
      '',
    ].join('\n');
    const r = applyPromotionMarker(src, KEY, '3.3.0');
    expect(r.changes.map((c) => c.line)).toEqual([2, 6]);
    expect(r.content.split('\n')[1]).toBe(`  - "3.3.0" ${M}`);
    expect(r.content.split('\n')[2]).toBe(`  - 3.2.0 ${staging}`);
    expect(r.content.split('\n')[5]).toBe(`  version: 3.3.0 ${M}`);
    expect(r.content.split('\n').slice(6).join('\n')).toBe(src.split('\n').slice(6).join('\n'));
  });

  it('handles a value in a multi-line flow sequence', () => {
    const src = `tags: [\n  "1.0" ${M}\n]\n`;
    expect(applyPromotionMarker(src, KEY, '1.1').content).toBe(`tags: [\n  "1.1" ${M}\n]\n`);
  });

  it('handles an anchored value', () => {
    const src = `version: &v "1.0" ${M}\nagain: *v\n`;
    expect(applyPromotionMarker(src, KEY, '1.1').content).toBe(`version: &v "1.1" ${M}\nagain: *v\n`);
  });

  it('returns no change when the file has no marker for the key', () => {
    const src = `version: "1.0" ${promotionMarker('x', 'y', 'prod')}\n`;
    expect(applyPromotionMarker(src, KEY, '2.0')).toEqual({ content: src, changes: [], previousValues: [] });
  });

  it('returns no change when the value already is the version', () => {
    expect(applyPromotionMarker(`version: "2.0" ${M}\n`, KEY, '2.0').changes).toEqual([]);
  });

  const refuses = (src: string, pattern: RegExp, line?: number) => {
    let caught: unknown;
    try {
      applyPromotionMarker(src, KEY, '9.9.9');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MarkerError);
    expect((caught as MarkerError).message).toMatch(pattern);
    if (line !== undefined) expect((caught as MarkerError).line).toBe(line);
  };

  it('refuses markers it cannot edit safely, naming the line', () => {
    refuses(`a: 1\nversion: | ${M}\n  1.0\n`, /block scalar|does not follow/, 2);
    refuses(`base: &v 1.0\nversion: *v ${M}\n`, /alias/, 2);
    refuses(`version: ${M}\n  1.0\n`, /does not follow|empty/, 1);
    refuses(`${M}\nversion: 1.0\n`, /not on the same line/, 1);
    refuses(`image: {name: app, tag: "1.0"} ${M}\n`, /does not follow/, 1);
    refuses(`version: "1.0\n  continued" ${M}\n`, /multi-line|another line/);
  });

  it('refuses invalid YAML', () => {
    refuses(`a: [1, 2\nversion: "1.0" ${M}\n`, /not valid YAML/);
  });

  it('finds markers only in real comments', () => {
    const src = `a: "# {\\"$promotion\\": \\"x:y:z\\"}"\nb: |\n  # {"$promotion": "x:y:z"}\nc: 1 # {"$promotion": "x:y:z"}\n`;
    expect(findMarkerComments(src).map((m) => m.line)).toEqual([4]);
  });
});
