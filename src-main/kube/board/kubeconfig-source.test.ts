import { describe, expect, it } from 'vitest';
import type { Result } from '../../common/result';
import type { LoadedKubeconfig } from '../kubeconfig';
import { KubeconfigSource } from './kubeconfig-source';
import { fakeLoadedKubeconfig } from './test-fakes';

const malformed: Result<LoadedKubeconfig> = {
  ok: false,
  error: { code: 'kubeconfig-invalid', message: 'kubeconfig /test/kubeconfig is not valid YAML (line 3)', hint: 'Fix the file, or choose another one in Settings.' },
};

function source(results: Result<LoadedKubeconfig>[], opts: { expectedPaths?: string[]; watch?: boolean } = {}) {
  const watched: string[][] = [];
  const src = new KubeconfigSource({
    load: () => results.shift() ?? malformed,
    onFilesChanged: () => undefined,
    watchFiles: (paths) => (watched.push([...paths]), () => undefined),
    ...opts,
  });
  return { src, watched };
}

describe('KubeconfigSource', () => {
  it('reports the files and warnings of a kubeconfig that loaded, and watches its files', () => {
    const loaded = { ...fakeLoadedKubeconfig(['mgmt']), warnings: [{ code: 'exec-plugin-missing' as const, context: 'mgmt', message: 'aws is not installed', hint: 'Install the AWS CLI.' }] };
    const { src, watched } = source([{ ok: true, value: loaded }]);
    expect(src.load()).toBe(loaded);
    expect(src.status.value).toEqual({ files: ['/test/kubeconfig'], warnings: [{ code: 'exec-plugin-missing', message: 'aws is not installed', hint: 'Install the AWS CLI.' }] });
    expect(watched).toEqual([['/test/kubeconfig']]);
    expect(src.error).toBeUndefined();
  });

  it('keeps the last good kubeconfig when a reload fails and shows the error with its hint', () => {
    const { src } = source([{ ok: true, value: fakeLoadedKubeconfig(['mgmt']) }, malformed]);
    const first = src.load();
    expect(src.load()).toBeUndefined();
    expect(src.loaded).toBe(first);
    expect(src.error?.code).toBe('kubeconfig-invalid');
    expect(src.status.value).toEqual({
      files: ['/test/kubeconfig'],
      error: { code: 'kubeconfig-invalid', message: 'kubeconfig /test/kubeconfig is not valid YAML (line 3)', hint: 'Fix the file, or choose another one in Settings.' },
      warnings: [],
    });
    expect(src.status.revision).toBe(2);
    src.load(); // the same failure again is not a change
    expect(src.status.revision).toBe(2);
  });

  it('watches the expected files while nothing loaded, so creating one recovers; or nothing when told not to', () => {
    const missing = source([], { expectedPaths: ['/home/me/.kube/config'] });
    missing.src.load();
    missing.src.load();
    expect(missing.watched).toEqual([['/home/me/.kube/config']]);
    const quiet = source([{ ok: true, value: fakeLoadedKubeconfig(['mgmt']) }], { watch: false });
    quiet.src.load();
    expect(quiet.watched).toEqual([]);
  });
});
