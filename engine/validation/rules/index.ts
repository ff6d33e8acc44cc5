/** The semantic rules, in the order their problems are reported. */
import type { Rule } from '../rule';
import { unsupportedActions } from './actions';
import { arity } from './arity';
import { boundary } from './boundary';
import { conditions } from './conditions';
import { diagram } from './diagram';
import { dialogs } from './dialogs';
import { fieldRules } from './field-rules';
import { gatewayBranches } from './gateway-branches';
import { gatewayDefault } from './gateway-default';
import { reachability } from './reachability';
import { startEvent } from './start-event';
import { templates } from './templates';
import { tests } from './tests';
import { timers } from './timers';
import { transitionEnds } from './transition-ends';
import { transitionOrder } from './transition-order';
import { uniqueIds } from './unique-ids';
import { waitlessCycles } from './waitless-cycles';

export const RULES: ReadonlyArray<[name: string, rule: Rule]> = [
  ['start-event', startEvent],
  ['unique-ids', uniqueIds],
  ['transition-ends', transitionEnds],
  ['arity', arity],
  ['reachability', reachability],
  ['waitless-cycles', waitlessCycles],
  ['gateway-default', gatewayDefault],
  ['gateway-branches', gatewayBranches],
  ['boundary', boundary],
  ['timers', timers],
  ['conditions', conditions],
  ['dialogs', dialogs],
  ['field-rules', fieldRules],
  ['unsupported-actions', unsupportedActions],
  ['templates', templates],
  ['transition-order', transitionOrder],
  ['diagram', diagram],
  ['tests', tests],
];
