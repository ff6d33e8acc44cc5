/**
 * The catalogue behind the properties panel's pickers on the process canvas: the ticket dynamic
 * fields, queues, states, priorities and types, the other processes (for call activities) and the
 * outbound web services. Each list fills in when it arrives; one that fails stays as it was.
 */
import type { Catalog } from '$lib/bpmn/modeler';
import { listOutboundServices } from '$lib/designer/outbound';
import { createDynamicField, listDynamicFields, listNames, listProcesses } from '$lib/processes';

/** An empty catalogue, handed to the modeler first and filled by loadCatalog() in place. */
export const emptyCatalog = (): Catalog => ({ dynamicFields: [], queues: [], states: [], priorities: [], types: [] });

/**
 * Fills `catalog` in place (the modeler holds it and reads it when the panel renders); `key` is
 * the process on the canvas, left out of the processes it can call.
 */
export async function loadCatalog(catalog: Catalog, key: string): Promise<void> {
  const [fields, queues, states, priorities, types, processes, services] = await Promise.allSettled([
    listDynamicFields(), listNames('queues'), listNames('states'), listNames('priorities'), listNames('types'), listProcesses(), listOutboundServices(),
  ]);
  if (processes.status === 'fulfilled') {
    catalog.processes = processes.value.filter((p) => p.key !== key).map((p) => ({
      key: p.key, name: p.name, versions: Array.from({ length: p.latestVersion ?? 0 }, (_, i) => i + 1),
    }));
  }
  if (services.status === 'fulfilled') catalog.services = services.value.map((x) => ({ name: x.name, operations: Object.keys(x.operations) }));
  if (fields.status === 'fulfilled') {
    const ticket = fields.value.filter((f) => f.objectType === 'ticket' && f.valid);
    catalog.dynamicFields = ticket.map((f) => f.name);
    catalog.dynamicFieldDefs = ticket.map((f) => ({ name: f.name, label: f.label, fieldType: f.fieldType, ...(f.config?.possibleValues ? { possibleValues: f.config.possibleValues } : {}) }));
  }
  catalog.createDynamicField = async ({ possibleValues, ...field }) => {
    await createDynamicField({ ...field, ...(possibleValues ? { config: { possibleValues } } : {}) });
    const list = (await listDynamicFields()).filter((f) => f.objectType === 'ticket' && f.valid);
    catalog.dynamicFields = list.map((f) => f.name);
    catalog.dynamicFieldDefs = list.map((f) => ({ name: f.name, label: f.label, fieldType: f.fieldType, ...(f.config?.possibleValues ? { possibleValues: f.config.possibleValues } : {}) }));
  };
  if (queues.status === 'fulfilled') catalog.queues = queues.value;
  if (states.status === 'fulfilled') catalog.states = states.value;
  if (priorities.status === 'fulfilled') catalog.priorities = priorities.value;
  if (types.status === 'fulfilled') catalog.types = types.value;
}
