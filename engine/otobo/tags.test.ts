import { describe, expect, it } from 'vitest';
import { convertTags } from './tags';

describe('OTOBO smart tags → templates', () => {
  it.each([
    ['<OTOBO_TICKET_Title>', '{{ticket.title}}'],
    ['<OTRS_TICKET_TicketNumber>', '{{ticket.number}}'],
    ['<OTOBO_TICKET_DynamicField_Room_Value>', '{{ticket.dynamicFields.Room}}'],
    ['<OTOBO_TICKET_DynamicField_TestTextArea>', '{{ticket.dynamicFields.TestTextArea}}'],
    ['<OTOBO_CUSTOMER_DATA_UserEmail>', '{{customer.email}}'],
    ['<OTRS_CUSTOMER_UserFirstname>', '{{customer.firstName}}'],
    ['<OTOBO_OWNER_UserFullname>', '{{owner.fullName}}'],
    ['<OTOBO_TICKET_RESPONSIBLE_UserEmail>', '{{responsible.email}}'],
  ])('%s → %s', (tag, template) => {
    expect(convertTags(`x ${tag} y`)).toEqual({ text: `x ${template} y`, unknown: [] });
  });

  it('leaves tags without an equivalent as written, and lists them', () => {
    expect(convertTags('<OTOBO_CONFIG_FQDN> <OTOBO_TICKET_ArchiveFlag> <OTOBO_CONFIG_FQDN>')).toEqual({
      text: '<OTOBO_CONFIG_FQDN> <OTOBO_TICKET_ArchiveFlag> <OTOBO_CONFIG_FQDN>',
      unknown: ['<OTOBO_CONFIG_FQDN>', '<OTOBO_TICKET_ArchiveFlag>'],
    });
  });
});
