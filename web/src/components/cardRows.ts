import type { Directive } from 'vue';

/**
 * `v-card-rows` on a <table>: on a phone (see styles.css) each row is drawn as a card of "label: value"
 * lines instead of a table scrolled sideways. The labels are the column headers, copied onto each cell
 * as `data-label` whenever the rows change; a cell spanning columns has none. The table keeps its
 * semantics (explicit roles, since a table drawn as blocks loses them in some browsers).
 */
function label(table: HTMLTableElement): void {
  table.setAttribute('data-card-rows', '');
  table.setAttribute('role', 'table');
  const headers = [...(table.tHead?.rows[0]?.cells ?? [])].map((cell) => cell.textContent?.replace(/\s+/g, ' ').trim() ?? '');
  for (const group of [table.tHead, ...table.tBodies]) group?.setAttribute('role', 'rowgroup');
  for (const cell of table.tHead?.rows[0]?.cells ?? []) cell.setAttribute('role', 'columnheader');
  for (const body of table.tBodies) {
    for (const row of body.rows) {
      row.setAttribute('role', 'row');
      let column = 0;
      for (const cell of row.cells) {
        cell.setAttribute('role', 'cell');
        const text = cell.colSpan > 1 ? '' : (headers[column] ?? '');
        if (cell.getAttribute('data-label') !== text) cell.setAttribute('data-label', text);
        column += cell.colSpan;
      }
    }
  }
  table.tHead?.rows[0]?.setAttribute('role', 'row');
}

const observers = new WeakMap<HTMLTableElement, MutationObserver>();

export const vCardRows: Directive<HTMLTableElement> = {
  mounted(table) {
    label(table);
    // Rows come and go (pages, filters, live updates), and headers change language.
    const observer = new MutationObserver(() => label(table));
    observer.observe(table, { childList: true, subtree: true, characterData: true });
    observers.set(table, observer);
  },
  unmounted(table) {
    observers.get(table)?.disconnect();
    observers.delete(table);
  },
};
