/**
 * What can be notified, declared in one list. A feature raises an *event* (`ticketCreated`,
 * `followUp`, …) with `raiseNotification`; each *notification* below that listens to the event
 * says who hears of it (recipient groups), which agent preference switches it on or off, and its
 * default subject and body (administrators may override them per notification). Adding an event
 * (SLA escalations, appointment reminders, …) is one more entry here and one `raiseNotification`
 * call where the thing happens.
 */
import type { NOTIFICATIONS as PREFERENCE_KEYS } from '../preferences/schema';

/** What happened. */
export type NotificationEventType =
  | 'ticketCreated'
  | 'followUp'
  | 'lockTimeout'
  | 'moved'
  | 'ownerChanged'
  | 'responsibleChanged'
  | 'noteAdded'
  | 'pendingReminder'
  | 'processDialog'
  | 'agentReply'
  | 'stateChanged'
  | 'escalationWarning'
  | 'escalation'
  | 'appointmentReminder';

export const NOTIFICATION_EVENT_TYPES: readonly NotificationEventType[] = [
  'ticketCreated', 'followUp', 'lockTimeout', 'moved', 'ownerChanged', 'responsibleChanged', 'noteAdded', 'pendingReminder', 'processDialog', 'agentReply', 'stateChanged', 'escalationWarning', 'escalation', 'appointmentReminder',
];

/**
 * An event as a feature raises it, inside the transaction of the change.
 *
 * @example
 * await raiseNotification(trx, { type: 'followUp', ticketId, articleId, actor: { kind: 'customer', id: 12 } });
 */
export interface NotificationEvent {
  type: NotificationEventType;
  /** The ticket it is about; null for events about no ticket (appointment reminders): then only `assignees` hear of it. */
  ticketId: number | null;
  /** The article the event is about (a follow-up, a note, a reply). */
  articleId?: number | null;
  /** Who caused it; they are never notified. Absent or `system`: nobody is left out. */
  actor?: { kind: 'agent' | 'customer' | 'system'; id: number | null } | null;
  /** Agents the event itself names (`assignees`: the agents a process dialog is assigned to). */
  agentIds?: number[];
  /** Further values for the templates, as `{{vars.<name>}}` (e.g. `oldQueue`, `dialog`). */
  data?: Record<string, string | number | boolean | null>;
}

/**
 * Who a notification goes to:
 * - `owner`, `responsible`: the ticket's owner / responsible agent;
 * - `watchers`: agents watching the ticket (they need the `watchedTickets` preference instead of the notification's own);
 * - `myQueues`: agents who have the ticket's queue in *My queues*;
 * - `queueRw`: agents holding `rw` on the ticket's queue;
 * - `assignees`: the agents the event names (`agentIds`);
 * - `customer`: the ticket's customer user (web notification in the portal).
 */
export type RecipientGroup = 'owner' | 'responsible' | 'watchers' | 'myQueues' | 'queueRw' | 'assignees' | 'customer';
export const RECIPIENT_GROUPS: readonly RecipientGroup[] = ['owner', 'responsible', 'watchers', 'myQueues', 'queueRw', 'assignees', 'customer'];

export interface NotificationDefinition {
  /** The event it listens to. */
  event: NotificationEventType;
  /** Only while the ticket is locked / unlocked (OTRS's follow-up and reminder notifications come in both). */
  when?: 'locked' | 'unlocked';
  /** Shown to administrators. */
  label: string;
  /** The agents' preference that switches it on or off (customers have none). */
  preference: (typeof PREFERENCE_KEYS)[number] | null;
  /** Default recipients. */
  recipients: RecipientGroup[];
  /** Also to agents who are out of office (OTRS's "SendOnOutOfOffice"; default: not). */
  sendOnOutOfOffice?: boolean;
  /** Default subject and body: OTRS tags (`<OTRS_TICKET_TicketNumber>`) and `{{ticket.title}}` templates. */
  subject: string;
  body: string;
}

const AGENT_FOOTER = '\n\nTicket <OTRS_TICKET_TicketNumber> "{{ticket.title}}" in queue {{ticket.queue}} (state {{ticket.state}}, priority {{ticket.priority}}).';

