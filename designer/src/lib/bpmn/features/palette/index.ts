/** didi module: the helpdesk palette (see HelpdeskPalette). */
import HelpdeskPalette from './HelpdeskPalette';

export default {
  __init__: ['helpdeskPalette'],
  helpdeskPalette: ['type', HelpdeskPalette],
};
