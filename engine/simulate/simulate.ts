/**
 * The simulator (test mode): runs a process definition against a scenario entirely in memory, by
 * driving the pure `step` function with an in-memory ticket. Nothing is written and nothing is
 * called: dialogs come from the scenario, scripts run through an injected runner (or canned
 * results), service calls and called processes get canned answers (or a called process is simulated
 * in turn), and timers fire on a simulated clock when nothing else can happen. Pure and browser-safe
 * (no Node APIs); deterministic for a given scenario (ids from the state counter, injected clock).
 *
 * Order of work, each time the instance has settled: automatic work first (scripts, service calls,
 * called processes, in the order the engine asked for them), then the next scenario dialog whose
 * user task is open (list order), then the earliest timer (the clock moves to its due time, within
 * `clock.advance`). The simulation stops when none of these is left.
 */
import { EventRefused } from '../errors';
import { addDuration, parseDateTime, parseDuration } from '../model/iso8601';
import { deepEqual, isRecord } from '../model/json';
import { scenarioProblems } from '../model/scenario';
import type { JsonValue, Process, ProcessNode, Scenario, ScenarioChildAnswer, ScenarioDialog, ScenarioScriptAnswer, ScenarioServiceAnswer, UserTask } from '../model/types';
import type { CallServiceEffect, Effect, RunScriptEffect, ScheduleTimerEffect, StartChildEffect } from '../runtime/effects';
import type { InstanceEvent } from '../runtime/events';
import { dialogFor } from '../runtime/nodes/user-task';
import { overlayAction } from '../runtime/resolve';
import { TICKET_FIELD_PROPERTY, type Snapshot, type TicketSnapshot } from '../runtime/snapshot';
import type { InstanceState, PathEntry } from '../runtime/state';
import { step } from '../runtime/step';
import type { StepContext } from '../runtime/run';
import type {
  ExpectationResult, SimulatedActions, SimulatedCall, SimulatedIncident, SimulateOptions, SimulationPathEntry, SimulationProblem, SimulationReport, SimulationStatus,
} from './types';

/** Where the simulated clock starts when the scenario does not say (a Monday morning). */
export const DEFAULT_CLOCK_START = '2026-01-05T09:00:00Z';
export const DEFAULT_MAX_STEPS = 500;
export const DEFAULT_MAX_TIMERS = 100;
const DF = 'DynamicField_';

/** The scenario inputs shared by a simulation and the called processes it simulates. */
interface Inputs {
  scenario: Scenario;
  usedDialogs: Set<number>;
  /** Per `services`/`scripts`/`children` entry: answers used so far. */
  counters: Map<string, number>;
  /** When a dialog with `after` was chosen: the time it is submitted at. */
  dialogAt: Map<number, number>;
  steps: number;
}

/** The state type of the default OTRS states (the server knows the real one; the simulator guesses by name). */
export function stateTypeOf(state: string): string {
  const s = state.toLowerCase();
  if (s.startsWith('closed')) return 'closed';
  if (s.startsWith('pending auto')) return 'pending auto';
  if (s.startsWith('pending')) return 'pending reminder';
  if (['new', 'open', 'merged', 'removed'].includes(s)) return s;
  return 'open';
}

/** A ticket's value by condition spelling (`Queue`, `DynamicField_X`) or template spelling (`queue`, `dynamicFields.X`). */
function ticketValue(t: TicketSnapshot, field: string): JsonValue | undefined {
  if (field.startsWith(DF)) return t.dynamicFields?.[field.slice(DF.length)];
  if (field.startsWith('dynamicFields.')) return t.dynamicFields?.[field.slice('dynamicFields.'.length)];
  const prop = TICKET_FIELD_PROPERTY[field] ?? (field as keyof TicketSnapshot);
  return t[prop] as JsonValue | undefined;
}

const loose = (a: unknown, b: unknown) =>
  deepEqual(a, b) || ((typeof a === 'number' || typeof a === 'string') && (typeof b === 'number' || typeof b === 'string') && String(a) === String(b));

