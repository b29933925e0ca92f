// electron-builder.yml must be valid for the electron-builder we ship with: validated
// against the JSON schema that electron-builder itself publishes (app-builder-lib/scheme.json),
// then checked for the release properties the schema cannot express: fuses, signing,
// notarization through the environment only, update-safe artifact names.
import { Ajv, type ValidateFunction } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
const configText = readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
const config = parse(configText) as Record<string, any>;

let check: ValidateFunction;
beforeAll(() => {
  // Compiling electron-builder's schema takes a second or more; do it once.
  check = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
});

function validate(candidate: unknown) {
  return { valid: check(candidate), errors: check.errors };
}

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Well-formedness of the element structure: every tag closed, in order (the plist parser is lenient). */
function xmlTagsBalance(xml: string): boolean {
  const body = xml
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!DOCTYPE[^>]*>/g, '');
  const stack: string[] = [];
  for (const match of body.matchAll(/<(\/?)([A-Za-z][\w.-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else stack.push(name!);
  }
  return stack.length === 0 && !/<(?![/A-Za-z])/.test(body);
}

describe('electron-builder.yml', () => {
  it('validates against electron-builder’s own schema', () => {
    const { valid, errors } = validate(config);
    expect(errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check is real: an unknown option or a misspelt fuse is rejected', () => {
    expect(validate({ ...config, notAnOption: true }).valid).toBe(false);
    expect(validate({ ...config, electronFuses: { ...config['electronFuses'], runAsNodeX: false } }).valid).toBe(false);
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

  it('uses one icon source big enough for electron-builder to derive icns, ico and the Linux set', () => {
    // electron-builder converts a PNG of at least 512×512 (256×256 for Windows) itself, so no
    // pre-built icns/ico is kept in the repo.
    const { width, height } = pngSize(path.join(root, 'assets/icon.png'));
    expect(width).toBe(height);
    expect(width).toBeGreaterThanOrEqual(512);
  });

  it('flips the security fuses in the packaged binary', () => {
    expect(config['electronFuses']).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
      resetAdHocDarwinSignature: true,
    });
    // Asar integrity only means something when the asar is built and its check not disabled.
    expect(config['disableAsarIntegrity']).toBeUndefined();
  });

  it('never starts the AppImage with --no-sandbox from its desktop entry', () => {
    expect(config['appImage']).toEqual({ executableArgs: [] });
  });

  it('registers the release-board:// link scheme', () => {
    expect(config['protocols']).toEqual([{ name: 'Release Board link', schemes: ['release-board'] }]);
  });

  it('signs macOS with the hardened runtime and a minimal, well-formed entitlements file', () => {
    const mac = config['mac'];
    expect(mac.hardenedRuntime).toBe(true);
    expect(mac.entitlements).toBe('assets/entitlements.mac.plist');
    expect(mac.entitlementsInherit).toBe('assets/entitlements.mac.plist');
    const file = path.join(root, mac.entitlements);
    const xml = readFileSync(file, 'utf8');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const plist = require('plist') as { parse(text: string): unknown };
    const parsed = plist.parse(xml) as Record<string, unknown>;
    expect(parsed).toEqual({ 'com.apple.security.cs.allow-jit': true });
    expect(xmlTagsBalance(xml)).toBe(true);
    // The balance check is real: a dropped closing tag is caught.
    expect(xmlTagsBalance(xml.replace('</dict>', ''))).toBe(false);
  });

  it('notarizes through environment variables only, never with credentials in the file', () => {
    expect(config['mac'].notarize).toBe(true);
    for (const key of ['appleId', 'appleIdPassword', 'teamId', 'cscLink', 'cscKeyPassword', 'certificatePassword', 'token']) {
      expect(configText).not.toMatch(new RegExp(`^\\s*${key}\\s*:`, 'm'));
    }
    expect(config['forceCodeSigning']).not.toBe(true); // unsigned local builds must still work
  });

  it('verifies Windows updates, and claims a publisher only in signed builds (set by the release workflow)', () => {
    const win = config['win'];
    // An unsigned build that names a publisher breaks every update (ERR_UPDATER_INVALID_SIGNATURE).
    expect(win.signtoolOptions?.publisherName).toBeUndefined();
    expect(win.verifyUpdateCodeSignature).not.toBe(false);
    // azureSignOptions and signtoolOptions are mutually exclusive in electron-builder 26.
    expect(win.azureSignOptions).toBeUndefined();
  });

  it('names every artifact with version and architecture and without spaces', () => {
    const names = [config['artifactName'], config['dmg']?.artifactName, config['nsis']?.artifactName, config['deb']?.artifactName].filter(Boolean);
    expect(names.length).toBeGreaterThanOrEqual(1);
    for (const name of names as string[]) {
      expect(name).toContain('${version}');
      expect(name).toContain('${arch}');
      expect(name).toMatch(/\.\$\{ext\}$/);
      expect(name).not.toMatch(/\s|\$\{productName\}/);
    }
  });

  it('publishes to GitHub Releases so electron-updater finds the update metadata', () => {
    const publish = ([] as Array<Record<string, unknown>>).concat(config['publish']);
    expect(publish[0]).toMatchObject({ provider: 'github' });
    expect(publish[0]!['owner']).toMatch(/^[\w.-]+$/);
    expect(publish[0]!['repo']).toMatch(/^[\w.-]+$/);
    expect(publish[0]!['token']).toBeUndefined();
  });
});
