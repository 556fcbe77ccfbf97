const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/** The elements Tab can reach inside `container`, in order, leaving out hidden ones. */
export function focusableIn(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => !element.closest('[hidden], [inert]') && element.getClientRects().length > 0,
  );
}

/** Keeps Tab and Shift+Tab inside `container`: past the last element focus wraps to the first, and back. */
export function trapTab(event: KeyboardEvent, container: HTMLElement): void {
  if (event.key !== 'Tab') return;
  const elements = focusableIn(container);
  if (elements.length === 0) {
    event.preventDefault();
    container.focus();
    return;
  }
  const first = elements[0]!;
  const last = elements[elements.length - 1]!;
  const active = document.activeElement;
  const outside = !(active instanceof HTMLElement) || !container.contains(active) || active === container;
  if (event.shiftKey && (active === first || outside)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || outside)) {
    event.preventDefault();
    first.focus();
  }
}

/** Gives focus back to the element that had it before a panel or dialog opened, when it is still on the page. */
export function restoreFocus(opener: Element | null): void {
  if (opener instanceof HTMLElement && opener.isConnected && opener !== document.body) opener.focus();
}

/**
 * Where focus should go if `opener` leaves the page (its row was deleted): the same control in the next
 * row, else in the previous row, else the page's heading. Worked out while the rows are still there.
 */
export function focusFallbacks(opener: Element | null): HTMLElement[] {
  if (!(opener instanceof HTMLElement)) return [];
  const row = opener.closest<HTMLElement>('tr, li, [data-row]');
  // The row's other controls first, for a row that stays (a revoked key), then the neighbours.
  const candidates: HTMLElement[] = row ? focusableIn(row).filter((element) => element !== opener) : [];
  const testId = opener.getAttribute('data-test');
  for (const sibling of [row?.nextElementSibling, row?.previousElementSibling]) {
    if (!(sibling instanceof HTMLElement)) continue;
    const same = testId ? sibling.querySelector<HTMLElement>(`[data-test="${CSS.escape(testId)}"]`) : null;
    const control = same ?? focusableIn(sibling)[0];
    if (control) candidates.push(control);
  }
  const heading = document.querySelector<HTMLElement>('main h1');
  if (heading) candidates.push(heading);
  return candidates;
}

/**
 * Gives focus back to `opener` and keeps it off the page's body if the opener is then removed (the list
 * refetched after a delete): focus moves to the first fallback still on the page. Returns a stop function.
 */
export function restoreFocusAfterRemoval(opener: Element | null, fallbacks: HTMLElement[], watchMs = 5_000): () => void {
  restoreFocus(opener);
  const move = () => {
    if (opener instanceof HTMLElement && opener.isConnected) return false;
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return true;
    const target = fallbacks.find((element) => element.isConnected);
    if (!target) return false;
    if (target.tagName === 'H1' && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus();
    return true;
  };
  if (move()) return () => {};
  const observer = new MutationObserver(() => {
    if (move()) stop();
  });
  const timer = setTimeout(() => stop(), watchMs);
  function stop() {
    observer.disconnect();
    clearTimeout(timer);
  }
  observer.observe(document.body, { childList: true, subtree: true });
  return stop;
}
