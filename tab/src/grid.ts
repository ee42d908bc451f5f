/**
 * A virtualised, keyboard-driven table: only the rows in view (plus a few) exist in the DOM, so 10,000
 * findings cost the same to show as 30. Rows have one fixed height; at most one row is expanded, and its
 * detail panel has a fixed height too, so every row's position is arithmetic, never measured.
 *
 * Keyboard (focus on the rows area): ↑/↓ move, PageUp/PageDown a screen, Home/End, Enter or Space expands
 * or collapses the active row, Escape collapses. The active row is announced via aria-activedescendant.
 */
import { clear, h } from './dom';

export interface Column<T> {
  key: string;
  title: string;
  /** CSS grid track, e.g. "7rem" or "minmax(12rem, 2fr)". */
  width: string;
  cell(row: T): Node | string;
  /** Full text shown as a tooltip when the cell is cut. */
  tooltip?(row: T): string;
  sortable?: boolean;
}

export interface GridOptions<T> {
  columns: Column<T>[];
  rowHeight: number;
  detailHeight: number;
  detail(row: T): Node;
  rowKey(row: T): number;
  label: string;
  onSort?(key: string): void;
  sort?: { key: string; descending: boolean };
}

const OVERSCAN = 6;

export class VirtualGrid<T> {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly head: HTMLElement;
  private rows: readonly T[] = [];
  private active = 0;
  private expanded = -1;
  private sort?: { key: string; descending: boolean };
  private readonly template: string;
  private readonly idPrefix = `mg-grid-${Math.random().toString(36).slice(2, 8)}`;
  /** Height of the rows area, kept by a ResizeObserver: reading clientHeight in render would force a layout of the whole page on every keystroke. */
  private viewHeight = 0;

  constructor(private readonly opts: GridOptions<T>) {
    this.sort = opts.sort;
    this.template = opts.columns.map((c) => c.width).join(' ');
    this.head = h('div', { class: 'grid-head', role: 'rowgroup' });
    this.canvas = h('div', { class: 'grid-canvas', role: 'presentation' });
    this.body = h('div', { class: 'grid-body', role: 'rowgroup', tabindex: 0, 'aria-label': `${opts.label}: use the arrow keys to move, Enter to expand` }, this.canvas);
    this.element = h('div', { class: 'grid', role: 'grid', 'aria-label': opts.label, 'aria-colcount': opts.columns.length }, this.head, this.body);
    this.body.addEventListener('scroll', () => this.render());
    new ResizeObserver(() => {
      const h = this.body.clientHeight;
      if (h !== this.viewHeight) {
        this.viewHeight = h;
        this.render();
      }
    }).observe(this.body);
    this.body.addEventListener('keydown', (e) => this.onKey(e));
    this.body.addEventListener('focus', () => this.render());
    this.renderHead();
  }

  setSort(sort: { key: string; descending: boolean }): void {
    this.sort = sort;
    this.renderHead();
  }

  /** New rows (after a filter or sort): back to the top, nothing expanded. */
  setRows(rows: readonly T[]): void {
    this.rows = rows;
    this.active = 0;
    this.expanded = -1;
    this.body.scrollTop = 0;
    this.element.setAttribute('aria-rowcount', String(rows.length + 1));
    this.render(0);
  }

  get activeIndex(): number {
    return this.active;
  }

  get expandedIndex(): number {
    return this.expanded;
  }

