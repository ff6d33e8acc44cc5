/**
 * Every API router, in mounting order (more specific paths first: `/tickets/search` before
 * `/tickets/:id`). The OpenAPI document is generated from this same list.
 */
import { adminPasswordRouter } from './auth/admin-routes';
import { authRouter } from './auth/routes';
import { twoFactorRouter } from './auth/two-factor/routes';
import { calendarRouter } from './calendars/routes';
import { catalogRouters } from './catalog/routes';
import { chatRouter } from './chat/routes';
import { instanceListRouter } from './engine/instance-list-routes';
import { migrateRouter } from './engine/migrate-routes';
import { myDialogsRouter } from './engine/my-dialogs-routes';
import { processTicketRouters } from './engine/routes';
import { webserviceRouter } from './generic-interface/routes';
import { liveRouter } from './live/routes';
import { mailRouters } from './mail/routes';
import { mailPipeRouter } from './mail/inbound/pipe-routes';
import { notificationRouters } from './notifications/routes';
import { mailAdminRouter } from './mail/admin/routes';
import { preferenceRouter } from './preferences/routes';
import type { ApiRouter } from './http/api';
import { i18nRouters } from './i18n/routes';
import { incidentRouter } from './incidents/routes';
import { kbRouter } from './kb/routes';
import { outboundRouter } from './outbound/routes';
import { portalRouters } from './portal/routes';
import { processRouter } from './processes/routes';
import { processStatsRouter } from './processes/stats-routes';
import { processSimulateRouter } from './processes/simulate-routes';
import { scriptRouter } from './scripts/routes';
import { searchRouters } from './search/routes';
import { seedRouter } from './search/seed-routes';
import { statsRouter } from './stats/routes';
import { reportsRouter } from './stats/report-routes';
import { ticketRouters } from './tickets/routes';

export function apiRouters(): ApiRouter[] {
  return [authRouter(), twoFactorRouter(), adminPasswordRouter(), ...portalRouters(), ...searchRouters(), seedRouter(), ...mailRouters(), mailPipeRouter(), ...ticketRouters(), ...catalogRouters(), processRouter(), processStatsRouter(), processSimulateRouter(), webserviceRouter(), migrateRouter(), instanceListRouter(), ...processTicketRouters(), scriptRouter(), outboundRouter(), mailAdminRouter(), incidentRouter(), preferenceRouter(), ...i18nRouters(), myDialogsRouter(), ...notificationRouters(), kbRouter(), statsRouter(), reportsRouter(), calendarRouter(), chatRouter(), liveRouter()];
}
