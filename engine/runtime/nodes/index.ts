/** The behaviour of every node type, by type. */
import type { NodeType } from '../../model/types';
import type { NodeBehaviour } from './behaviour';
import { boundaryEvent } from './boundary-event';
import { endEvent } from './end-event';
import { exclusiveGateway } from './exclusive-gateway';
import { notSupportedYet } from './not-supported';
import { parallelGateway } from './parallel-gateway';
import { scriptTask } from './script-task';
import { startEvent } from './start-event';
import { userTask } from './user-task';

export type { NodeBehaviour } from './behaviour';

export const BEHAVIOURS: Readonly<Record<NodeType, NodeBehaviour<never>>> = {
  startEvent,
  endEvent,
  userTask,
  scriptTask,
  exclusiveGateway,
  parallelGateway,
  boundaryTimer: boundaryEvent,
  boundaryError: boundaryEvent,
  serviceTask: notSupportedYet,
  intermediateTimer: notSupportedYet,
  callActivity: notSupportedYet,
};
