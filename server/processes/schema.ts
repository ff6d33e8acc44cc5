/** JSON Schemas of the process endpoints. The process document itself is `process/1` (engine/). */
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;

export const keySchema = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,99}$' } as const;
export const stateSchema = { enum: ['active', 'inactive', 'fadeaway'] } as const;
/** A process document as stored: any object (drafts may be unfinished); validation reports problems. */
export const processDocument = { type: 'object', description: 'a process/1 document (see processes/schema/process-1.schema.json)' } as const;

export const problemSchema = {
  type: 'object',
  required: ['severity', 'code', 'message', 'path'],
  properties: {
    severity: { enum: ['error', 'warning'] },
    code: { type: 'string' },
    message: { type: 'string' },
    path: { type: 'string' },
    nodeId: { type: 'string' },
    transitionId: { type: 'string' },
  },
} as const;
const problems = { type: 'array', items: problemSchema } as const;

const referenceItem = {
  type: 'object',
  required: ['kind', 'name', 'paths'],
  properties: { kind: { type: 'string' }, name: { type: 'string' }, paths: { type: 'array', items: { type: 'string' } }, creatable: { type: 'boolean' } },
} as const;
export const referenceReport = {
  type: 'object',
  additionalProperties: false,
  required: ['missing', 'unchecked'],
  properties: { missing: { type: 'array', items: referenceItem }, unchecked: { type: 'array', items: referenceItem } },
} as const;

export const processSummary = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'name', 'latestVersion', 'state', 'deployedAt', 'hasDraft', 'draftChanged', 'draftChangedAt', 'runningInstances', 'incidents'],
  properties: {
    key: { type: 'string' },
    name: { type: 'string' },
    latestVersion: { type: ['integer', 'null'] },
    state: { anyOf: [stateSchema, { type: 'null' }] },
    deployedAt: nullableDateTime,
    hasDraft: { type: 'boolean' },
    draftChanged: { type: 'boolean', description: 'the draft differs from the latest version' },
    draftChangedAt: nullableDateTime,
    runningInstances: { type: 'integer' },
    incidents: { type: 'integer' },
  },
} as const;

export const versionSummary = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'name', 'state', 'checksum', 'deployedAt', 'deployedBy'],
  properties: {
    version: { type: 'integer' },
    name: { type: 'string' },
    state: stateSchema,
    checksum: { type: 'string' },
    deployedAt: dateTime,
    deployedBy: { type: ['string', 'null'] },
  },
} as const;

export const versionView = {
  ...versionSummary,
  required: [...versionSummary.required, 'key', 'definition'],
  properties: { ...versionSummary.properties, key: { type: 'string' }, definition: processDocument },
} as const;

export const draftView = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'draft', 'changedAt', 'problems'],
  properties: { key: { type: 'string' }, draft: { anyOf: [processDocument, { type: 'null' }] }, changedAt: nullableDateTime, problems },
} as const;

export const draftSaved = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'changedAt', 'problems'],
  properties: { key: { type: 'string' }, changedAt: dateTime, problems },
} as const;

export const createdView = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'problems'],
  properties: { key: { type: 'string' }, problems },
} as const;

export const deployBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    createMissing: { type: 'boolean', default: false },
    force: { type: 'boolean', default: false, description: 'deploy even when the draft is identical to the latest version (otherwise 409 DEPLOY_UNCHANGED)' },
  },
} as const;

export const deployedView = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'version', 'state', 'created'],
  properties: { key: { type: 'string' }, version: { type: 'integer' }, state: stateSchema, created: { type: 'array', items: referenceItem } },
} as const;

export const validationView = {
  type: 'object',
  additionalProperties: false,
  required: ['valid', 'problems', 'references'],
  properties: { valid: { type: 'boolean' }, problems, references: referenceReport },
} as const;

const elementNotes = {
  type: 'array',
  items: { type: 'object', required: ['id', 'type', 'reason'], properties: { id: { type: 'string' }, type: { type: 'string' }, reason: { type: 'string' } } },
} as const;

const importedProcess = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'name', 'format', 'stored', 'version', 'problems', 'references', 'created', 'warnings', 'unsupported', 'changed', 'outcome', 'reasons', 'existing', 'suggestedKey'],
  properties: {
    key: { type: 'string' },
    name: { type: 'string' },
    format: { enum: ['json', 'bpmn', 'otobo'] },
    stored: { type: 'boolean' },
    version: { type: ['integer', 'null'] },
    problems,
    references: referenceReport,
    created: { type: 'array', items: referenceItem },
    warnings: { type: 'array', items: { type: 'string' } },
    unsupported: elementNotes,
    changed: elementNotes,
    outcome: { enum: ['create', 'new-version', 'key-conflict', 'refused'], description: 'what the import does (or would do on a dry run)' },
    reasons: { type: 'array', items: { type: 'string' }, description: 'why it is refused, or what the key conflict is' },
    existing: {
      anyOf: [
        { type: 'object', required: ['key', 'name', 'latestVersion'], properties: { key: { type: 'string' }, name: { type: 'string' }, latestVersion: { type: ['integer', 'null'] } } },
        { type: 'null' },
      ],
    },
    suggestedKey: { type: ['string', 'null'], description: 'a free key to import under instead, when the key is taken' },
  },
} as const;

export const importView = {
  ...importedProcess,
  required: [...importedProcess.required, 'processes'],
  properties: {
    ...importedProcess.properties,
    processes: {
      type: 'array',
      items: importedProcess,
      description: 'every process of the file in import order (called processes first), each with its own outcome; the last is the one described above. The file imports whole or not at all',
    },
  },
} as const;

export const importQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    createMissing: { type: 'boolean', default: false },
    deploy: { type: 'boolean', default: false },
    dryRun: { type: 'boolean', default: false },
    onConflict: { enum: ['new-version', 'new-key'], description: 'when the key is taken: a new version of that process, or another key (key, else the suggested one)' },
    key: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 128, description: 'import under this key instead of the file\'s own' },
  },
} as const;

export const exportQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    format: { enum: ['json', 'bpmn'], default: 'json' },
    version: { anyOf: [{ type: 'integer', minimum: 1 }, { enum: ['latest', 'draft'] }], default: 'latest' },
  },
} as const;

export const diffQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: {
    from: { anyOf: [{ type: 'integer', minimum: 1 }, { const: 'draft' }] },
    to: { anyOf: [{ type: 'integer', minimum: 1 }, { const: 'draft' }] },
  },
} as const;

export const diffView = { type: 'object', description: 'nodes and transitions added, removed and changed' } as const;
