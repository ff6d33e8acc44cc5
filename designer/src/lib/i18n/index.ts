/**
 * The web interface's languages: `m` holds one typed function per message of the catalogues
 * (`designer/messages/<locale>.json`, compiled by Paraglide JS into `$lib/paraglide`), the rest
 * chooses the language and formats dates and numbers in it.
 *
 * @example
 * import { m, formatDateTime } from '$lib/i18n';
 * m.nav_dashboard()                 // 'Dashboard' / 'Übersicht'
 * m.tickets_count({ count: 3 })     // '3 tickets' / '3 Tickets'
 */
export { m } from '$lib/paraglide/messages';
export * from './catalogue';
export * from './format';
export * from './locale.svelte';
