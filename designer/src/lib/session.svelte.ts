/**
 * The signed-in user, shared by every page: loaded once from `/auth/me`, set by the login page,
 * cleared on sign-out. Pages read `session.user`; `loadSession()` may be awaited many times.
 */
import { currentUser, login, logout, type User } from './api';

export const session = $state<{ user: User | null; loaded: boolean }>({ user: null, loaded: false });

let loading: Promise<User | null> | null = null;

/** The current user (asking the server once per page load); `null` when signed out. */
export function loadSession(): Promise<User | null> {
  if (session.loaded) return Promise.resolve(session.user);
  loading ??= currentUser()
    .then((user) => {
      session.user = user;
      session.loaded = true;
      return user;
    })
    .finally(() => {
      loading = null;
    });
  return loading;
}

/** Signs in and remembers the user. */
export async function signIn(loginName: string, password: string): Promise<User> {
  const user = await login(loginName, password);
  session.user = user;
  session.loaded = true;
  return user;
}

/** Signs out and forgets the user. */
export async function signOut(): Promise<void> {
  await logout();
  session.user = null;
  session.loaded = true;
}