function isSubsequence(wanted: string[], actual: string[]): boolean {
  let i = 0;
  for (const a of actual) if (i < wanted.length && a === wanted[i]) i++;
  return i === wanted.length;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Ticket field (dialog spelling) → snapshot property. */
const DIALOG_FIELD: Record<string, keyof TicketSnapshot> = { ...TICKET_FIELD_PROPERTY, CustomerID: 'customerId' };

class Simulation {
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
    const ctx: StepContext = {
      clock: () => this.now,
      ...(evaluate ? { evaluateExpression: (expression, scope) => evaluate(expression, scope, this.now) } : {}),
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
    const expectations = this.depth === 0 ? this.expectations({ status, entered, endNode, vars, waitingAt: waitingAt.map((w) => w.node) }) : [];
    const report: SimulationReport = {
      process: { key: this.process.key, ...(this.process.version !== undefined ? { version: this.process.version } : {}) },
      scenario: this.inputs.scenario.name,
      status,
      path: this.path,
      actions: this.actions,
      calls: this.calls,
      articles: this.articles,
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

  expectations(got: { status: SimulationStatus; entered: string[]; endNode?: string; vars: Record<string, JsonValue>; waitingAt: string[] }): ExpectationResult[] {
    const x = this.inputs.scenario.expect;
    if (!x) return [];
    const out: ExpectationResult[] = [];
    const push = (what: string, ok: boolean, expected: unknown, actual: unknown) =>
      out.push({ what, ok, expected: (expected ?? null) as JsonValue, actual: (actual ?? null) as JsonValue });
    if (x.status !== undefined) push('status', x.status === got.status, x.status, got.status);
    if (x.path) push('path', isSubsequence(x.path, got.entered), x.path, got.entered);
    if (x.notPath) push('notPath', !x.notPath.some((n) => got.entered.includes(n)), x.notPath, x.notPath.filter((n) => got.entered.includes(n)));
    if (x.endNode !== undefined) push('endNode', x.endNode === got.endNode, x.endNode, got.endNode);
    for (const [field, value] of Object.entries(x.ticket ?? {})) {
      const actual = ticketValue(this.snap.ticket, field);
      push(`ticket.${field}`, loose(value, actual ?? null), value, actual);
    }
    for (const [name, value] of Object.entries(x.vars ?? {})) push(`vars.${name}`, loose(value, got.vars[name] ?? null), value, got.vars[name]);
    if (x.incident) {
      const { code, node } = x.incident;
      const hit = this.incidents.find((i) => (code === undefined || i.code === code) && (node === undefined || i.node === node));
      push('incident', !!hit, x.incident, hit ? { code: hit.code, node: hit.node } : this.incidents.map((i) => ({ code: i.code, node: i.node })));
    }
    if (x.actions) {
      const types = this.actions.flatMap((a) => a.actions.map((b) => b.type as string));
      push('actions', isSubsequence(x.actions, types), x.actions, types);
    }
    if (x.waitingAt) {
      const want = [...x.waitingAt].sort();
      const have = [...new Set(got.waitingAt)].sort();
      push('waitingAt', deepEqual(want, have), x.waitingAt, have);
    }
    return out;
  }
}

/** Writes one dialog field's value onto the in-memory ticket (as the server's dialog submission would). */
function writeField(ticket: TicketSnapshot, field: string, value: JsonValue, article: (a: { subject?: string; body: string }) => void): void {
  if (field.startsWith(DF)) {
    ticket.dynamicFields = { ...ticket.dynamicFields, [field.slice(DF.length)]: value };
    return;
  }
  if (field === 'Article') {
    const v = typeof value === 'string' ? { body: value } : isRecord(value) ? value : {};
    if (typeof v.body === 'string') article({ ...(typeof v.subject === 'string' ? { subject: v.subject } : {}), body: v.body });
    return;
  }
  const prop = DIALOG_FIELD[field];
  if (!prop) return;
  (ticket as Record<string, unknown>)[prop] = value;
  if (prop === 'state' && typeof value === 'string') ticket.stateType = stateTypeOf(value);
}

/** The ticket at the start: a new ticket, the start dialog's defaults, then the scenario's fields. */
function initialTicket(process: Process, given: Scenario['ticket'], now: number): TicketSnapshot {
  const ticket: TicketSnapshot = { state: 'new', stateType: 'new', priority: '3 normal', lock: 'unlock', created: iso(now), changed: iso(now) };
  for (const f of process.start.dialog?.fields ?? []) {
    if (f.default !== undefined && f.default !== null) writeField(ticket, f.field, f.default as JsonValue, () => undefined);
  }
  const { dynamicFields, ...rest } = given ?? {};
  Object.assign(ticket, rest);
  if (dynamicFields) ticket.dynamicFields = { ...ticket.dynamicFields, ...dynamicFields };
  if (rest.state && !rest.stateType) ticket.stateType = stateTypeOf(rest.state);
  return ticket;
}

/**
 * Problems of a scenario against its process that the schema cannot see (see `scenarioProblems`),
 * each with a JSON pointer into the scenario.
 *
 * @example
 * checkScenario(process, { name: 'x', dialogs: [{ node: 'nope' }] });
 * // [{ code: 'UNKNOWN_NODE', path: '/dialogs/0/node', message: '"nope" is not a user task of ...' }]
 */
export function checkScenario(process: Process, scenario: Scenario): SimulationProblem[] {
  return scenarioProblems(process, scenario);
}

/**
 * Simulates `process` against `scenario` in memory and checks the scenario's expectations.
 * Nothing is written or called: scripts run through `options.runScript` (or canned results),
 * services and called processes answer from the scenario.
 *
 * @example
 * const report = await simulate(leaveRequest, {
 *   name: 'approved',
 *   ticket: { dynamicFields: { LeaveStart: '2026-03-02', LeaveEnd: '2026-03-06' } },
 *   scripts: { countDays: { result: { vars: { days: 5 } } } },
 *   dialogs: [{ node: 'approve', fields: { DynamicField_LeaveApproved: 'yes' } }],
 *   expect: { status: 'completed', endNode: 'approved' },
 * });
 * report.passed; // true
 * report.path.find((e) => e.transition === 'toApproved')?.why; // 'DynamicField_LeaveApproved eq "yes"'
 */
export async function simulate(process: Process, scenario: Scenario, options: SimulateOptions = {}): Promise<SimulationReport> {
  const parsed = scenario.clock?.start ? parseDateTime(scenario.clock.start) : undefined;
  const now = parsed?.ok ? parsed.value.epochMs : Date.parse(DEFAULT_CLOCK_START);
  const inputs: Inputs = { scenario, usedDialogs: new Set(), counters: new Map(), dialogAt: new Map(), steps: 0 };
  const snapshot: Snapshot = { ticket: initialTicket(process, scenario.ticket, now) };
  if (scenario.customer) snapshot.customer = scenario.customer;
  if (scenario.owner) snapshot.owner = scenario.owner;
  if (scenario.responsible) snapshot.responsible = scenario.responsible;
  const sim = new Simulation(process, inputs, options, 0, { snapshot, now, vars: { ...(scenario.vars ?? {}) } });
  for (const p of checkScenario(process, scenario)) sim.problem(p);
  if (sim.problems.length) return sim.report();
  return sim.run({ type: 'start', snapshot: sim.snapshot(), vars: { ...(scenario.vars ?? {}) }, by: 'simulator' });
}

/**
 * Runs every saved scenario of a process (`process.tests`), or the one named.
 *
 * @example
 * const reports = await simulateTests(process, { runScript });
 * const failed = reports.filter((r) => !r.passed);
 */
export async function simulateTests(process: Process, options: SimulateOptions = {}, name?: string): Promise<SimulationReport[]> {
  const tests = (process.tests ?? []).filter((t) => name === undefined || t.name === name);
  const out: SimulationReport[] = [];
  for (const t of tests) out.push(await simulate(process, t, options));
  return out;
}
