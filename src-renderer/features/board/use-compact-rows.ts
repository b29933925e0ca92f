// Whether the board shows compact rows (the toolbar's "Compact rows"): the parts that draw
// themselves differently there read it from here.
import { useAppStore } from '../../store/store';

export function useCompactRows(): boolean {
  return useAppStore((s) => s.density === 'compact');
}
