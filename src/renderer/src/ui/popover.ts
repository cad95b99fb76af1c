import type { KeyboardEvent, RefObject } from 'react';

/**
 * The keydown handler of a popover's root: Escape closes an open popover and gives the focus back
 * to the button that opened it, without letting the key reach the views behind.
 */
export function closePopoverOnEscape(open: boolean, close: () => void, button: RefObject<HTMLButtonElement | null>) {
  return (e: KeyboardEvent) => {
    if (e.key === 'Escape' && open) {
      e.preventDefault();
      e.stopPropagation();
      close();
      button.current?.focus();
    }
  };
}