  private renderHead(): void {
    clear(this.head);
    const row = h('div', { class: 'grid-row grid-header-row', role: 'row', 'aria-rowindex': 1, style: `grid-template-columns:${this.template}` });
    for (const c of this.opts.columns) {
      const sorted = this.sort?.key === c.key;
      const ariaSort = sorted ? (this.sort!.descending ? 'descending' : 'ascending') : 'none';
      const inner = c.sortable
        ? h('button', { type: 'button', class: 'sort', 'data-sort': c.key, 'on:click': () => this.opts.onSort?.(c.key) }, c.title, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, sorted ? (this.sort!.descending ? ' ▼' : ' ▲') : ''))
        : c.title;
      row.appendChild(h('div', { class: 'grid-cell', role: 'columnheader', 'aria-sort': c.sortable ? ariaSort : undefined }, inner));
    }
    this.head.appendChild(row);
  }

  private top(i: number): number {
    return i * this.opts.rowHeight + (this.expanded >= 0 && i > this.expanded ? this.opts.detailHeight : 0);
  }

  private indexAt(y: number): number {
    const { rowHeight, detailHeight } = this.opts;
    if (this.expanded >= 0 && y > this.top(this.expanded) + rowHeight) y -= Math.min(detailHeight, y - this.top(this.expanded) - rowHeight);
    return Math.max(0, Math.min(this.rows.length - 1, Math.floor(y / rowHeight)));
  }

  private total(): number {
    return this.rows.length * this.opts.rowHeight + (this.expanded >= 0 ? this.opts.detailHeight : 0);
  }

  private rowId(i: number): string {
    return `${this.idPrefix}-${i}`;
  }

  render(scrollTop?: number): void {
    const { rowHeight, detailHeight } = this.opts;
    this.canvas.style.height = `${Math.max(this.total(), rowHeight)}px`;
    clear(this.canvas);
    if (this.rows.length === 0) {
      this.canvas.appendChild(h('div', { class: 'grid-empty', role: 'row' }, h('div', { role: 'gridcell' }, 'No finding matches these filters.')));
      this.body.removeAttribute('aria-activedescendant');
      return;
    }
    const viewTop = scrollTop ?? this.body.scrollTop;
    const viewHeight = this.viewHeight || 600;
    const first = Math.max(0, this.indexAt(viewTop) - OVERSCAN);
    const last = Math.min(this.rows.length - 1, this.indexAt(viewTop + viewHeight) + OVERSCAN);
    for (let i = first; i <= last; i++) {
      const row = this.rows[i];
      const isActive = i === this.active;
      const isOpen = i === this.expanded;
      const el = h('div', {
        id: this.rowId(i),
        class: `grid-row${isActive ? ' active' : ''}${isOpen ? ' open' : ''}`,
        role: 'row',
        'aria-rowindex': i + 2,
        'aria-selected': isActive ? 'true' : 'false',
        'aria-expanded': isOpen ? 'true' : 'false',
        'data-index': i,
        style: `top:${this.top(i)}px;height:${rowHeight}px;grid-template-columns:${this.template}`,
        'on:click': () => {
          this.active = i;
          this.toggle(i);
          this.body.focus({ preventScroll: true });
        },
      });
      for (const c of this.opts.columns) {
        const cell = h('div', { class: `grid-cell col-${c.key}`, role: 'gridcell' }, c.cell(row));
        const tip = c.tooltip?.(row);
        if (tip) cell.title = tip;
        el.appendChild(cell);
      }
      this.canvas.appendChild(el);
      if (isOpen) {
        this.canvas.appendChild(
          h('div', { class: 'grid-detail', role: 'row', style: `top:${this.top(i) + rowHeight}px;height:${detailHeight}px` }, h('div', { role: 'gridcell', class: 'grid-detail-cell' }, this.opts.detail(row))),
        );
      }
    }
    this.body.setAttribute('aria-activedescendant', this.rowId(this.active));
  }

  private toggle(i: number): void {
    this.expanded = this.expanded === i ? -1 : i;
    this.reveal(i);
    this.render();
  }

  /** Scrolls so that row i (and its detail panel, when open) is in view. */
  private reveal(i: number): void {
    const { rowHeight, detailHeight } = this.opts;
    const top = this.top(i);
    const bottom = top + rowHeight + (i === this.expanded ? detailHeight : 0);
    const h = this.viewHeight || 600;
    if (top < this.body.scrollTop) this.body.scrollTop = top;
    else if (bottom > this.body.scrollTop + h) this.body.scrollTop = Math.min(top, bottom - h);
  }

  private onKey(e: KeyboardEvent): void {
    if (this.rows.length === 0) return;
    const page = Math.max(1, Math.floor((this.viewHeight || 600) / this.opts.rowHeight) - 1);
    let next = this.active;
    switch (e.key) {
      case 'ArrowDown': next = this.active + 1; break;
      case 'ArrowUp': next = this.active - 1; break;
      case 'PageDown': next = this.active + page; break;
      case 'PageUp': next = this.active - page; break;
      case 'Home': next = 0; break;
      case 'End': next = this.rows.length - 1; break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.toggle(this.active);
        return;
      case 'Escape':
        if (this.expanded >= 0) {
          e.preventDefault();
          this.expanded = -1;
          this.render();
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    this.active = Math.max(0, Math.min(this.rows.length - 1, next));
    this.reveal(this.active);
    this.render();
  }
}
