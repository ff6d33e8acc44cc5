// The canvas page: the modeler's code starts loading with the navigation, before the admin layout
// has checked the session, so the canvas appears sooner.
import { preloadModeler } from '$lib/bpmn/modeler';

export const load = () => {
  preloadModeler();
};
