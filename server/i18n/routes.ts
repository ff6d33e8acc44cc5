/**
 * `GET /api/v1/i18n`: the languages the product speaks and the system default (public, so the
 * login and the portal's public pages can pick theirs), and `PUT /api/v1/me/language`: the caller's
 * own interface and mail language (a customer user's account; an agent's preference `language`).
 */
import { ApiRouter } from '../http/api';
import { PreferenceService } from '../preferences/service';
import { LANGUAGES, type Language } from './languages';

const languagesView = {
  type: 'object',
  additionalProperties: false,
  required: ['languages', 'defaultLanguage'],
  properties: {
    languages: { type: 'array', items: { enum: LANGUAGES } },
    defaultLanguage: { enum: LANGUAGES, description: '`DEFAULT_LANGUAGE`: used when the browser asks for none of `languages`' },
  },
} as const;

const languageBody = {
  type: 'object',
  additionalProperties: false,
  required: ['language'],
  properties: { language: { anyOf: [{ enum: LANGUAGES }, { type: 'null' }], description: 'null: follow the browser' } },
} as const;

const languageView = {
  type: 'object',
  additionalProperties: false,
  required: ['language'],
  properties: { language: { anyOf: [{ enum: LANGUAGES }, { type: 'null' }] } },
} as const;

export function i18nRouters(): ApiRouter[] {
  const info = new ApiRouter('/i18n', 'Languages');
  info.get('/', { summary: 'The languages of the interface and the system default', auth: 'none', responses: { 200: languagesView } }, (c) => ({
    languages: [...LANGUAGES],
    defaultLanguage: c.get('services').config.defaultLanguage,
  }));

  const me = new ApiRouter('/me', 'Languages');
  me.put<unknown, unknown, { language: Language | null }>(
    '/language',
    {
      summary: 'Choose my interface and mail language',
      description: "Customer users: kept with the account. Agents: the same as the preference `language` (`PUT /me/preferences`). `null` follows the browser's `Accept-Language`.",
      auth: 'any',
      body: languageBody,
      responses: { 200: languageView },
    },
    async (c, { body }) => {
      const access = c.get('access');
      const actor = access.requireActor();
      const services = c.get('services');
      if (actor.kind === 'agent') {
        const prefs = await new PreferenceService(services).update(access, { language: body.language ?? 'auto' });
        return { language: prefs.language === 'auto' ? null : prefs.language };
      }
      await services.database.db
        .updateTable('customer_users')
        .set({ language: body.language, changed_at: services.now() })
        .where('id', '=', actor.id)
        .execute();
      return { language: body.language };
    },
  );
  return [info, me];
}
