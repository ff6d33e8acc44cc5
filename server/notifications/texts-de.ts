/**
 * The shipped notification texts in German (the English ones are the defaults in `events.ts`).
 * A recipient whose language is German gets these, unless an administrator wrote their own text
 * for the notification (see `templateFor` in templates.ts).
 */
import type { NotificationKey } from './events';

const AGENT_FOOTER = '\n\nTicket <OTRS_TICKET_TicketNumber> „{{ticket.title}}“ in der Queue {{ticket.queue}} (Status {{ticket.state}}, Priorität {{ticket.priority}}).';

export const NOTIFICATION_TEXTS_DE: Record<NotificationKey, { subject: string; body: string }> = {
  'ticket-created': {
    subject: 'Neues Ticket [<OTRS_TICKET_TicketNumber>] {{ticket.title}}',
    body: 'Hallo <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\nin der Queue {{ticket.queue}} ist ein neues Ticket eingetroffen.\nKunde: <OTRS_CUSTOMER_REALNAME>\n\n{{vars.article.body}}' + AGENT_FOOTER,
  },
  'follow-up-locked': {
    subject: 'Nachfrage [<OTRS_TICKET_TicketNumber>] {{ticket.title}}',
    body: 'Hallo <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\n<OTRS_CUSTOMER_REALNAME> hat auf Ihr gesperrtes Ticket geantwortet:\n\n{{vars.article.body}}' + AGENT_FOOTER,
  },
  'follow-up-unlocked': {
    subject: 'Nachfrage [<OTRS_TICKET_TicketNumber>] {{ticket.title}}',
    body: 'Hallo <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\n<OTRS_CUSTOMER_REALNAME> hat auf ein nicht gesperrtes Ticket in der Queue {{ticket.queue}} geantwortet:\n\n{{vars.article.body}}' + AGENT_FOOTER,
  },
  'lock-timeout': {
    subject: 'Sperre abgelaufen [<OTRS_TICKET_TicketNumber>] {{ticket.title}}',
    body: 'Hallo <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\nIhre Sperre dieses Tickets ist abgelaufen; das Ticket ist wieder entsperrt.' + AGENT_FOOTER,
  },
  'escalation-warning': {
    subject: 'Eskalationswarnung [<OTRS_TICKET_TicketNumber>] {{ticket.title}}: {{vars.deadline}} fällig {{vars.due}}',
    body: 'Hallo <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\ndie Frist „{{vars.deadline}}“ dieses Tickets ist am {{vars.due}} fällig (SLA {{vars.sla}}).' + AGENT_FOOTER,
  },
  escalation: {
    subject: 'Eskaliert [<OTRS_TICKET_TicketNumber>] {{ticket.title}}: {{vars.deadline}} war fällig {{vars.due}}',
    body: 'Hallo <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\ndie Frist „{{vars.deadline}}“ dieses Tickets war am {{vars.due}} fällig (SLA {{vars.sla}}); das Ticket ist eskaliert.' + AGENT_FOOTER,
  },
  'appointment-reminder': {
    subject: 'Erinnerung: {{vars.appointment.title}} am {{vars.appointment.start}}',
    body: 'Hallo <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\nder Termin „{{vars.appointment.title}}“ im Kalender {{vars.appointment.calendar}} beginnt {{vars.appointment.start}} ({{vars.appointment.timeZone}}).\nOrt: {{vars.appointment.location}}\n\n{{vars.appointment.description}}',
  },
  moved: {
    subject: 'Verschoben [<OTRS_TICKET_TicketNumber>] {{ticket.title}} nach {{ticket.queue}}',
    body: 'Hallo <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\n<OTRS_CURRENT_UserFullname> hat das Ticket von {{vars.oldQueue}} nach {{ticket.queue}} verschoben.' + AGENT_FOOTER,
  },
  'owner-changed': {
    subject: 'Sie sind Besitzer von [<OTRS_TICKET_TicketNumber>] {{ticket.title}}',
    body: 'Hallo <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\n<OTRS_CURRENT_UserFullname> hat Sie zum Besitzer dieses Tickets gemacht.' + AGENT_FOOTER,
  },
  'responsible-changed': {
    subject: 'Sie sind verantwortlich für [<OTRS_TICKET_TicketNumber>] {{ticket.title}}',
    body: 'Hallo <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\n<OTRS_CURRENT_UserFullname> hat Sie für dieses Ticket verantwortlich gemacht.' + AGENT_FOOTER,
  },
  'note-added': {
    subject: 'Neue Notiz [<OTRS_TICKET_TicketNumber>] {{vars.article.subject}}',
    body: 'Hallo <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\n<OTRS_CURRENT_UserFullname> hat eine Notiz hinzugefügt:\n\n{{vars.article.body}}' + AGENT_FOOTER,
  },
  'pending-reminder-locked': {
    subject: 'Erinnerung [<OTRS_TICKET_TicketNumber>] {{ticket.title}}',
    body: 'Hallo <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\ndie Erinnerungszeit dieses Tickets ist erreicht ({{ticket.pendingTime}}).' + AGENT_FOOTER,
  },
  'pending-reminder-unlocked': {
    subject: 'Erinnerung [<OTRS_TICKET_TicketNumber>] {{ticket.title}}',
    body: 'Hallo <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\ndie Erinnerungszeit dieses nicht gesperrten Tickets ist erreicht ({{ticket.pendingTime}}).' + AGENT_FOOTER,
  },
  'process-dialog': {
    subject: 'Dialog „{{vars.dialog}}“ wartet auf Sie [<OTRS_TICKET_TicketNumber>]',
    body: 'Hallo <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>,\n\nder Prozessdialog „{{vars.dialog}}“ dieses Tickets ist Ihnen zugewiesen.' + AGENT_FOOTER,
  },
  'customer-ticket-created': {
    subject: 'Ihre Anfrage [<OTRS_TICKET_TicketNumber>] {{ticket.title}} ist eingegangen',
    body: 'Wir haben Ihre Anfrage erhalten und antworten bald.',
  },
  'customer-agent-reply': {
    subject: 'Neue Antwort zu [<OTRS_TICKET_TicketNumber>] {{ticket.title}}',
    body: '{{vars.article.body}}',
  },
  'customer-state-changed': {
    subject: '[<OTRS_TICKET_TicketNumber>] {{ticket.title}} ist jetzt {{ticket.state}}',
    body: 'Der Status Ihrer Anfrage hat sich von {{vars.oldState}} zu {{ticket.state}} geändert.',
  },
};
