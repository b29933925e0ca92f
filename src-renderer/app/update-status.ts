// What the status bar says about self-update, for every state main reports: checking,
// downloading (with progress), up to date, failed (with a retry), ready (with Restart).
// Nothing while updates do not apply here (the preview, a build that cannot update).
import type { UpdateState } from '../../src-main/common/update';

export interface UpdateStatus {
  text: string;
  tone: 'quiet' | 'busy' | 'error' | 'action';
  action?: 'restart' | 'retry';
}

const versionSuffix = (state: UpdateState) => (state.version ? ` ${state.version}` : '');

export function updateStatus(state: UpdateState | null): UpdateStatus | null {
  if (!state) return null;
  switch (state.state) {
    case 'checking':
      return { text: 'Checking for updates…', tone: 'busy' };
    case 'available':
      return { text: `Update${versionSuffix(state)} available — downloading…`, tone: 'busy' };
    case 'downloading': {
      const percent = state.percent === undefined ? '' : ` (${Math.max(0, Math.min(100, Math.round(state.percent)))}%)`;
      return { text: `Downloading update${versionSuffix(state)}${percent}`, tone: 'busy' };
    }
    case 'ready':
      return { text: `Update ready${state.version ? ` (${state.version})` : ''}`, tone: 'action', action: 'restart' };
    case 'error':
      return { text: `Update check failed${state.message ? `: ${state.message}` : ''}`, tone: 'error', action: 'retry' };
    case 'idle':
      return state.lastCheckedAt ? { text: 'Up to date', tone: 'quiet' } : null;
    case 'disabled':
      return null;
  }
}
