/** didi module: the helpdesk replace menu (see HelpdeskReplaceMenu). */
import HelpdeskReplaceMenu from './HelpdeskReplaceMenu';

export default {
  __init__: ['helpdeskReplaceMenu'],
  helpdeskReplaceMenu: ['type', HelpdeskReplaceMenu],
};
