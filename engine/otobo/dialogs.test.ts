import { describe, expect, it } from 'vitest';
import { convertDialog, convertInterfaces } from './dialogs';

describe('OTOBO activity dialogs', () => {
  it('convert fields in FieldOrder with display, defaults, texts and Article options', () => {
    const warnings: string[] = [];
    const dialog = convertDialog({
      EntityID: 'AD1', Name: 'Approval',
      Config: {
        DescriptionShort: 'Approve it', DescriptionLong: '', Interface: ['AgentInterface', 'CustomerInterface'],
        FieldOrder: ['DynamicField_Approved', 'Article', 'Queue', 'Missing'],
        Fields: {
          Queue: { DefaultValue: 'Raw', DescriptionShort: '', DescriptionLong: '', Display: 0 },
          Article: { Config: { CommunicationChannel: 'Internal', IsVisibleForCustomer: '1', TimeUnits: '2' }, DefaultValue: '', Display: '1' },
          DynamicField_Approved: { DefaultValue: '', DescriptionShort: 'Approved?', DescriptionLong: 'Say <OTOBO_TICKET_Title>', Display: '2' },
          CustomerUserID: { Display: '1' },
        },
        Permission: 'rw', RequiredLock: '1', SubmitAdviceText: 'Think first', SubmitButtonText: 'Decide',
      },
    }, warnings);
    expect(dialog).toEqual({
      id: 'AD1', name: 'Approval', description: 'Approve it', interfaces: ['agent', 'customer'],
      fields: [
        { field: 'DynamicField_Approved', display: 'mandatory', label: 'Approved?', description: 'Say {{ticket.title}}' },
        { field: 'Article', display: 'shown', channel: 'Internal', visibleForCustomer: true, timeUnits: 'mandatory' },
        { field: 'Queue', display: 'hidden', default: 'Raw' },
        { field: 'CustomerUser', display: 'shown' },
      ],
      submitText: 'Decide', submitAdvice: 'Think first', requiredLock: true,
    });
    expect(warnings).toEqual(['Dialog "Approval": field Missing is in FieldOrder but not configured; it was left out.']);
  });

  it('map OTRS 5 article types to channel and visibility', () => {
    const d = convertDialog({ Config: { Fields: { Article: { Config: { ArticleType: 'note-external' }, Display: '1' } } } }, []);
    expect(d.fields[0]).toEqual({ field: 'Article', display: 'shown', channel: 'Internal', visibleForCustomer: true });
  });

  it('read interfaces as a list or a single value, defaulting to agent', () => {
    expect(convertInterfaces('CustomerInterface')).toEqual(['customer']);
    expect(convertInterfaces('both')).toEqual(['agent', 'customer']);
    expect(convertInterfaces(undefined)).toEqual(['agent']);
  });

  it('show a field with an unknown Display, with a warning', () => {
    const warnings: string[] = [];
    expect(convertDialog({ Name: 'D', Config: { Fields: { Title: { Display: '7' } } } }, warnings).fields).toEqual([{ field: 'Title', display: 'shown' }]);
    expect(warnings).toEqual(['Dialog "D": field Title has Display "7"; it is shown.']);
  });
});
