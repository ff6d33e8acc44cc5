/**
 * OTOBO transition actions (`Kernel::System::ProcessManagement::TransitionAction::<Name>` + `Config`)
 * → process/1 actions. Smart tags become templates. A setting naming something by database id, an
 * unknown module, or a configuration that does not make a valid action becomes an `Unsupported`
 * action, kept verbatim for the admin to fix.
 */
import type { Action } from '../model/actions';
import { DYNAMIC_FIELD_NAME } from '../model/fields';
import { actionErrors } from '../validation/schema-layer';
import { catalogueName } from './catalogue-ids';
import { convertTags } from './tags';
import { isRecord, str } from './values';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export interface ConvertedAction {
  action: Action;
  warnings: string[];
}

interface Mapping {
  type: Action['type'];
  /** OTOBO setting → our property. */
  props: Record<string, string>;
}

const SIMPLE: Record<string, Mapping> = {
  TicketQueueSet: { type: 'TicketQueueSet', props: { Queue: 'queue' } },
  TicketStateSet: { type: 'TicketStateSet', props: { State: 'state', PendingTime: 'pendingTime', PendingTimeDiff: 'pendingTimeDiff' } },
  TicketOwnerSet: { type: 'TicketOwnerSet', props: { Owner: 'owner' } },
  TicketResponsibleSet: { type: 'TicketResponsibleSet', props: { Responsible: 'responsible' } },
  TicketPrioritySet: { type: 'TicketPrioritySet', props: { Priority: 'priority' } },
  TicketLockSet: { type: 'TicketLockSet', props: { Lock: 'lock' } },
  TicketTypeSet: { type: 'TicketTypeSet', props: { Type: 'ticketType' } },
  TicketServiceSet: { type: 'TicketServiceSet', props: { Service: 'service' } },
  TicketSLASet: { type: 'TicketSLASet', props: { SLA: 'sla' } },
  TicketTitleSet: { type: 'TicketTitleSet', props: { Title: 'title' } },
  TicketCustomerSet: { type: 'TicketCustomerSet', props: { No: 'customerUser', CustomerUserID: 'customerUser', CustomerID: 'customerId' } },
  TicketArticleCreate: {
    type: 'TicketArticleCreate',
    props: {
      Subject: 'subject', Body: 'body', CommunicationChannel: 'channel', IsVisibleForCustomer: 'visibleForCustomer',
      SenderType: 'senderType', From: 'from', To: 'to', Cc: 'cc', ContentType: 'contentType',
      HistoryType: 'historyType', HistoryComment: 'historyComment', TimeUnit: 'timeUnits', TimeUnits: 'timeUnits',
    },
  },
  TicketCreate: {
    type: 'TicketCreate',
    props: {
      Title: 'title', Queue: 'queue', State: 'state', Priority: 'priority', Type: 'ticketType', CustomerUser: 'customerUser',
      CustomerID: 'customerId', Owner: 'owner', Responsible: 'responsible', Service: 'service', SLA: 'sla', Lock: 'lock', LinkAs: 'linkAs',
    },
  },
};

/** Settings that name things by database id: no portable meaning. */
const BY_ID = /^(Queue|State|Priority|Type|Owner|Responsible|Service|SLA)ID$/;
/** OTOBO's fixed lock ids. */
const LOCK_IDS: Record<string, string> = { '1': 'unlock', '2': 'lock', '3': 'lock' };
/** OTRS 5 article types → channel and visibility. */
const ARTICLE_TYPES: Record<string, [string, boolean]> = {
  'note-internal': ['Internal', false], 'note-external': ['Internal', true], 'note-report': ['Internal', false],
  'email-external': ['Email', true], 'email-internal': ['Email', false], phone: ['Phone', true], webrequest: ['Internal', true],
};

function value(prop: string, raw: unknown, unknownTags: string[]): Json {
  if (prop === 'visibleForCustomer') return str(raw) === '1' || raw === true;
  if (prop === 'pendingTimeDiff' || prop === 'timeUnits') return Number(str(raw));
  if (prop === 'lock') return str(raw).toLowerCase();
  if (prop === 'senderType' || prop === 'linkAs') return str(raw).toLowerCase();
  const converted = convertTags(str(raw));
  unknownTags.push(...converted.unknown);
  return converted.text;
}

