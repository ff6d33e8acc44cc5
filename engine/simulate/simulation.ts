/**
 * The simulation run loop: drives the pure `step` function for one instance with an in-memory
 * ticket, applies its effects, and answers the work the engine asks for from the scenario: scripts
 * (canned or through the injected runner), service calls (canned, possibly delayed), called processes
 * (canned or simulated in turn), dialogs (the scenario's, in list order) and timers (on the simulated
 * clock). Builds the report when nothing is left to do.
 *
 * Order of work, each time the instance has settled: automatic work first (scripts, service calls,
 * called processes, in the order the engine asked for them), then the next scenario dialog whose
 * user task is open (list order), then the earliest timer (the clock moves to its due time, within
 * `clock.advance`). The simulation stops when none of these is left.
 */
import { EventRefused } from '../errors';
import { addDuration, parseDuration } from '../model/iso8601';
import type { JsonValue, Process, ProcessNode, Scenario, ScenarioChildAnswer, ScenarioDialog, ScenarioScriptAnswer, ScenarioServiceAnswer, UserTask } from '../model/types';
import type { CallServiceEffect, Effect, RunScriptEffect, ScheduleTimerEffect, StartChildEffect } from '../runtime/effects';
import type { InstanceEvent } from '../runtime/events';
import { dialogFor } from '../runtime/nodes/user-task';
import { overlayAction } from '../runtime/resolve';
import type { Snapshot } from '../runtime/snapshot';
import type { InstanceState, PathEntry } from '../runtime/state';
import { step } from '../runtime/step';
import type { StepContext } from '../runtime/run';
import { checkExpectations } from './expectations';
import { initialTicket, stateTypeOf, writeField } from './ticket';
import type {
  SimulatedActions, SimulatedCall, SimulatedIncident, SimulateOptions, SimulationPathEntry, SimulationProblem, SimulationReport, SimulationStatus,
} from './types';

export const DEFAULT_MAX_STEPS = 500;
export const DEFAULT_MAX_TIMERS = 100;

/** The scenario inputs shared by a simulation and the called processes it simulates. */
export interface Inputs {
  scenario: Scenario;
  usedDialogs: Set<number>;
  /** Per `services`/`scripts`/`children` entry: answers used so far. */
  counters: Map<string, number>;
  /** When a dialog with `after` was chosen: the time it is submitted at. */
  dialogAt: Map<number, number>;
  steps: number;
}

/**
 * Fresh inputs for a top-level simulation of `scenario` (nothing used yet, no steps taken).
 *
 * @example
 * newInputs({ name: 'approved' }).steps; // 0
 */
