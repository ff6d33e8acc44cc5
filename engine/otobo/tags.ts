/**
 * OTOBO/OTRS smart tags (`<OTOBO_TICKET_Title>`, `<OTRS_TICKET_DynamicField_X_Value>`,
 * `<OTOBO_CUSTOMER_DATA_UserEmail>`, `<OTOBO_OWNER_UserFirstname>`, ...) → our templates
 * (`{{ticket.title}}`, `{{ticket.dynamicFields.X}}`, `{{customer.email}}`, `{{owner.firstName}}`).
 * Tags without an equivalent are left as written and reported.
 */

const TICKET: Record<string, string> = {
  TicketID: 'id', TicketNumber: 'number', Title: 'title', Queue: 'queue', State: 'state', StateType: 'stateType',
  Priority: 'priority', Type: 'type', Owner: 'owner', Responsible: 'responsible', CustomerUserID: 'customerUser',
  CustomerID: 'customerId', Service: 'service', SLA: 'sla', Lock: 'lock', Created: 'created', Changed: 'changed',
  RealTillTimeNotUsed: 'pendingTime', UntilTime: 'pendingTime',
};

const PERSON: Record<string, string> = {
  UserLogin: 'login', UserEmail: 'email', UserFirstname: 'firstName', UserLastname: 'lastName', UserFullname: 'fullName',
};

const CUSTOMER: Record<string, string> = { ...PERSON, UserCustomerID: 'customerId', UserPhone: 'phone' };

function mapTag(kind: string, rest: string): string | undefined {
  if (kind === 'TICKET') {
    const df = /^DynamicField_([A-Za-z0-9]+?)(?:_Value)?$/.exec(rest);
    if (df) return `ticket.dynamicFields.${df[1]}`;
    return TICKET[rest] ? `ticket.${TICKET[rest]}` : undefined;
  }
  if (kind === 'CUSTOMER_DATA' || kind === 'CUSTOMER') return CUSTOMER[rest] ? `customer.${CUSTOMER[rest]}` : undefined;
  if (kind === 'OWNER' || kind === 'TICKET_OWNER') return PERSON[rest] ? `owner.${PERSON[rest]}` : undefined;
  if (kind === 'RESPONSIBLE' || kind === 'TICKET_RESPONSIBLE') return PERSON[rest] ? `responsible.${PERSON[rest]}` : undefined;
  return undefined;
}

const TAG = /<(?:OTOBO|OTRS)_(TICKET_OWNER|TICKET_RESPONSIBLE|CUSTOMER_DATA|TICKET|CUSTOMER|OWNER|RESPONSIBLE|CURRENT|CONFIG|AGENT)_([A-Za-z0-9_:-]+)>/g;

/**
 * Replaces OTOBO smart tags by templates; `unknown` lists the tags that stayed as written.
 *
 * @example
 * convertTags('Room <OTOBO_TICKET_DynamicField_Room_Value> for <OTRS_CUSTOMER_DATA_UserEmail>');
 * // { text: 'Room {{ticket.dynamicFields.Room}} for {{customer.email}}', unknown: [] }
 */
export function convertTags(text: string): { text: string; unknown: string[] } {
  const unknown: string[] = [];
  const out = text.replace(TAG, (tag, kind: string, rest: string) => {
    const path = mapTag(kind, rest);
    if (path) return `{{${path}}}`;
    if (!unknown.includes(tag)) unknown.push(tag);
    return tag;
  });
  return { text: out, unknown };
}
