/**
 * Scenario helpers for the engine: load a process fixture (validated, so a typo in a fixture fails
 * loudly), and drive an instance event by event with a fixed clock, keeping the state and collecting
 * what each step returned.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeployable, validateProcess, type Process } from '../../engine/index';
import {
  initialState, step, type Effect, type InstanceEvent, type InstanceState, type Snapshot, type StepContext, type StepResult,
} from '../../engine/runtime/index';

export const NOW = Date.UTC(2025, 2, 3, 9, 0, 0);

/** A process fixture from `fixtures/`, checked by the validator. */
export function fixture(name: string): Process {
  const doc = JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/${name}.json`, import.meta.url)), 'utf8')) as Process;
  const problems = validateProcess(doc).filter((p) => p.severity === 'error');
  if (!isDeployable(problems)) throw new Error(`fixture ${name} is invalid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
  return doc;
}

export type EffectOf<T extends Effect['type']> = Extract<Effect, { type: T }>;

/** An instance driven through events; `last` is the result of the latest step. */
export class Instance {
  state: InstanceState = initialState();
  last!: StepResult;
  readonly history: StepResult[] = [];

  constructor(readonly process: Process, readonly ctx: StepContext = { clock: () => NOW }) {}

  send(event: InstanceEvent): StepResult {
    this.last = step(this.process, this.state, event, this.ctx);
    this.state = this.last.state;
    this.history.push(this.last);
    return this.last;
  }

  start(snapshot: Snapshot, vars?: Record<string, never>): StepResult {
    return this.send({ type: 'start', snapshot, by: 'tester', ...(vars ? { vars } : {}) });
  }

  submit(nodeId: string, snapshot: Snapshot, by = 'agent1'): StepResult {
    return this.send({ type: 'dialogSubmitted', nodeId, by, snapshot });
  }

  /** Answers the latest `runScript` of `nodeId` with a patch. */
  finishScript(nodeId: string, result: { vars?: Record<string, unknown>; dynamicFields?: Record<string, unknown> }, snapshot: Snapshot): StepResult {
    const run = this.history.flatMap((r) => r.effects).filter((e): e is EffectOf<'runScript'> => e.type === 'runScript' && e.nodeId === nodeId).pop();
    if (!run) throw new Error(`no runScript for ${nodeId} so far`);
    return this.send({ type: 'scriptFinished', tokenId: run.token, run: run.run, nodeId, result: result as never, snapshot });
  }

  /** The effect of a type (for a node) in the last step; fails when there is none. */
  effect<T extends Effect['type']>(type: T, nodeId?: string): EffectOf<T> {
    const found = this.last.effects.find((e) => e.type === type && (nodeId === undefined || ('nodeId' in e && e.nodeId === nodeId)));
    if (!found) throw new Error(`no ${type}${nodeId ? ` for ${nodeId}` : ''} in ${JSON.stringify(this.last.effects.map((e) => e.type))}`);
    return found as EffectOf<T>;
  }

  effectTypes(): string[] {
    return this.last.effects.map((e) => ('nodeId' in e ? `${e.type}:${e.nodeId}` : e.type));
  }

  /** Where the tokens are: `node/wait` or `node!CODE` for a stuck one. */
  where(): string[] {
    return this.state.tokens.map((t) => (t.status === 'incident' ? `${t.nodeId}!${t.incident?.code}` : `${t.nodeId}/${t.wait}`));
  }

  /** The transitions taken so far (from the full logs, not the capped path). */
  taken(): string[] {
    return this.history.flatMap((r) => r.log).filter((e) => e.ev === 'leave' && e.tr).map((e) => e.tr!);
  }
}

/** A snapshot with a ticket and dynamic fields. */
export function ticket(fields: Record<string, unknown> = {}, dynamicFields: Record<string, unknown> = {}): Snapshot {
  return {
    ticket: { id: 42, number: '2025030310000042', title: 'Printer on fire', queue: 'Support::L1', state: 'open', owner: 'alice', responsible: 'bob', ...fields, dynamicFields } as Snapshot['ticket'],
    customer: { login: 'jdoe', email: 'jdoe@example.com', firstName: 'Jane' },
  };
}
