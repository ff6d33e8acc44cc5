/** What a semantic rule gets and gives: the raw document and its index in, problems out. */
import type { Graph } from './graph';
import type { Problem } from './problem';

export interface RuleContext {
  doc: unknown;
  graph: Graph;
}

export type Rule = (ctx: RuleContext) => Problem[];
