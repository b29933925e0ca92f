import { describe, expect, it } from 'vitest';
import { updateUnsupportedReason } from './update-support';

const none = () => false;

describe('update support', () => {
  it('macOS and Windows installs update themselves', () => {
    expect(updateUnsupportedReason({ platform: 'darwin', env: {}, resourcesPath: '/r', exists: none })).toBeUndefined();
    expect(updateUnsupportedReason({ platform: 'win32', env: {}, resourcesPath: 'C:/r', exists: none })).toBeUndefined();
  });

  it('Linux: the AppImage and packaged installs do, an unpacked folder does not', () => {
    expect(updateUnsupportedReason({ platform: 'linux', env: { APPIMAGE: '/home/a/rb.AppImage' }, resourcesPath: '/r', exists: none })).toBeUndefined();
    expect(updateUnsupportedReason({ platform: 'linux', env: {}, resourcesPath: '/opt/Release Board/resources', exists: (f) => f === '/opt/Release Board/resources/package-type' })).toBeUndefined();
    expect(updateUnsupportedReason({ platform: 'linux', env: {}, resourcesPath: '/tmp/linux-unpacked/resources', exists: none })).toMatch(/cannot update itself/);
  });
});
