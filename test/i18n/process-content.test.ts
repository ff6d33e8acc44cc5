/**
 * Process texts in the reader's language: a process whose steps, dialog and fields carry German
 * translations shows them to a caller asking for German (`Accept-Language: de`), the default texts
 * to everyone else; ticket fields without a label of their own get the server's German label.
 * PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Process } from '../../engine/model/types';
import { databaseKinds } from '../support/db';
import { deploy, processTicket, startEngineHelpdesk, type EngineHelpdesk } from '../support/engine';

const leave: Process = {
  format: 'process/1',
  key: 'leave-i18n',
  name: 'Leave request',
  i18n: { de: { name: 'Urlaubsantrag' } },
  start: { interfaces: ['agent', 'customer'] },
  nodes: [
    { id: 'start', type: 'startEvent', name: 'Requested', i18n: { de: { name: 'Beantragt' } } },
    {
      id: 'answer',
      type: 'userTask',
      name: 'Your answer',
      i18n: { de: { name: 'Ihre Antwort' } },
      dialog: {
        interfaces: ['customer'],
        name: 'Tell us more',
        submitText: 'Send',
        i18n: { de: { name: 'Erzählen Sie mehr', submitText: 'Senden' } },
        fields: [
          { field: 'DynamicField_Reason', display: 'mandatory', label: 'Reason', description: 'Why you need it', i18n: { de: { label: 'Grund', description: 'Wozu Sie ihn brauchen' } } },
          { field: 'Title', display: 'shown' },
        ],
      },
    },
    { id: 'end', type: 'endEvent', name: 'Done' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'answer' },
    { id: 't2', from: 'answer', to: 'end' },
  ],
};

describe.each(databaseKinds)('process texts per language on %s', (kind) => {
  let h: EngineHelpdesk;
  let ticketId: number;
  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    await deploy(h, leave);
    ticketId = (await processTicket(h, 'alice', 'leave-i18n', { customerUser: 'carl' })).ticketId;
  });
  afterAll(() => h?.close());

  it('a German customer sees the German step names, dialog and field texts', async () => {
    const r = await h.as.carl!.get(`/api/v1/tickets/${ticketId}/process`, { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.processName).toBe('Urlaubsantrag');
    expect(r.body.steps.map((s: { label: string }) => s.label)).toEqual(['Beantragt', 'Ihre Antwort']);
    const [dialog] = r.body.dialogs;
    expect(dialog).toMatchObject({ name: 'Erzählen Sie mehr', submitText: 'Senden' });
    expect(dialog.fields.map((f: { label: string; description?: string }) => [f.label, f.description])).toEqual([
      ['Grund', 'Wozu Sie ihn brauchen'],
      ['Titel', undefined],
    ]);
  });

  it('everyone else gets the default texts (the API speaks English unless asked)', async () => {
    for (const headers of [{}, { 'accept-language': 'fr' }] as Array<Record<string, string>>) {
      const r = await h.as.carl!.get(`/api/v1/tickets/${ticketId}/process`, headers);
      expect(r.body.processName).toBe('Leave request');
      expect(r.body.steps.map((s: { label: string }) => s.label)).toEqual(['Requested', 'Your answer']);
      expect(r.body.dialogs[0].fields.map((f: { label: string }) => f.label)).toEqual(['Reason', 'Title']);
    }
  });

  it('agents see the step names in their language too', async () => {
    const r = await h.as.alice!.get(`/api/v1/tickets/${ticketId}/process`, { 'accept-language': 'de' });
    expect(r.body.processName).toBe('Urlaubsantrag');
    expect(r.body.currentNodes.map((n: { name: string }) => n.name)).toEqual(['Ihre Antwort']);
  });
});
