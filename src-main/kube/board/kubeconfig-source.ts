// The kubeconfig the board reads: loads it, keeps what the renderer shows about it
// (KubeconfigStatus: files, the load error with its hint, warnings), and watches its files so
// an edit, or creating a missing file, reloads it. A failed reload keeps the last good load:
// the error is shown, the board is not blanked.

import type { KubeconfigStatus } from '../../common/board';
import type { AppError, Result } from '../../common/result';
import { watchFiles } from '../file-watch';
import type { LoadedKubeconfig } from '../kubeconfig';
import { Versioned } from './versioned';

export interface KubeconfigSourceOptions {
  load: () => Result<LoadedKubeconfig>;
  /** Called when a watched file changed (after the debounce). */
  onFilesChanged: () => void;
  /** Watch the files (default true). */
  watch?: boolean | undefined;
  debounceMs?: number | undefined;
  /** Files to watch while nothing could be loaded, so creating one recovers. */
  expectedPaths?: string[] | undefined;
  watchFiles?: typeof watchFiles;
}

export class KubeconfigSource {
  readonly status = new Versioned<KubeconfigStatus | undefined>(undefined);
  private current: LoadedKubeconfig | undefined;
  private failure: AppError | undefined;
  private stopWatch: (() => void) | undefined;
  private watched = '';

  constructor(private readonly opts: KubeconfigSourceOptions) {}

  /** The last kubeconfig that loaded. */
  get loaded(): LoadedKubeconfig | undefined {
    return this.current;
  }

  /** Why the last load failed, if it did. */
  get error(): AppError | undefined {
    return this.failure;
  }

  /** Loads the kubeconfig; returns it when it loaded, undefined when it failed. */
  load(): LoadedKubeconfig | undefined {
    const result = this.opts.load();
    if (!result.ok) {
      this.failure = result.error;
      const { code, message, hint } = result.error;
      this.status.set({ files: this.current?.files ?? [], error: { code, message, hint: hint ?? '' }, warnings: this.status.value?.warnings ?? [] });
      if (!this.current && this.opts.expectedPaths?.length) this.watch(this.opts.expectedPaths);
      return undefined;
    }
    this.failure = undefined;
    this.current = result.value;
    this.status.set({ files: result.value.files, warnings: result.value.warnings.map((w) => ({ code: w.code, message: w.message, hint: w.hint })) });
    this.watch(result.value.location.paths);
    return result.value;
  }

  stop(): void {
    this.stopWatch?.();
    this.stopWatch = undefined;
  }

  private watch(paths: string[]): void {
    if (this.opts.watch === false || paths.join('\0') === this.watched) return;
    this.stopWatch?.();
    this.watched = paths.join('\0');
    this.stopWatch = (this.opts.watchFiles ?? watchFiles)(paths, () => this.opts.onFilesChanged(), { debounceMs: this.opts.debounceMs ?? 300 });
  }
}
