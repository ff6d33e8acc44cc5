/**
 * User-task dialogs (OTOBO "activity dialogs"): which ticket and dynamic fields a form shows, how
 * (hidden, shown, mandatory), to whom (agent, customer interface), with which defaults and texts.
 * Types and JSON Schema.
 */
import { comparisonSchema, type Comparison, type Scalar } from './conditions';

/**
 * Translations of an object's texts: language → property → text, e.g.
 * `{ "de": { "name": "Urlaubsantrag", "submitText": "Beantragen" } }`. A reader whose language has
 * no text for a property gets the default (the property itself).
 */
export type I18n = Record<string, Record<string, string>>;

/** Where a dialog is offered: the agent interface, the customer portal, or both (list both). */
export type Interface = 'agent' | 'customer';

/** hidden: set from `default` without showing; shown: optional; mandatory: must be filled. */
export type Display = 'hidden' | 'shown' | 'mandatory';

export interface DialogField {
  /** A ticket field (`Title`, `Queue`, ..., `Article`) or `DynamicField_<Name>`. */
  field: string;
  display: Display;
  /** Value put in when the dialog opens (hidden fields: the value written on submit). Templates allowed in text. */
  default?: Scalar | Scalar[] | null;
  /** Label shown instead of the field's own (OTOBO DescriptionShort). */
  label?: string;
  /** Help text (OTOBO DescriptionLong). */
  description?: string;
  /** Article only: is the new article visible to the customer? */
  visibleForCustomer?: boolean;
  /** Article only: communication channel, e.g. Internal, Email, Phone. */
  channel?: string;
  /** Article only: how the time-units input is displayed. */
  timeUnits?: Display;
  /** Translations of `label` and `description`. */
  i18n?: I18n;
}

/**
 * A field rule (what OTOBO does with ACLs and Zammad with Core Workflow): while the comparison
 * `when` holds on the value the form has for one of its fields, the `fields` are shown (`show`: they
 * are hidden otherwise), hidden (`hide`) or mandatory (`require`). A hidden field is never
 * mandatory, and its value is not sent. Evaluated by `engine/runtime/field-rules.ts`, the same in
 * the agent UI, the portal and the server's check of a submission.
 *
 * @example
 * { when: { field: 'DynamicField_Kind', op: 'eq', value: 'laptop' }, then: 'show', fields: ['DynamicField_Model'] }
 */
export interface FieldRule {
  /** A comparison on a field of the same dialog (`field` is one of the dialog's fields). */
  when: Comparison;
  then: FieldRuleEffect;
  /** Fields of the same dialog the rule acts on. */
  fields: string[];
}

export type FieldRuleEffect = 'show' | 'hide' | 'require';
export const FIELD_RULE_EFFECTS: readonly FieldRuleEffect[] = ['show', 'hide', 'require'];

export interface Dialog {
  /** Identifies the dialog (OTOBO ActivityDialog entity id on import). */
  id?: string;
  /** Title of the form. */
  name?: string;
  /** Short description shown above the form. */
  description?: string;
  /** Longer help text. */
  longDescription?: string;
  interfaces: Interface[];
  fields: DialogField[];
  /** Field rules: show, hide or require fields depending on another field's value (in order; see FieldRule). */
  rules?: FieldRule[];
  /** Text of the submit button. */
  submitText?: string;
  /** Advice shown next to the submit button. */
  submitAdvice?: string;
  /** The agent must lock the ticket to submit. */
  requiredLock?: boolean;
  /** Translations of `name`, `description`, `longDescription`, `submitText` and `submitAdvice`. */
  i18n?: I18n;
}

/** Who a user task is offered to; any combination. Values are names (queue, role, agent login) or templates. */
export interface Assign {
  queue?: string;
  role?: string;
  agent?: string;
}

const display = { enum: ['hidden', 'shown', 'mandatory'] };
const text = (max: number) => ({ type: 'string', maxLength: max });
const scalar = { type: ['string', 'number', 'boolean'] };

/**
 * The JSON Schema of an `i18n` map whose texts may be the given properties (with their lengths):
 * language tags (`de`, `pt-BR`) to texts.
 */
export const i18nSchema = (texts: Record<string, number>) => ({
  type: 'object',
  maxProperties: 100,
  propertyNames: { pattern: '^[a-z]{2,3}(-[A-Z][A-Za-z]{1,3})?$', description: 'a language tag such as de or pt-BR' },
  additionalProperties: {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(texts).map(([k, max]) => [k, text(max)])),
  },
});

/** JSON Schema `$defs` for dialogs (refer to `#/$defs/dialog`). */
export const dialogDefs = {
  interfaces: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { enum: ['agent', 'customer'] },
    description: 'must list agent and/or customer',
  },
  dialogField: {
    type: 'object',
    required: ['field', 'display'],
    additionalProperties: false,
    properties: {
      field: { type: 'string', minLength: 1, maxLength: 200 },
      display,
      default: { anyOf: [scalar, { type: 'null' }, { type: 'array', items: scalar, maxItems: 1000 }] },
      label: text(500),
      description: text(5000),
      visibleForCustomer: { type: 'boolean' },
      channel: { type: 'string', minLength: 1, maxLength: 100 },
      timeUnits: display,
      i18n: i18nSchema({ label: 500, description: 5000 }),
    },
  },
  fieldRule: {
    type: 'object',
    required: ['when', 'then', 'fields'],
    additionalProperties: false,
    properties: {
      when: comparisonSchema,
      then: { enum: ['show', 'hide', 'require'], description: 'must be show, hide or require' },
      fields: { type: 'array', minItems: 1, maxItems: 500, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 200 } },
    },
  },
  dialog: {
    type: 'object',
    required: ['interfaces', 'fields'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', minLength: 1, maxLength: 200 },
      name: text(500),
      description: text(5000),
      longDescription: text(20000),
      interfaces: { $ref: '#/$defs/interfaces' },
      fields: { type: 'array', maxItems: 500, items: { $ref: '#/$defs/dialogField' } },
      rules: { type: 'array', maxItems: 500, items: { $ref: '#/$defs/fieldRule' } },
      submitText: text(200),
      submitAdvice: text(2000),
      requiredLock: { type: 'boolean' },
      i18n: i18nSchema({ name: 500, description: 5000, longDescription: 20000, submitText: 200, submitAdvice: 2000 }),
    },
  },
  assign: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    description: 'needs at least one of queue, role, agent',
    properties: {
      queue: { type: 'string', minLength: 1, maxLength: 500 },
      role: { type: 'string', minLength: 1, maxLength: 500 },
      agent: { type: 'string', minLength: 1, maxLength: 500 },
    },
  },
} as const;
