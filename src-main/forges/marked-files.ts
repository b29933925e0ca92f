// Forge-neutral: which files of a repository snapshot may carry promotion markers, and how
// to pick them out of a forge's gzipped tarball (GitHub and GitLab both nest the tree under
// one root folder named after the project and revision).
import type { RepoTextFile } from './git-provider';
import { readTarGz } from './tar-reader';

export const isYamlPath = (path: string): boolean => /\.ya?ml$/i.test(path);

export function sortByPath(files: RepoTextFile[]): RepoTextFile[] {
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The YAML files of an archive whose text contains `needle`, with the archive's root folder dropped. */
export async function markedFilesFromArchive(gz: Buffer, needle: string): Promise<RepoTextFile[]> {
  const entries = await readTarGz(gz, (path) => isYamlPath(path));
  const out: RepoTextFile[] = [];
  for (const e of entries) {
    const slash = e.path.indexOf('/');
    const path = slash === -1 ? e.path : e.path.slice(slash + 1);
    if (!path) continue;
    const content = e.content.toString('utf8');
    if (!content.includes(needle)) continue;
    out.push({ path, content, mode: e.mode & 0o111 ? '100755' : '100644' });
  }
  return sortByPath(out);
}