/**
 * Converts one transition action entity.
 *
 * @example
 * convertAction({ Name: 'Move', Config: { Module: 'Kernel::System::ProcessManagement::TransitionAction::TicketQueueSet', Config: { Queue: 'Raw' } } });
 * // { action: { type: 'TicketQueueSet', name: 'Move', queue: 'Raw' }, warnings: [] }
 */
export function convertAction(entity: unknown): ConvertedAction {
  const warnings: string[] = [];
  const e = isRecord(entity) ? entity : {};
  const outer = isRecord(e.Config) ? e.Config : {};
  const module = str(outer.Module);
  const config = isRecord(outer.Config) ? outer.Config : {};
  const name = str(e.Name) || undefined;
  const short = module.split('::').pop() ?? '';
  const label = `Transition action "${name ?? str(e.EntityID)}"`;
  const unsupported = (reason: string): ConvertedAction => ({
    action: { type: 'Unsupported', ...(name ? { name } : {}), module: module || '(none)', reason, config: config as Json },
    warnings,
  });

  const action: Record<string, Json> = { type: short };
  if (name) action.name = name;
  const unknownTags: string[] = [];
  const ignored: string[] = [];
  if (short === 'DynamicFieldSet') {
    const fields: Record<string, Json> = {};
    for (const [k, v] of Object.entries(config)) {
      if (k === 'UserID') continue;
      if (!DYNAMIC_FIELD_NAME.test(k)) return unsupported(`the setting "${k}" is not a dynamic field name`);
      fields[k] = value('value', v, unknownTags);
    }
    action.fields = fields;
  } else {
    const mapping = SIMPLE[short];
    if (!mapping) return unsupported(`the module ${short || module || '(none)'} is not supported`);
    for (const [k, v] of Object.entries(config)) {
      if (k === 'UserID') continue;
      if (k === 'LockID' && short === 'TicketLockSet' && LOCK_IDS[str(v)]) action.lock = LOCK_IDS[str(v)]!;
      else if (BY_ID.test(k) && catalogueName(k, str(v)) && mapping.props[k.slice(0, -2)]) {
        const byName = catalogueName(k, str(v))!;
        action[mapping.props[k.slice(0, -2)]!] = byName.name;
        warnings.push(`${label} sets ${k} ${str(v)}; it now sets ${byName.field} "${byName.name}", the entry OTOBO ships with that id.`);
      } else if (BY_ID.test(k)) return unsupported(`it names the ${k.slice(0, -2).toLowerCase()} by database id (${k} ${str(v)}), which has no portable meaning; name it instead`);
      else if (k === 'ArticleType' && ARTICLE_TYPES[str(v)]) [action.channel, action.visibleForCustomer] = ARTICLE_TYPES[str(v)]!;
      else if (short === 'TicketCreate' && k.startsWith('DynamicField_')) {
        action.dynamicFields = { ...(action.dynamicFields as Record<string, Json> | undefined), [k.slice(13)]: value('value', v, unknownTags) };
      } else if (short === 'TicketCreate' && (k === 'Body' || k === 'Subject' || k === 'CommunicationChannel' || k === 'IsVisibleForCustomer')) {
        const prop = { Body: 'body', Subject: 'subject', CommunicationChannel: 'channel', IsVisibleForCustomer: 'visibleForCustomer' }[k]!;
        action.article = { ...(action.article as Record<string, Json> | undefined), [prop]: value(prop, v, unknownTags) };
      } else if (mapping.props[k]) action[mapping.props[k]!] = value(mapping.props[k]!, v, unknownTags);
      else ignored.push(k);
    }
  }
  const errors = actionErrors(action);
  if (errors.length) return unsupported(errors.join(' ').replace(/The action/g, 'the converted action').replace(/^the/, 'The'));
  if (ignored.length) warnings.push(`${label}: the setting${ignored.length > 1 ? 's' : ''} ${ignored.map((k) => `"${k}"`).join(', ')} ${ignored.length > 1 ? 'are' : 'is'} not supported and ${ignored.length > 1 ? 'were' : 'was'} dropped.`);
  if (unknownTags.length) warnings.push(`${label}: the tag${unknownTags.length > 1 ? 's' : ''} ${unknownTags.join(', ')} ${unknownTags.length > 1 ? 'have' : 'has'} no equivalent and stayed as written.`);
  return { action: action as unknown as Action, warnings };
}
