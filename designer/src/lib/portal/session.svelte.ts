/**
 * The customer's session in the portal: loaded once from `/auth/me`, set by the portal's login
 * page, cleared on sign-out. The cookie is the same as the agent interface's, so a signed-in agent
 * is `other` here: for the portal that counts as signed out, and the pages say so.
 * The app-wide session (`$lib/session.svelte`) is kept in step, so moving between the portal and
 * the agent pages never shows a stale user.
 */
import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import { page } from '$app/state';
import { currentUser, logout, request, setCsrfToken, type User } from '$lib/api';
import { session as appSession } from '$lib/session.svelte';

/** A customer user as `/auth/customer/login` and `/auth/me` describe them. */
export interface CustomerUser extends User {
  kind: 'customer';
  customerId: string;
  /** May see the tickets of the whole company (not only their own). */
  companyTickets: boolean;
}

export const portalSession = $state<{ user: CustomerUser | null; other: User | null; loaded: boolean }>({
  user: null,
  other: null,
  loaded: false,
});

function remember(user: User | null): void {
  portalSession.user = user?.kind === 'customer' ? { ...(user as CustomerUser), companyTickets: (user as CustomerUser).companyTickets === true } : null;
  portalSession.other = user && user.kind !== 'customer' ? user : null;
  portalSession.loaded = true;
  appSession.user = user;
  appSession.loaded = true;
}

let loading: Promise<CustomerUser | null> | null = null;

/** The signed-in customer (asking the server once per page load); `null` when signed out or an agent. */
export function loadCustomer(): Promise<CustomerUser | null> {
  if (portalSession.loaded) return Promise.resolve(portalSession.user);
  loading ??= currentUser()
    .then((user) => {
      remember(user);
      return portalSession.user;
    })
    .finally(() => {
      loading = null;
    });
  return loading;
}

/** Signs a customer in with their email address and password. */
export async function signInCustomer(email: string, password: string): Promise<CustomerUser> {
  const answer = await request<{ user: CustomerUser; csrfToken: string | null }>('POST', '/api/v1/auth/customer/login', { login: email, password });
  setCsrfToken(answer.csrfToken);
  remember(answer.user);
  return portalSession.user!;
}

/** Ends the session (the customer's, or an agent's found in the portal) and forgets the user. */
export async function signOutCustomer(): Promise<void> {
  await logout();
  remember(null);
}

/** The session ended on its own (idle timeout, signed out elsewhere): forget the user. */
export function forgetCustomer(): void {
  setCsrfToken(null);
  remember(null);
}

/** The portal's login page, coming back to `target` (default: where the browser is now). */
export function loginPath(target = page.url.pathname + page.url.search): string {
  return `${resolve('/portal/login')}?next=${encodeURIComponent(target)}`;
}

/**
 * For pages that need a customer: the signed-in customer, or `null` after sending the browser
 * to the portal login (which comes back here). A signed-in agent is sent there too; the login
 * page tells them the portal needs a customer account.
 */
export async function requireCustomer(): Promise<CustomerUser | null> {
  const user = await loadCustomer();
  if (user) return user;
  // eslint-disable-next-line svelte/no-navigation-without-resolve -- loginPath() resolves the path, the query says where to come back to
  await goto(loginPath(), { replaceState: true });
  return null;
}

/** Only portal paths are followed after login (never another site); otherwise the portal's start page. */
export function safeNext(target: string | null): string {
  const portal = resolve('/portal');
  return target && (target === portal || target.startsWith(`${portal}/`) || target.startsWith(`${portal}?`)) && !target.includes('\\') ? target : portal;
}
