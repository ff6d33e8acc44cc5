/** The behaviour of every node type, by type. */
import type { NodeType } from '../../model/types';
import type { NodeBehaviour } from './behaviour';
import { boundaryEvent } from './boundary-event';
import { callActivity } from './call-activity';
import { endEvent } from './end-event';
import { exclusiveGateway } from './exclusive-gateway';
import { intermediateTimer } from './intermediate-timer';
import { parallelGateway } from './parallel-gateway';
import { scriptTask } from './script-task';
import { serviceTask } from './service-task';
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
  serviceTask,
  intermediateTimer,
  callActivity,
};
