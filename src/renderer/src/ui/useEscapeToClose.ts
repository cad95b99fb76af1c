import { useEffect, useRef, type RefObject } from 'react';

/**
 * While `active`, Escape calls `onClose` (unless something inside handled the key first). With
 * `within`, only while that element is shown: a screen kept mounted in a hidden tab must not take
 * the Escape meant for what the user sees.
 */
export function useEscapeToClose(active: boolean, onClose: () => void, within?: RefObject<HTMLElement | null>): void {
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent) => {
      if (within && (!within.current || within.current.closest('[hidden]'))) return;
      if (event.key === 'Escape' && !event.defaultPrevented) {
        event.preventDefault();
        close.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, within]);
}
