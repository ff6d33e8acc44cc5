/**
 * The statistics API for the agent interface: definitions, running one with changed axes and
 * filters, reports with their schedules and runs, the dashboard widgets, and downloads with progress (CSV/Excel/PDF stream from the server; the row
 * count comes first in `X-Stat-Rows`).
 */
import { ApiError, request } from '$lib/api';
import type { StatResult } from './StatView.svelte';

export interface Axis {
  dimension: string;
  grain?: string;
  changeable?: boolean;
}
export interface Filter {
  dimension: string;
  values?: string[];
  from?: string;
  to?: string;
  changeable?: boolean;
}
export interface StatDefinition {
  format: 'stat/1';
  name: string;
  title?: string;
  description?: string;
  kind: 'matrix' | 'list' | 'static';
  timeZone?: string;
  x?: Axis;
  y?: Axis;
  measure?: 'count' | 'timeUnits';
  filters?: Filter[];
  columns?: string[];
  orderBy?: string;
  descending?: boolean;
  chart?: string;
  systemWide?: boolean;
  static?: string;
}
export interface Stat {
  id: number;
  name: string;
  kind: string;
  systemWide: boolean;
  shipped: boolean;
  definition: StatDefinition;
}
export interface Dimensions {
  dimensions: string[];
  timeDimensions: string[];
  grains: string[];
  columns: string[];
  charts: string[];
  dropdownFields: string[];
}
export interface RunParams {
  x?: Axis;
  y?: Axis;
  filters?: Filter[];
}
export interface ReportDefinition {
  format: 'report/1';
  name: string;
  title: string;
  headline?: string;
  preamble?: string;
  epilogue?: string;
  language?: 'en' | 'de';
  statistics: Array<{ statId: number; chart?: string }>;
  formats?: Array<'pdf' | 'xlsx'>;
  recipients?: string[];
  schedule?: { cron: string; timeZone?: string };
  enabled?: boolean;
}
export interface Report {
  id: number;
  definition: ReportDefinition;
  nextRunAt: string | null;
}
export interface ReportRun {
  id: number;
  trigger: 'manual' | 'schedule';
  status: 'done' | 'failed';
  error: string | null;
  recipients: string;
  startedAt: string;
  files: Array<{ id: number; filename: string; size: number }>;
}
export interface Widget {
  statId: number;
  name: string;
  chart: string;
  result: StatResult | null;
  error: string | null;
}

export const statsApi = {
  list: () => request<Stat[]>('GET', '/api/v1/stats'),
  dimensions: () => request<Dimensions>('GET', '/api/v1/stats/dimensions'),
  create: (def: StatDefinition) => request<Stat>('POST', '/api/v1/stats', def),
  run: (id: number, params: RunParams) => request<StatResult>('POST', `/api/v1/stats/${id}/run`, params),
  widgets: () => request<Widget[]>('GET', '/api/v1/stats/dashboard'),
  addWidget: (id: number, chart: string) => request<void>('PUT', `/api/v1/stats/dashboard/${id}`, { chart }),
  removeWidget: (id: number) => request<void>('DELETE', `/api/v1/stats/dashboard/${id}`),
};

export const reportsApi = {
  list: () => request<Report[]>('GET', '/api/v1/reports'),
  create: (def: ReportDefinition) => request<Report>('POST', '/api/v1/reports', def),
  update: (id: number, def: ReportDefinition) => request<Report>('PUT', `/api/v1/reports/${id}`, def),
  remove: (id: number) => request<void>('DELETE', `/api/v1/reports/${id}`),
  run: (id: number) => request<{ runId: number }>('POST', `/api/v1/reports/${id}/run`),
  runs: (id: number) => request<ReportRun[]>('GET', `/api/v1/reports/${id}/runs`),
};

/**
 * Downloads statistic `id` as `format`, calling `progress(received, total)` as the bytes arrive
 * (`total` rows from `X-Stat-Rows`, `received` rows counted by line ends for CSV), then hands the
 * file to the browser.
 */
export async function downloadStat(id: number, format: 'csv' | 'xlsx' | 'pdf', params: RunParams, progress: (rows: number, total: number | null) => void): Promise<void> {
  const q = Object.keys(params).length ? `?params=${encodeURIComponent(JSON.stringify(params))}` : '';
  const res = await fetch(`/api/v1/stats/${id}/output/${format}${q}`, { credentials: 'same-origin' });
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string; path?: string } } | null;
    throw new ApiError(res.status, body?.error?.code ?? 'DOWNLOAD_FAILED', body?.error?.message ?? `download failed (${res.status})`, body?.error?.path);
  }
  const total = res.headers.get('x-stat-rows') ? Number(res.headers.get('x-stat-rows')) : null;
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let rows = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    if (format === 'csv') for (const b of value) if (b === 10) rows++;
    progress(format === 'csv' ? Math.max(0, rows - 1) : 0, total);
  }
  const filename = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `statistic.${format}`;
  const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type: res.headers.get('content-type') ?? 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  progress(total ?? rows, total);
}
