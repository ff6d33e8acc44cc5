/**
 * The customer's session in the portal, seen through the app-wide session (`$lib/session.svelte`,
 * loaded once from `/auth/me`): the cookie is the same as the agent interface's, so a signed-in
 * agent is `other` here — for the portal that counts as signed out, and the pages say so.
 */
import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import { page } from '$app/state';
import { request, setCsrfToken, type SecondFactorAnswer, type User } from '$lib/api';
import { loadSession, session, signOut } from '$lib/session.svelte';

/** A customer user as `/auth/customer/login` and `/auth/me` describe them. */
export interface CustomerUser extends User {
  kind: 'customer';
  customerId: string;
  /** May see the tickets of the whole company (not only their own). */
  companyTickets: boolean;
}

/** The signed-in customer (`user`), or the agent found instead (`other`); derived from the app session. */
export const portalSession = {
  get user(): CustomerUser | null {
    return session.user?.kind === 'customer' ? (session.user as CustomerUser) : null;
  },
  get other(): User | null {
    return session.user && session.user.kind !== 'customer' ? session.user : null;
  },
  get loaded(): boolean {
    return session.loaded;
  },
};

/** The signed-in customer (asking the server once per page load); `null` when signed out or an agent. */
export async function loadCustomer(): Promise<CustomerUser | null> {
  await loadSession();
  return portalSession.user;
}

/** Signs a customer in with their email address and password; a login with a second factor answers its challenge instead. */
export async function signInCustomer(email: string, password: string): Promise<CustomerUser | SecondFactorAnswer> {
  const answer = await request<{ user: CustomerUser; csrfToken: string | null } | SecondFactorAnswer>('POST', '/api/v1/auth/customer/login', { login: email, password });
  if ('secondFactor' in answer) return answer;
  setCsrfToken(answer.csrfToken);
  session.user = answer.user;
  session.loaded = true;
  return answer.user;
}

/** Ends the session (the customer's, or an agent's found in the portal) and forgets the user. */
export const signOutCustomer = signOut;

/** The session ended on its own (idle timeout, signed out elsewhere): forget the user. */
export function forgetCustomer(): void {
  setCsrfToken(null);
  session.user = null;
  session.loaded = true;
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
