// The height of a scrolling element, kept current as the window resizes: what a virtualised
// list needs to know how many rows to draw.
import { useLayoutEffect, useState, type RefObject } from 'react';

export function useViewportHeight(ref: RefObject<HTMLElement | null>, initial: number): number {
  const [height, setHeight] = useState(initial);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return height;
}