/** Every notification, by its key (the key names its template). */
export const NOTIFICATION_DEFINITIONS = {
  'ticket-created': {
    event: 'ticketCreated',
    label: 'New ticket (to agents of the queue)',
    preference: 'newTicket',
    recipients: ['myQueues'],
    subject: 'New ticket [<OTRS_TICKET_TicketNumber>] {{ticket.title}}',
    body: 'Hi <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\na new ticket arrived in queue {{ticket.queue}}.\nCustomer: <OTRS_CUSTOMER_REALNAME>\n\n{{vars.article.body}}' + AGENT_FOOTER,
  },
  'follow-up-locked': {
    event: 'followUp',
    when: 'locked',
    label: 'Follow-up on a locked ticket (to its owner)',
    preference: 'followUp',
    recipients: ['owner', 'responsible', 'watchers'],
    subject: 'Follow-up [<OTRS_TICKET_TicketNumber>] {{ticket.title}}',
    body: 'Hi <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\n<OTRS_CUSTOMER_REALNAME> wrote on your locked ticket:\n\n{{vars.article.body}}' + AGENT_FOOTER,
  },
  'follow-up-unlocked': {
    event: 'followUp',
    when: 'unlocked',
    label: 'Follow-up on an unlocked ticket (to the queue)',
    preference: 'followUp',
    recipients: ['myQueues', 'responsible', 'watchers'],
    subject: 'Follow-up [<OTRS_TICKET_TicketNumber>] {{ticket.title}}',
    body: 'Hi <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\n<OTRS_CUSTOMER_REALNAME> wrote on an unlocked ticket in queue {{ticket.queue}}:\n\n{{vars.article.body}}' + AGENT_FOOTER,
  },
  'lock-timeout': {
    event: 'lockTimeout',
    label: 'Lock timed out (to the former lock holder)',
    preference: 'lockTimeout',
    recipients: ['owner'],
    subject: 'Lock timeout [<OTRS_TICKET_TicketNumber>] {{ticket.title}}',
    body: 'Hi <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\nyour lock on this ticket ran out; the ticket is unlocked again.' + AGENT_FOOTER,
  },
  moved: {
    event: 'moved',
    label: 'Ticket moved into a queue (to the agents of that queue)',
    preference: 'move',
    recipients: ['myQueues', 'watchers'],
    subject: 'Moved [<OTRS_TICKET_TicketNumber>] {{ticket.title}} into {{ticket.queue}}',
    body: 'Hi <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\n<OTRS_CURRENT_UserFullname> moved the ticket from {{vars.oldQueue}} into {{ticket.queue}}.' + AGENT_FOOTER,
  },
  'owner-changed': {
    event: 'ownerChanged',
    label: 'Owner changed (to the new owner)',
    preference: 'ownerUpdate',
    recipients: ['owner'],
    subject: 'You own [<OTRS_TICKET_TicketNumber>] {{ticket.title}}',
    body: 'Hi <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\n<OTRS_CURRENT_UserFullname> made you the owner of this ticket.' + AGENT_FOOTER,
  },
  'responsible-changed': {
    event: 'responsibleChanged',
    label: 'Responsible changed (to the new responsible agent)',
    preference: 'responsibleUpdate',
    recipients: ['responsible'],
    subject: 'You are responsible for [<OTRS_TICKET_TicketNumber>] {{ticket.title}}',
    body: 'Hi <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\n<OTRS_CURRENT_UserFullname> made you responsible for this ticket.' + AGENT_FOOTER,
  },
  'note-added': {
    event: 'noteAdded',
    label: 'New note (to owner, responsible and watchers)',
    preference: 'newNote',
    recipients: ['owner', 'responsible', 'watchers'],
    subject: 'New note [<OTRS_TICKET_TicketNumber>] {{vars.article.subject}}',
    body: 'Hi <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\n<OTRS_CURRENT_UserFullname> added a note:\n\n{{vars.article.body}}' + AGENT_FOOTER,
  },
  'pending-reminder-locked': {
    event: 'pendingReminder',
    when: 'locked',
    label: 'Pending reminder reached, locked ticket (to owner and responsible)',
    preference: 'pendingReminder',
    recipients: ['owner', 'responsible'],
    subject: 'Reminder [<OTRS_TICKET_TicketNumber>] {{ticket.title}}',
    body: 'Hi <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\nthe pending reminder of this ticket is reached ({{ticket.pendingTime}}).' + AGENT_FOOTER,
  },
  'pending-reminder-unlocked': {
    event: 'pendingReminder',
    when: 'unlocked',
    label: 'Pending reminder reached, unlocked ticket (to the queue)',
    preference: 'pendingReminder',
    recipients: ['myQueues', 'responsible'],
    subject: 'Reminder [<OTRS_TICKET_TicketNumber>] {{ticket.title}}',
    body: 'Hi <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\nthe pending reminder of this unlocked ticket is reached ({{ticket.pendingTime}}).' + AGENT_FOOTER,
  },
  'process-dialog': {
    event: 'processDialog',
    label: 'Process dialog assigned to me',
    preference: 'processDialogs',
    recipients: ['assignees'],
    subject: 'Dialog "{{vars.dialog}}" waits for you [<OTRS_TICKET_TicketNumber>]',
    body: 'Hi <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\nthe process dialog "{{vars.dialog}}" of this ticket is assigned to you.' + AGENT_FOOTER,
  },
  'escalation-warning': {
    event: 'escalationWarning',
    label: 'SLA deadline close (at the SLA\'s notify percentage; to owner, responsible and My-queues agents)',
    preference: 'escalation',
    recipients: ['owner', 'responsible', 'myQueues'],
    subject: 'Escalation warning [<OTRS_TICKET_TicketNumber>] {{ticket.title}}: {{vars.deadline}} due {{vars.due}}',
    body: 'Hi <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\nthe {{vars.deadline}} of this ticket is due at {{vars.due}} (SLA {{vars.sla}}).' + AGENT_FOOTER,
  },
  escalation: {
    event: 'escalation',
    label: 'SLA deadline passed: the ticket escalated (to owner, responsible and My-queues agents)',
    preference: 'escalation',
    recipients: ['owner', 'responsible', 'myQueues'],
    subject: 'Escalated [<OTRS_TICKET_TicketNumber>] {{ticket.title}}: {{vars.deadline}} was due {{vars.due}}',
    body: 'Hi <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\nthe {{vars.deadline}} of this ticket was due at {{vars.due}} (SLA {{vars.sla}}); the ticket is escalated.' + AGENT_FOOTER,
  },
  'customer-ticket-created': {
    event: 'ticketCreated',
    label: 'Customer: your ticket was opened',
    preference: null,
    recipients: ['customer'],
    subject: 'Your request [<OTRS_TICKET_TicketNumber>] {{ticket.title}} was received',
    body: 'We received your request and will answer soon.',
  },
  'customer-agent-reply': {
    event: 'agentReply',
    label: 'Customer: an agent answered',
    preference: null,
    recipients: ['customer'],
    subject: 'New answer on [<OTRS_TICKET_TicketNumber>] {{ticket.title}}',
    body: '{{vars.article.body}}',
  },
  'customer-state-changed': {
    event: 'stateChanged',
    label: 'Customer: the ticket state changed',
    preference: null,
    recipients: ['customer'],
    subject: '[<OTRS_TICKET_TicketNumber>] {{ticket.title}} is now {{ticket.state}}',
    body: 'The state of your request changed from {{vars.oldState}} to {{ticket.state}}.',
  },
  'appointment-reminder': {
    event: 'appointmentReminder',
    label: 'Appointment reminder (to the agents who may read the calendar)',
    preference: null,
    recipients: ['assignees'],
    subject: 'Reminder: {{vars.appointment.title}} at {{vars.appointment.start}}',
    body: 'Hi <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\nthe appointment "{{vars.appointment.title}}" in calendar {{vars.appointment.calendar}} starts {{vars.appointment.start}} ({{vars.appointment.timeZone}}).\nLocation: {{vars.appointment.location}}\n\n{{vars.appointment.description}}',
  },
} satisfies Record<string, NotificationDefinition>;

export type NotificationKey = keyof typeof NOTIFICATION_DEFINITIONS;
export const NOTIFICATION_KEYS = Object.keys(NOTIFICATION_DEFINITIONS) as NotificationKey[];

/** The notifications that listen to `event` on a ticket that is (not) locked. */
export function definitionsFor(event: NotificationEventType, locked: boolean): Array<[NotificationKey, NotificationDefinition]> {
  return (Object.entries(NOTIFICATION_DEFINITIONS) as Array<[NotificationKey, NotificationDefinition]>).filter(
    ([, d]) => d.event === event && (!d.when || (d.when === 'locked') === locked),
  );
}
