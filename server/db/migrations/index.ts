/**
 * The ordered list of migrations. Add a new numbered file and one line here; never edit a
 * migration that has shipped.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001-identity';
import * as m0002 from './0002-ticket-catalogue';
import * as m0003 from './0003-helpdesk-core';
import * as m0006 from './0006-ticket-list-indexes';
import * as m0007 from './0007-processes';
import * as m0008 from './0008-webservices';
import * as m0009 from './0009-engine';
import * as m0010 from './0010-outbound-services';
import * as m0011 from './0011-incidents-timers';
import * as m0012 from './0012-process-stats';
import * as m0013 from './0013-agent-ui';
import * as m0014 from './0014-child-instances';
import * as m0015 from './0015-user-tasks';
import * as m0016 from './0016-portal';
import * as m0018 from './0018-default-ticket-owner';
import * as m0022 from './0022-mail-outbound';
import * as m0023 from './0023-mail-inbound';
import * as m0024 from './0024-notifications';
import * as m0025 from './0025-languages';
import * as m0026 from './0026-knowledge-base';
import * as m0027 from './0027-service-levels';
import * as m0031 from './0031-two-factor';
import * as m0032 from './0032-calendars';
import * as m0033 from './0033-statistics';
import * as m0042 from './0042-agent-account';

export const migrations: Record<string, Migration> = {
  '0001-identity': m0001,
  '0002-ticket-catalogue': m0002,
  '0003-helpdesk-core': m0003,
  '0006-ticket-list-indexes': m0006,
  '0007-processes': m0007,
  '0008-webservices': m0008,
  '0009-engine': m0009,
  '0010-outbound-services': m0010,
  '0011-incidents-timers': m0011,
  '0012-process-stats': m0012,
  '0013-agent-ui': m0013,
  '0014-child-instances': m0014,
  '0015-user-tasks': m0015,
  '0016-portal': m0016,
  '0018-default-ticket-owner': m0018,
  '0022-mail-outbound': m0022,
  '0023-mail-inbound': m0023,
  '0024-notifications': m0024,
  '0025-languages': m0025,
  '0026-knowledge-base': m0026,
  '0027-service-levels': m0027,
  '0031-two-factor': m0031,
  '0032-calendars': m0032,
  '0033-statistics': m0033,
  '0042-agent-account': m0042,
};
