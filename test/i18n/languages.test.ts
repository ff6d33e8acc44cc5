/**
 * Choosing a language: the public list with the system default (`DEFAULT_LANGUAGE`), an agent's
 * preference, a customer user's account language, and `Accept-Language` negotiation. PGlite, and
 * PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { negotiateLanguage } from '../../server/i18n/languages';
import { Client } from '../support/server';
import { databaseKinds } from '../support/db';
import { startHelpdesk, type Helpdesk } from '../support/tickets';

describe('Accept-Language', () => {
  it('picks the best shipped language by quality, else the fallback', () => {
    expect(negotiateLanguage('de-DE,de;q=0.9,en;q=0.8', 'en')).toBe('de');
    expect(negotiateLanguage('fr-FR, en;q=0.5, de;q=0.7', 'en')).toBe('de');
    expect(negotiateLanguage('fr', 'de')).toBe('de');
    expect(negotiateLanguage('de;q=0, en', 'de')).toBe('en');
    expect(negotiateLanguage(undefined, 'en')).toBe('en');
  });

  it('DEFAULT_LANGUAGE must be a shipped language', () => {
    expect(loadConfig({ DEFAULT_LANGUAGE: 'de' }).defaultLanguage).toBe('de');
    expect(() => loadConfig({ DEFAULT_LANGUAGE: 'xx' })).toThrow(/DEFAULT_LANGUAGE must be one of en, de/);
  });
});

describe.each(databaseKinds)('language choice on %s', (kind) => {
  let h: Helpdesk;
  beforeAll(async () => {
    h = await startHelpdesk(kind, { queues: { Sales: 'sales' }, agents: { ann: { sales: ['rw'] } }, customers: { carl: 'ACME' } });
  });
  afterAll(() => h?.close());

  it('tells anyone the languages and the default', async () => {
    const r = await new Client(h.srv.url).get('/api/v1/i18n');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ languages: ['en', 'de'], defaultLanguage: 'en' });
  });

  it("keeps an agent's language in the preferences", async () => {
    expect((await h.as.ann!.get('/api/v1/me/preferences')).body.language).toBe('auto');
    expect((await h.as.ann!.put('/api/v1/me/preferences', { language: 'de' })).body.language).toBe('de');
    expect((await h.as.ann!.put('/api/v1/me/language', { language: null })).body).toEqual({ language: null });
    expect((await h.as.ann!.get('/api/v1/me/preferences')).body.language).toBe('auto');
    const bad = await h.as.ann!.put('/api/v1/me/preferences', { language: 'fr' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('/language');
  });

  it("keeps a customer user's language with the account", async () => {
    expect((await h.as.carl!.get('/api/v1/auth/me')).body.user.language).toBeNull();
    expect((await h.as.carl!.put('/api/v1/me/language', { language: 'de' })).body).toEqual({ language: 'de' });
    expect((await h.as.carl!.get('/api/v1/auth/me')).body.user.language).toBe('de');
    const bad = await h.as.carl!.put('/api/v1/me/language', { language: 'klingon' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toMatch(/^\/language/);
  });
});
