/** The knowledge-base API as the agent UI, the portal and the public help pages call it. */
import { request } from '$lib/api';
import { m } from '$lib/i18n';

export type KbState = 'internal' | 'external' | 'public';

export interface KbCategory {
  id: number;
  parentId: number | null;
  name: string;
  articleCount: number;
  group?: string;
  customerVisible?: boolean;
  valid?: boolean;
  comment?: string;
}

export interface KbSummary {
  id: number;
  title: string;
  state: KbState;
  valid?: boolean;
  category?: string;
  categoryId: number;
  changedAt?: string;
  helpfulYes?: number;
  helpfulNo?: number;
  /** HTML: escaped text with the matches in <mark> (made safe by the server). */
  excerpt: string;
}

export interface KbArticle extends KbSummary {
  keywords: string;
  language: string;
  revision: number;
  symptom: string;
  problem: string;
  solution: string;
  body: string;
  comment?: string;
  createdBy?: string | null;
  changedBy?: string | null;
  myVote: boolean | null;
  attachments: { id: number; filename: string; contentType: string; size: number }[];
  links: { tickets: { id: number; tn: string; title: string }[]; articles: { id: number; title: string; state: KbState }[] };
}

export interface KbInput {
  title: string;
  categoryId: number;
  state: KbState;
  keywords?: string;
  valid?: boolean;
  language?: string;
  symptom?: string;
  problem?: string;
  solution?: string;
  body?: string;
  comment?: string;
  note?: string;
}

export interface KbRevision {
  revision: number;
  changedAt: string;
  changedBy: string | null;
  note: string;
  title: string;
  state: KbState;
}

export interface KbDiff {
  from: number;
  to: number;
  fields: { field: string; lines: { op: 'same' | 'add' | 'del'; text: string }[] }[];
}

export const KB_STATES: readonly KbState[] = ['internal', 'external', 'public'];

/** A state's short name in the reader's language: `internal` / `intern`. */
export function stateName(state: KbState): string {
  return { internal: m.kb_state_internal, external: m.kb_state_external, public: m.kb_state_public }[state]?.() ?? state;
}

/** A state with who reads it, for choosing: `public (everyone)` / `öffentlich (alle)`. */
export function stateLabel(state: KbState): string {
  return { internal: m.kb_state_label_internal, external: m.kb_state_label_external, public: m.kb_state_label_public }[state]?.() ?? state;
}

/** A section's heading: `Solution` / `Lösung`. */
export function sectionLabel(section: 'symptom' | 'problem' | 'solution' | 'body'): string {
  return { symptom: m.kb_section_symptom, problem: m.kb_section_problem, solution: m.kb_section_solution, body: m.kb_section_body }[section]();
}

/** The name of a field in a revision diff (as the server names it), in the reader's language. */
export function diffFieldLabel(field: string): string {
  const labels: Record<string, () => string> = {
    title: m.kb_title,
    state: m.kb_state,
    categoryId: m.kb_category,
    keywords: m.kb_keywords,
    valid: m.kb_valid,
    language: m.kb_language,
    symptom: m.kb_section_symptom,
    problem: m.kb_section_problem,
    solution: m.kb_section_solution,
    body: m.kb_section_body,
    comment: m.kb_internal_comment,
    attachments: m.attachments,
  };
  return labels[field]?.() ?? field;
}

export const kb = {
  categories: () => request<{ items: KbCategory[] }>('GET', '/api/v1/kb/categories').then((r) => r.items),
  list: (filters: { query?: string; categoryId?: number; state?: string; valid?: string; page?: number }) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') q.set(k, String(v));
    return request<{ items: KbSummary[]; total: number; more?: boolean; page: number; perPage: number }>('GET', `/api/v1/kb/articles?${q.toString()}`);
  },
  suggestions: (text: string, limit = 5) => request<{ items: KbSummary[] }>('GET', `/api/v1/kb/suggestions?${new URLSearchParams({ text, limit: String(limit) }).toString()}`).then((r) => r.items),
  get: (id: number) => request<KbArticle>('GET', `/api/v1/kb/articles/${id}`),
  create: (input: KbInput) => request<{ id: number }>('POST', '/api/v1/kb/articles', input),
  update: (id: number, input: KbInput) => request<void>('PUT', `/api/v1/kb/articles/${id}`, input),
  revisions: (id: number) => request<{ items: KbRevision[] }>('GET', `/api/v1/kb/articles/${id}/revisions`).then((r) => r.items),
  diff: (id: number, from: number, to: number) => request<KbDiff>('GET', `/api/v1/kb/articles/${id}/diff?${new URLSearchParams({ from: String(from), to: String(to) }).toString()}`),
  restore: (id: number, revision: number) => request<void>('POST', `/api/v1/kb/articles/${id}/revisions/${revision}/restore`),
  vote: (id: number, helpful: boolean) => request<{ helpfulYes: number; helpfulNo: number; myVote: boolean }>('POST', `/api/v1/kb/articles/${id}/vote`, { helpful }),
  solved: (id: number, subject: string) => request<void>('POST', `/api/v1/kb/articles/${id}/solved`, { subject }),
  linkTicket: (id: number, ticketId: number) => request<void>('POST', `/api/v1/kb/articles/${id}/links`, { ticketId }),
  insertion: (id: number, ticketId: number, format: 'text' | 'link') =>
    request<{ articleId: number; title: string; text: string; url: string; customerMaySee: boolean; attachments?: { id: number; filename: string; contentType: string; size: number; inline: boolean }[] }>('GET', `/api/v1/kb/articles/${id}/insert?${new URLSearchParams({ ticketId: String(ticketId), format }).toString()}`),
  ticketArticles: (ticketId: number) => request<{ items: KbSummary[] }>('GET', `/api/v1/kb/tickets/${ticketId}/articles`).then((r) => r.items),
  ticketSuggestions: (ticketId: number) => request<{ items: KbSummary[] }>('GET', `/api/v1/kb/tickets/${ticketId}/suggestions`).then((r) => r.items),
};

/** Categories in tree order with their depth, for indented lists. */
export function categoryTree(items: KbCategory[]): (KbCategory & { depth: number })[] {
  const out: (KbCategory & { depth: number })[] = [];
  const ids = new Set(items.map((c) => c.id));
  const walk = (parent: number | null, depth: number) => {
    for (const c of items.filter((x) => (parent === null ? x.parentId === null || !ids.has(x.parentId) : x.parentId === parent))) {
      out.push({ ...c, depth });
      walk(c.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Calls `fn` once typing pauses for `ms` milliseconds. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
