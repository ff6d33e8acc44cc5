/**
 * OTOBO activity dialogs → process/1 dialogs: FieldOrder and Fields (Display 0/1/2 → hidden, shown,
 * mandatory; DefaultValue; DescriptionShort → label; DescriptionLong → description; Article options),
 * Interface, SubmitButtonText, SubmitAdviceText, RequiredLock.
 */
import type { Dialog, DialogField, Display, Interface } from '../model/dialog';
import { convertTags } from './tags';
import { isRecord, str, strings } from './values';

const DISPLAY: Record<string, Display> = { '0': 'hidden', '1': 'shown', '2': 'mandatory' };
const CHANNELS: Record<string, [string, boolean]> = {
  'note-internal': ['Internal', false], 'note-external': ['Internal', true], 'note-report': ['Internal', false],
  'email-external': ['Email', true], 'email-internal': ['Email', false], phone: ['Phone', true], webrequest: ['Internal', true],
};

/** AgentInterface / CustomerInterface (or "both") → agent / customer. */
export function convertInterfaces(value: unknown): Interface[] {
  const out = new Set<Interface>();
  for (const i of strings(value)) {
    const v = i.toLowerCase();
    if (v.startsWith('agent') || v === 'both') out.add('agent');
    if (v.startsWith('customer') || v === 'both') out.add('customer');
  }
  return out.size ? [...out] : ['agent'];
}

function setText<T extends object>(target: T, key: keyof T & string, value: unknown): void {
  const s = str(value).trim();
  if (s) (target as Record<string, unknown>)[key] = convertTags(s).text;
}

function convertField(name: string, raw: unknown, warnings: string[], dialogName: string): DialogField {
  const f = isRecord(raw) ? raw : {};
  const displayRaw = str(f.Display);
  const display = DISPLAY[displayRaw];
  if (!display) warnings.push(`Dialog "${dialogName}": field ${name} has Display "${displayRaw}"; it is shown.`);
  const field: DialogField = { field: name === 'CustomerUserID' ? 'CustomerUser' : name, display: display ?? 'shown' };
  const def = str(f.DefaultValue);
  if (def !== '') field.default = convertTags(def).text;
  setText(field, 'label', f.DescriptionShort);
  setText(field, 'description', f.DescriptionLong);
  if (name === 'Article' && isRecord(f.Config)) {
    const c = f.Config;
    const legacy = CHANNELS[str(c.ArticleType)];
    if (legacy) [field.channel, field.visibleForCustomer] = legacy;
    if (str(c.CommunicationChannel)) field.channel = str(c.CommunicationChannel);
    if (c.IsVisibleForCustomer !== undefined) field.visibleForCustomer = str(c.IsVisibleForCustomer) === '1';
    if (DISPLAY[str(c.TimeUnits)]) field.timeUnits = DISPLAY[str(c.TimeUnits)]!;
  }
  return field;
}

/**
 * Converts one activity-dialog entity.
 *
 * @example
 * convertDialog({ EntityID: 'AD1', Name: 'Approve', Config: { Interface: ['AgentInterface'], FieldOrder: ['Queue'],
 *   Fields: { Queue: { Display: '2' } }, SubmitButtonText: 'Go', RequiredLock: '1' } }, []);
 * // { id: 'AD1', name: 'Approve', interfaces: ['agent'], fields: [{ field: 'Queue', display: 'mandatory' }], submitText: 'Go', requiredLock: true }
 */
export function convertDialog(entity: unknown, warnings: string[]): Dialog {
  const e = isRecord(entity) ? entity : {};
  const c = isRecord(e.Config) ? e.Config : {};
  const dialog = {} as Dialog;
  setText(dialog, 'id', e.EntityID);
  setText(dialog, 'name', e.Name);
  setText(dialog, 'description', c.DescriptionShort);
  setText(dialog, 'longDescription', c.DescriptionLong);
  dialog.interfaces = convertInterfaces(c.Interface);
  const fields = isRecord(c.Fields) ? c.Fields : {};
  const order = strings(c.FieldOrder);
  const names = [...order.filter((n) => Object.prototype.hasOwnProperty.call(fields, n)), ...Object.keys(fields).filter((n) => !order.includes(n))];
  for (const n of order.filter((n) => !Object.prototype.hasOwnProperty.call(fields, n))) {
    warnings.push(`Dialog "${dialog.name ?? dialog.id}": field ${n} is in FieldOrder but not configured; it was left out.`);
  }
  dialog.fields = names.map((n) => convertField(n, fields[n], warnings, dialog.name ?? dialog.id ?? ''));
  setText(dialog, 'submitText', c.SubmitButtonText);
  setText(dialog, 'submitAdvice', c.SubmitAdviceText);
  if (str(c.RequiredLock) === '1') dialog.requiredLock = true;
  return dialog;
}
