/**
 * Typed client of the outbound web services, `/api/v1/outbound-services` (shapes as in
 * server/outbound/schema.ts): list, read, create, replace, delete, and a test call of one operation.
 * The secret is write-only: views only say `auth.hasSecret`.
 */
import { request } from '../api';

const BASE = '/api/v1/outbound-services';
const enc = encodeURIComponent;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type AuthKind = 'none' | 'basic' | 'bearer' | 'apiKey';

export interface OutboundOperation {
  description?: string;
  method: HttpMethod;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  response?: { vars?: Record<string, string>; dynamicFields?: Record<string, string> };
  successStatuses?: number[];
}

export interface OutboundService {
  name: string;
  description: string;
  baseUrl: string;
  auth: { kind: AuthKind; user?: string; header?: string; hasSecret: boolean };
  headers: Record<string, string>;
  timeoutMs: number;
  retries: number;
  allowList: string[];
  operations: Record<string, OutboundOperation>;
  maxResponseBytes: number;
  createdAt: string;
  createdBy: string | null;
  changedAt: string;
  changedBy: string | null;
}

/** What a create or replace sends; `auth.secret` only when it changes. */
export interface OutboundInput {
  name?: string;
  description?: string;
  baseUrl: string;
  auth?: { kind: AuthKind; user?: string; header?: string; secret?: string };
  headers?: Record<string, string>;
  timeoutMs?: number;
  retries?: number;
  allowList?: string[];
  operations?: Record<string, OutboundOperation>;
  maxResponseBytes?: number;
}

export interface TestCallInput {
  operation: string;
  params?: Record<string, unknown>;
  vars?: Record<string, unknown>;
  ticket?: Record<string, unknown>;
}

export interface TestCallResult {
  ok: boolean;
  status?: number;
  durationMs: number;
  result?: { vars: Record<string, unknown>; dynamicFields: Record<string, unknown> };
  body?: unknown;
  error?: { code: string; message: string; retriable: boolean };
  excerpt?: string;
  request?: { method: string; url: string };
}

/** @example await listOutboundServices(); // [{ name: 'monitoring', operations: { lookup: {...} }, ... }] */
export const listOutboundServices = async (): Promise<OutboundService[]> => (await request<{ items: OutboundService[] }>('GET', BASE)).items;
export const getOutboundService = (name: string): Promise<OutboundService> => request('GET', `${BASE}/${enc(name)}`);
export const createOutboundService = (input: OutboundInput & { name: string }): Promise<OutboundService> => request('POST', BASE, input);
export const replaceOutboundService = (name: string, input: OutboundInput): Promise<OutboundService> => request('PUT', `${BASE}/${enc(name)}`, input);
export const deleteOutboundService = (name: string): Promise<void> => request('DELETE', `${BASE}/${enc(name)}`);
/** Calls one operation for real with sample input and reports what came back. */
export const testOutboundService = (name: string, input: TestCallInput): Promise<TestCallResult> => request('POST', `${BASE}/${enc(name)}/test`, input);
