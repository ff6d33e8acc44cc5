/** didi module: the helpdesk context pad (see HelpdeskContextPad). */
import HelpdeskContextPad from './HelpdeskContextPad';

export default {
  __init__: ['helpdeskContextPad'],
  helpdeskContextPad: ['type', HelpdeskContextPad],
};
