/**
 * One knowledge-base search as a page holds it — the category tree, the query, the chosen category,
 * the results with their count — shared by the agents' KB page and the portal/public KbBrowser.
 * Typing searches once it pauses (debounced); an answer that arrives after a newer one was asked
 * for is dropped, so a slow early search never overwrites the later one.
 *
 * @example
 * const search = new KbSearch(() => ({ state: stateFilter }));
 * onMount(() => search.start());
 * <input bind:value={search.query} oninput={search.later} />
 */
import { errorMessage } from '$lib/api';
import { m } from '$lib/i18n';
import { categoryTree, debounce, kb, type KbCategory, type KbSummary } from './kb';

export class KbSearch {
  categories = $state<(KbCategory & { depth: number })[]>([]);
  query = $state('');
  categoryId = $state<number | undefined>(undefined);
  items = $state<KbSummary[]>([]);
  total = $state(0);
  more = $state(false);
  error = $state('');
  /** Searches once typing pauses for a quarter of a second. */
  readonly later = debounce(() => void this.load(), 250);
  #asked = 0;
  readonly #filters: () => { state?: string; valid?: string };

  /** `filters`: the page's further filters (state, valid …), read at each search. */
  constructor(filters: () => { state?: string; valid?: string } = () => ({})) {
    this.#filters = filters;
  }

  /** Loads the category tree and the first results. */
  async start(): Promise<void> {
    try {
      this.categories = categoryTree(await kb.categories());
    } catch (e) {
      this.error = errorMessage(e);
    }
    await this.load();
  }

  /** Searches now with the current query, category and filters. */
  async load(): Promise<void> {
    const asked = ++this.#asked;
    try {
      const r = await kb.list({ query: this.query.trim(), categoryId: this.categoryId, ...this.#filters() });
      if (asked !== this.#asked) return;
      this.items = r.items;
      this.total = r.total;
      this.more = r.more ?? false;
      this.error = '';
    } catch (e) {
      if (asked === this.#asked) this.error = errorMessage(e);
    }
  }

  /** Shows one category (undefined: all). */
  choose(categoryId: number | undefined): void {
    this.categoryId = categoryId;
    void this.load();
  }

  /** "12 articles", or "more than 200 articles" when the server stopped counting. */
  get countText(): string {
    return this.more ? m.kb_article_count_more({ count: this.total }) : m.kb_article_count({ count: this.total });
  }
}