export function newInputs(scenario: Scenario): Inputs {
  return { scenario, usedDialogs: new Set(), counters: new Map(), dialogAt: new Map(), steps: 0 };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * One simulated instance (the top-level process or a called one): its state, the simulated clock and
 * the queues of work, timers and delayed answers, plus everything the report lists.
 *
 * @example
 * const sim = new Simulation(process, newInputs(scenario), options, 0, { snapshot, now, vars: {} });
 * const report = await sim.run({ type: 'start', snapshot: sim.snapshot(), vars: {}, by: 'simulator' });
 */
export class Simulation {
  state: InstanceState | null = null;
  snap: Snapshot;
  now: number;
  readonly start: number;
  readonly limit: number;
  readonly maxSteps: number;
  readonly queue: Array<RunScriptEffect | CallServiceEffect | StartChildEffect> = [];
  readonly timers = new Map<string, ScheduleTimerEffect>();
  /** Service answers delayed by `after`, due on the simulated clock. */
  readonly delayed: Array<{ dueAt: number; node: string; event: InstanceEvent }> = [];
  timersFired = 0;
  stopped?: 'steps' | 'timers';
  endNode?: string;
  readonly path: SimulationPathEntry[] = [];
  readonly actions: SimulatedActions[] = [];
  readonly calls: SimulatedCall[] = [];
  readonly articles: SimulationReport['articles'] = [];
  readonly mails: SimulationReport['mails'] = [];
  readonly incidents: Array<SimulatedIncident & { token?: string }> = [];
  readonly problems: SimulationProblem[] = [];
  readonly children: Array<{ node: string; report: SimulationReport }> = [];
  readonly nodes: Map<string, ProcessNode>;
  /** The initial variables (reported when the instance never started). */
  readonly vars: Record<string, JsonValue>;

  constructor(
    readonly process: Process,
    readonly inputs: Inputs,
    readonly options: SimulateOptions,
    readonly depth: number,
    init: { snapshot: Snapshot; now: number; vars: Record<string, JsonValue> },
    readonly childKey?: string,
  ) {
    this.nodes = new Map(process.nodes.map((n) => [n.id, n]));
    this.snap = init.snapshot;
    this.now = init.now;
    this.start = init.now;
    const scenario = inputs.scenario;
    const advance = scenario.clock?.advance ? parseDuration(scenario.clock.advance) : undefined;
    this.limit = advance?.ok ? addDuration(this.start, advance.value) : Number.POSITIVE_INFINITY;
    this.maxSteps = scenario.maxSteps ?? DEFAULT_MAX_STEPS;
    this.vars = init.vars;
  }

  problem(p: SimulationProblem): void {
    this.problems.push(p);
  }

  /** Applies one event through `step`; false when it was refused or a limit stopped it. */
  apply(event: InstanceEvent): boolean {
    if (this.inputs.steps >= this.maxSteps) {
      if (!this.stopped) this.problem({ code: 'STEP_LIMIT', message: `The simulation stopped after ${this.maxSteps} steps (maxSteps); the process may loop.` });
      this.stopped = 'steps';
      return false;
    }
    this.inputs.steps++;
    const evaluate = this.options.evaluateExpression;
    const budget = this.options.expressionBudget;
    const ctx: StepContext = {
      clock: () => this.now,
      ...(evaluate ? { evaluateExpression: (expression, scope, limits) => evaluate(expression, scope, this.now, limits) } : {}),
      ...(budget ? { expressionBudget: budget } : {}),
    };
    let r;
    try {
      r = step(this.process, this.state, event, ctx);
    } catch (e) {
      if (e instanceof EventRefused) {
        if (e.code !== 'STALE_EVENT') this.problem({ code: `REFUSED_${e.code}`, message: `The engine refused the event "${event.type}": ${e.message}` });
        return false;
      }
      throw e;
    }
    this.state = r.state;
    for (const entry of r.log) this.path.push(this.entry(entry));
    for (const effect of r.effects) this.effect(effect);
    return true;
  }

  entry(e: PathEntry): SimulationPathEntry {
    const name = e.node ? this.nodes.get(e.node)?.name : undefined;
    return {
      at: iso(e.at),
      event: e.ev,
      ...(e.node ? { node: e.node } : {}),
      ...(name ? { nodeName: name } : {}),
      ...(e.tr ? { transition: e.tr } : {}),
      ...(e.why ? { why: e.why } : {}),
      ...(e.by ? { by: e.by } : {}),
      ...(e.code ? { code: e.code } : {}),
      ...(this.childKey ? { process: this.childKey } : {}),
    };
  }

  effect(effect: Effect): void {
    switch (effect.type) {
      case 'runScript': case 'callService': case 'startChild':
        this.queue.push(effect);
        break;
      case 'applyActions':
        for (const a of effect.actions) {
          if (a.type === 'SendEmail') {
            this.mails.push({
              at: iso(this.now), node: effect.nodeId, ...(effect.transition ? { transition: effect.transition } : {}), to: a.to,
              ...(a.cc ? { cc: a.cc } : {}), ...(a.bcc ? { bcc: a.bcc } : {}), ...(a.subject ? { subject: a.subject } : {}), ...(a.body ? { body: a.body } : {}), ...(a.template ? { template: a.template } : {}),
              ...(this.childKey ? { process: this.childKey } : {}),
            });
          }
          overlayAction(this.snap, a, this.now);
          if (a.type === 'TicketStateSet') this.snap.ticket.stateType = stateTypeOf(String(a.state));
        }
        this.actions.push({
          at: iso(this.now), node: effect.nodeId, ...(effect.transition ? { transition: effect.transition } : {}), source: effect.source, actions: effect.actions,
          ...(this.childKey ? { process: this.childKey } : {}),
        });
        break;
      case 'complete':
        this.endNode = effect.nodeId;
        break;
      case 'incident':
        this.incidents.push({ at: iso(this.now), node: effect.nodeId, code: effect.code, message: effect.message, resolved: false, token: effect.token, ...(this.childKey ? { process: this.childKey } : {}) });
        break;
      case 'incidentResolved': {
        const open = [...this.incidents].reverse().find((i) => !i.resolved && i.token === effect.token && i.code === effect.code);
        if (open) open.resolved = true;
        break;
      }
      case 'scheduleTimer':
        this.timers.set(effect.key, effect);
        break;
      case 'cancelTimer':
        this.timers.delete(effect.key);
        break;
      case 'cancelChild': {
        const i = this.queue.findIndex((w) => w.type === 'startChild' && w.run === effect.run);
        if (i >= 0) this.queue.splice(i, 1);
        break;
      }
      default:
        break; // openUserTask / closeUserTask: the open tasks are read from the state
    }
  }

  snapshot(): Snapshot {
    return structuredClone(this.snap);
  }

  running(): boolean {
    return !!this.state && (this.state.status === 'running' || this.state.status === 'incident') && !this.stopped;
  }

  /** The next answer of a `services`/`scripts`/`children` entry, or undefined when none is left. */
  answer<T>(kind: 'services' | 'scripts' | 'children', key: string): T | undefined {
    const entry = (this.inputs.scenario[kind] as Record<string, T | T[]> | undefined)?.[key];
    if (entry === undefined) return undefined;
    if (!Array.isArray(entry)) return entry;
    const id = `${kind}:${key}`;
    const n = this.inputs.counters.get(id) ?? 0;
    this.inputs.counters.set(id, n + 1);
    return entry[n];
  }

  async run(start: InstanceEvent): Promise<SimulationReport> {
    this.apply(start);
    while (this.running()) {
      const work = this.queue.shift();
      if (work) {
        await this.work(work);
        continue;
      }
      if (this.dialogStep()) continue;
      if (this.timerStep(this.limit)) continue;
      break;
    }
    return this.report();
  }

  // --- automatic work ------------------------------------------------------------------------------

  async work(w: RunScriptEffect | CallServiceEffect | StartChildEffect): Promise<void> {
    const token = this.state?.tokens.find((t) => t.id === w.token);
    if (!token || (token.run !== undefined && token.run !== w.run)) return; // the task was left meanwhile
    if (w.type === 'runScript') await this.script(w);
    else if (w.type === 'callService') this.service(w);
    else await this.child(w);
  }

  async script(w: RunScriptEffect): Promise<void> {
    const base = { tokenId: w.token, nodeId: w.nodeId, run: w.run };
    const target = 'ref' in w.script ? w.script.ref : 'inline';
    const canned = this.answer<ScenarioScriptAnswer>('scripts', w.nodeId);
    if (canned) {
      const ok = 'result' in canned;
      this.calls.push({ at: iso(this.now), node: w.nodeId, kind: 'script', target, params: w.params, outcome: ok ? 'result' : 'error', canned: true, ...(ok ? {} : { message: canned.error.message ?? '' }) });
      if ('result' in canned) this.apply({ type: 'scriptFinished', ...base, result: canned.result, snapshot: this.snapshot() });
      else {
        this.apply({
          type: 'scriptFailed', ...base, kind: canned.error.code ? 'business' : 'script', message: canned.error.message ?? 'the script failed (canned)',
          ...(canned.error.code ? { errorCode: canned.error.code } : {}), snapshot: this.snapshot(),
        });
      }
      return;
    }
    if (!this.options.runScript) {
      this.calls.push({ at: iso(this.now), node: w.nodeId, kind: 'script', target, params: w.params, outcome: 'missing', canned: false });
      this.problem({ code: 'NO_SCRIPT_RUNNER', node: w.nodeId, message: `Script task "${w.nodeId}" needs its script run, but no script runner is available; give a canned result in scripts["${w.nodeId}"].` });
      return;
    }
    const r = await this.options.runScript(w, this.snapshot(), this.now);
    this.calls.push({ at: iso(this.now), node: w.nodeId, kind: 'script', target, params: w.params, outcome: r.ok ? 'result' : 'error', canned: false, ...(r.ok ? {} : { message: r.error.message }) });
    if (r.ok) this.apply({ type: 'scriptFinished', ...base, result: { vars: r.vars, dynamicFields: r.dynamicFields }, snapshot: this.snapshot() });
    else {
      this.apply({
        type: 'scriptFailed', ...base, kind: r.error.kind, message: r.error.message,
        ...(r.error.line !== undefined ? { line: r.error.line } : {}), ...(r.error.code ? { errorCode: r.error.code } : {}), snapshot: this.snapshot(),
      });
    }
  }

  service(w: CallServiceEffect): void {
    const key = `${w.webservice}/${w.operation}`;
    const base = { tokenId: w.token, nodeId: w.nodeId, run: w.run };
    const canned = this.answer<ScenarioServiceAnswer>('services', key);
    if (!canned) {
      this.calls.push({ at: iso(this.now), node: w.nodeId, kind: 'service', target: key, params: w.params, outcome: 'missing', canned: false });
      this.problem({ code: 'NO_CANNED_RESPONSE', node: w.nodeId, path: `/services/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: `Service task "${w.nodeId}" calls ${key}, but the scenario has no (more) canned answers for it; nothing is called in a simulation.` });
      return;
    }
    let event: InstanceEvent;
    if ('result' in canned) {
      this.calls.push({ at: iso(this.now), node: w.nodeId, kind: 'service', target: key, params: w.params, outcome: 'result', canned: true });
      event = { type: 'serviceFinished', ...base, result: canned.result, ...(canned.status ? { status: canned.status } : {}), snapshot: this.snap };
    } else {
      const { status } = canned.error;
      const code = canned.error.code ?? (status === 404 ? 'HTTP_404' : status && status >= 500 ? 'HTTP_5XX' : status && status >= 400 ? 'HTTP_4XX' : 'NETWORK');
      const message = canned.error.message ?? (status ? `HTTP ${status}` : code);
      this.calls.push({ at: iso(this.now), node: w.nodeId, kind: 'service', target: key, params: w.params, outcome: 'error', canned: true, message });
      event = { type: 'serviceFailed', ...base, errorCode: code, message, ...(status ? { status } : {}), snapshot: this.snap };
    }
    const delay = canned.after ? parseDuration(canned.after) : undefined;
    if (delay && !delay.ok) {
      this.problem({ code: 'BAD_DURATION', node: w.nodeId, path: `/services/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: delay.error });
      return;
    }
    if (delay) this.delayed.push({ dueAt: addDuration(this.now, delay.value), node: w.nodeId, event });
    else this.apply({ ...event, snapshot: this.snapshot() } as InstanceEvent);
  }

  async child(w: StartChildEffect): Promise<void> {
    const base = { tokenId: w.token, run: w.run };
    const canned = this.answer<ScenarioChildAnswer>('children', w.nodeId);
    if (canned) {
      this.calls.push({ at: iso(this.now), node: w.nodeId, kind: 'child', target: w.process, params: w.vars, outcome: 'result', canned: true });
      this.apply({ type: 'childCompleted', ...base, status: canned.status ?? 'completed', vars: canned.vars ?? {}, snapshot: this.snapshot() });
      return;
    }
    const def = this.depth < (this.options.maxDepth ?? 5) ? await this.options.resolveProcess?.(w.process, w.version) : undefined;
    if (!def) {
      this.calls.push({ at: iso(this.now), node: w.nodeId, kind: 'child', target: w.process, params: w.vars, outcome: 'missing', canned: false });
      this.problem({
        code: 'NO_CHILD_RESULT', node: w.nodeId, path: `/children/${w.nodeId}`,
        message: `Call activity "${w.nodeId}" calls "${w.process}", which is ${this.depth >= (this.options.maxDepth ?? 5) ? 'nested too deeply' : 'not known here'}; give its result in children["${w.nodeId}"].`,
      });
      return;
    }
    const same = w.binding === 'same-ticket';
    const snapshot: Snapshot = same ? this.snapshot() : { ...this.snapshot(), ticket: initialTicket(def, { title: this.snap.ticket.title ?? def.name }, this.now) };
    const sim = new Simulation(def, this.inputs, this.options, this.depth + 1, { snapshot, now: this.now, vars: w.vars }, w.process);
    const report = await sim.run({ type: 'start', snapshot: sim.snapshot(), vars: w.vars, by: 'simulator' });
    this.children.push({ node: w.nodeId, report });
    this.path.push(...sim.path);
    this.actions.push(...sim.actions);
    this.mails.push(...sim.mails);
    this.incidents.push(...sim.incidents);
    this.problems.push(...sim.problems);
    this.now = Math.max(this.now, sim.now);
    if (same) this.snap.ticket = sim.snap.ticket;
    const done = report.status === 'completed' || report.status === 'cancelled';
    this.calls.push({ at: iso(this.now), node: w.nodeId, kind: 'child', target: w.process, params: w.vars, outcome: done ? 'result' : 'missing', canned: false, ...(done ? {} : { message: `the called process is ${report.status}` }) });
    if (done) this.apply({ type: 'childCompleted', ...base, status: report.status as 'completed' | 'cancelled', vars: report.vars, snapshot: this.snapshot() });
  }

  // --- dialogs -------------------------------------------------------------------------------------

  /** Submits the next scenario dialog whose user task is open (after its `after` time); false when there is none. */
  dialogStep(): boolean {
    const dialogs = this.inputs.scenario.dialogs ?? [];
    const open = new Set((this.state?.tokens ?? []).filter((t) => t.wait === 'dialog').map((t) => t.nodeId));
    for (let i = 0; i < dialogs.length; i++) {
      const d = dialogs[i]!;
      if (this.inputs.usedDialogs.has(i) || !open.has(d.node)) continue;
      const node = this.nodes.get(d.node);
      if (node?.type !== 'userTask') continue;
      if (d.after) {
        let at = this.inputs.dialogAt.get(i);
        if (at === undefined) {
          const dur = parseDuration(d.after);
          if (!dur.ok) {
            this.inputs.usedDialogs.add(i);
            this.problem({ code: 'BAD_DURATION', node: d.node, path: `/dialogs/${i}/after`, message: dur.error });
            return true;
          }
          at = addDuration(this.now, dur.value);
          this.inputs.dialogAt.set(i, at);
        }
        if (this.timerStep(at)) return true; // timers due before the submission fire first
        this.now = Math.max(this.now, at);
        if (!(this.state?.tokens ?? []).some((t) => t.wait === 'dialog' && t.nodeId === d.node)) return true;
      }
      this.inputs.usedDialogs.add(i);
      this.submit(node, d, i);
      return true;
    }
    return false;
  }

  submit(node: UserTask, d: ScenarioDialog, index: number): void {
    const iface = d.interface ?? node.dialog.interfaces[0] ?? 'agent';
    const dialog = dialogFor(node, iface);
    const fields = d.fields ?? {};
    const at = `/dialogs/${index}`;
    if (!dialog) {
      this.problem({ code: 'INTERFACE_NOT_ALLOWED', node: node.id, path: `${at}/interface`, message: `The dialog of "${node.id}" is not offered in the ${iface} interface.` });
      return;
    }
    const byName = new Map(dialog.fields.map((f) => [f.field, f]));
    for (const k of Object.keys(fields)) {
      const f = byName.get(k);
      if (!f || f.display === 'hidden') {
        this.problem({ code: 'UNKNOWN_FIELD', node: node.id, path: `${at}/fields/${k}`, message: `The dialog of "${node.id}" has no field "${k}" to fill in; the submission would be refused.` });
        return;
      }
    }
    const empty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
    const ticket = this.snap.ticket;
    for (const f of dialog.fields) {
      const value = f.display === 'hidden' ? f.default : fields[f.field];
      if (f.display === 'mandatory' && empty(value)) {
        this.problem({ code: 'FIELD_REQUIRED', node: node.id, path: `${at}/fields/${f.field}`, message: `"${f.label ?? f.field}" is mandatory in the dialog of "${node.id}"; the submission would be refused.` });
        return;
      }
    }
    for (const f of dialog.fields) {
      const value = (f.display === 'hidden' ? f.default : fields[f.field]) as JsonValue | undefined;
      if (value === undefined || (f.display === 'hidden' && value === null)) continue;
      writeField(ticket, f.field, value, (article) => this.articles.push({ node: node.id, ...article }));
    }
    this.apply({ type: 'dialogSubmitted', nodeId: node.id, by: d.by ?? 'simulator', interface: iface, snapshot: this.snapshot() });
  }

  // --- timers --------------------------------------------------------------------------------------

  /** Fires the earliest timer due at or before `until`; false when there is none (or the timer limit is reached). */
  timerStep(until: number): boolean {
    let next: ScheduleTimerEffect | undefined;
    for (const t of this.timers.values()) if (!next || t.dueAt < next.dueAt) next = t;
    const answer = this.delayed.reduce<(typeof this.delayed)[number] | undefined>((a, d) => (!a || d.dueAt < a.dueAt ? d : a), undefined);
    if (answer && answer.dueAt <= until && (!next || answer.dueAt < next.dueAt)) {
      this.delayed.splice(this.delayed.indexOf(answer), 1);
      this.now = Math.max(this.now, answer.dueAt);
      this.apply({ ...answer.event, snapshot: this.snapshot() } as InstanceEvent);
      return true;
    }
    if (!next || next.dueAt > until) return false;
    if (this.timersFired >= (this.options.maxTimers ?? DEFAULT_MAX_TIMERS)) {
      this.stopped = 'timers';
      return false;
    }
    this.timersFired++;
    this.timers.delete(next.key);
    this.now = Math.max(this.now, next.dueAt);
    this.apply({ type: 'timerFired', timer: next.key, snapshot: this.snapshot() });
    return true;
  }

  // --- the report ----------------------------------------------------------------------------------

  status(): SimulationStatus {
    const s = this.state?.status;
    if (s === 'completed' || s === 'cancelled' || s === 'incident') return s;
    if (this.stopped || !this.state) return 'running';
    return 'waiting';
  }

  report(): SimulationReport {
    const status = this.status();
    const entered = this.path.filter((e) => e.event === 'enter' && e.process === this.childKey).map((e) => e.node!);
    const ends = this.path.filter((e) => e.event === 'end' && e.process === this.childKey);
    const endNode = this.endNode ?? ends[ends.length - 1]?.node;
    const vars = this.state?.vars ?? this.vars;
    const waitingAt = (this.state?.tokens ?? []).filter((t) => t.status === 'waiting').map((t) => ({ node: t.nodeId, wait: t.wait ?? 'unknown' }));
    const expectations = this.depth === 0
      ? checkExpectations(this.inputs.scenario.expect, { status, entered, endNode, vars, waitingAt: waitingAt.map((w) => w.node), ticket: this.snap.ticket, incidents: this.incidents, actions: this.actions })
      : [];
    const report: SimulationReport = {
      process: { key: this.process.key, ...(this.process.version !== undefined ? { version: this.process.version } : {}) },
      scenario: this.inputs.scenario.name,
      status,
      path: this.path,
      actions: this.actions,
      calls: this.calls,
      articles: this.articles,
      mails: this.mails,
      ticket: this.snap.ticket,
      vars,
      incidents: this.incidents.map(({ token: _token, ...i }) => i),
      waitingAt,
      timers: [...this.timers.values()].sort((a, b) => a.dueAt - b.dueAt).map((t) => ({ key: t.key, node: t.nodeId, dueAt: iso(t.dueAt) })),
      steps: this.inputs.steps,
      clock: { start: iso(this.start), end: iso(this.now) },
      problems: this.problems,
      expectations,
      passed: this.problems.length === 0 && expectations.every((e) => e.ok),
    };
    if (this.children.length) report.children = this.children;
    return report;
  }
}
