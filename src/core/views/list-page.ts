/**
 * Long lists, one page at a time: every list a person can ask for (deadlines, cases, discussions,
 * the roster) is cut into pages in the core, so each page fits every platform however large the
 * team, and the buttons to move between pages are the same everywhere.
 */
import type { ActionView } from './message-view.ts';

/**
 * The most items a page with buttons on each item holds. Chosen so that a page, drawn as Slack
 * blocks (three an item at most, plus the header, the summary and the page buttons), stays well
 * inside Slack's 50 blocks, and as an Adaptive Card inside Teams' 28 KB.
 */
export const ITEMS_PER_PAGE = 10;

/** One page of a list. */
export interface ListPage<T> {
  items: T[];
  /** 1-based, within 1..pages. */
  page: number;
  pages: number;
  total: number;
}

/** The page `page` (clamped into range) of `all`. */
export function pageOf<T>(all: readonly T[], page: number, perPage = ITEMS_PER_PAGE): ListPage<T> {
  const pages = Math.max(1, Math.ceil(all.length / perPage));
  const current = Math.min(Math.max(1, Math.floor(Number.isFinite(page) ? page : 1)), pages);
  return { items: all.slice((current - 1) * perPage, current * perPage), page: current, pages, total: all.length };
}

/** "Previous" and "Next" buttons for a list, carrying `value` (its filter) along with the page. */
export function pagerActions(actionId: string, page: ListPage<unknown>, value: Record<string, string> = {}): ActionView[] {
  const actions: ActionView[] = [];
  if (page.page > 1) actions.push({ id: actionId, label: '◀ Previous', value: { ...value, page: String(page.page - 1) } });
  if (page.page < page.pages) actions.push({ id: actionId, label: 'Next ▶', value: { ...value, page: String(page.page + 1) } });
  return actions;
}

/** "page 2 of 9", or nothing for a single page. */
export function pageLabel(page: ListPage<unknown>): string | undefined {
  return page.pages > 1 ? `page ${page.page} of ${page.pages}` : undefined;
}
