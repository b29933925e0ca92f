// electron-builder.yml must be valid for the electron-builder we ship with: validated
// against the JSON schema that electron-builder itself publishes (app-builder-lib/scheme.json).
import { Ajv } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>;

function validate(candidate: unknown) {
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  const check = ajv.compile(schema);
  return { valid: check(candidate), errors: check.errors };
}

describe('electron-builder.yml', () => {
  it('validates against electron-builder’s own schema', () => {
    const { valid, errors } = validate(config);
    expect(errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check is real: an unknown option is rejected', () => {
    expect(validate({ ...config, notAnOption: true }).valid).toBe(false);
  });

  it('keeps the baseline: id, name, asar, targets per platform, icons that exist', () => {
    expect(config['appId']).toMatch(/^[a-z0-9.]+$/);
    expect(config['productName']).toBe('Release Board');
    expect(config['asar']).toBe(true);
    expect(config['mac'].target).toEqual(['dmg', 'zip']);
    expect(config['win'].target).toEqual(['nsis']);
    expect(config['linux'].target).toEqual(['AppImage', 'deb']);
    for (const platform of ['mac', 'win', 'linux']) expect(existsSync(path.join(root, config[platform].icon))).toBe(true);
  });
});
