// The change-request words of the forge behind a strategy provider, from the capabilities main
// published (store: forgeCapabilities). Memoized so a board of many cells builds them once per
// provider change, not per render.
import { useMemo } from 'react';
import { useAppStore } from '../../store/store';
import { changeRequestWordsFor, type ChangeRequestWords } from './forge-capabilities';

export function useChangeRequestWords(strategyProvider: string | undefined): ChangeRequestWords {
  const list = useAppStore((s) => s.forgeCapabilities);
  return useMemo(() => changeRequestWordsFor(list, strategyProvider), [list, strategyProvider]);
}
