/**
 * The signed-in user, shared by every page: loaded once from `/auth/me`, set by the login page,
 * cleared on sign-out. Pages read `session.user`; `loadSession()` may be awaited many times.
 */
import { currentUser, login, logout, type SecondFactorAnswer, type User } from './api';

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

/** Signs in and remembers the user; a login with a second factor answers its challenge instead. */
export async function signIn(loginName: string, password: string): Promise<User | SecondFactorAnswer> {
  const answer = await login(loginName, password);
  if ('secondFactor' in answer) return answer;
  signedIn(answer);
  return answer;
}

/** Remembers the user of a finished login (also after its second step). */
export function signedIn(user: User): void {
  session.user = user;
  session.loaded = true;
}

/** Signs out and forgets the user. */
export async function signOut(): Promise<void> {
  await logout();
  session.user = null;
  session.loaded = true;
}
