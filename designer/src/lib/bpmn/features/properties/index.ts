/**
 * didi module: the helpdesk properties provider (see HelpdeskPropertiesProvider). Needs the
 * properties panel modules and an `hdCatalog` value (the pickers' lists).
 */
import HelpdeskPropertiesProvider from './HelpdeskPropertiesProvider';

export type { Catalog } from './HelpdeskPropertiesProvider';

export default {
  __init__: ['helpdeskPropertiesProvider'],
  helpdeskPropertiesProvider: ['type', HelpdeskPropertiesProvider],
};
