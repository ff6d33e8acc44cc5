/** Start event: the token leaves at once by the first transition that holds. */
import { leave } from '../flow';
import type { StartEvent } from '../../model/types';
import type { NodeBehaviour } from './behaviour';

export const startEvent: NodeBehaviour<StartEvent> = {
  enter: (run, token) => void leave(run, token),
};
