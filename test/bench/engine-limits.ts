/**
 * How long the engine's pure parts take on inputs built to be slow: a billion-laughs BPMN file, a
 * YAML alias bomb (refused), laying out and checking reachability of a 10,000-node chain. These
 * were time limits inside unit tests; here they are figures (`npm run bench -- engine-limits`):
 *   BENCH engine-limits.bpmn_billion_laughs 12 ms
 *   BENCH engine-limits.yaml_alias_bomb_refused 3 ms
 *   BENCH engine-limits.layout_10k_nodes 420 ms
 *   BENCH engine-limits.reachability_10k_nodes 35 ms
 * The earlier limits (2 s, 2 s, 3 s, 2 s) are printed as a warning line when exceeded.
 */
import { fromBpmn } from '../../engine/bpmn/from-bpmn';
import { layoutProcess } from '../../engine/bpmn/layout';
import { parseYaml } from '../../engine/otobo/yaml';
import { reachability } from '../../engine/validation/rules/reachability';
import { graph, runRule } from '../../engine/validation/test-support';
import { print } from './_server';

async function time(name: string, limitMs: number, fn: () => unknown): Promise<void> {
  const t0 = performance.now();
  await fn();
  const ms = Math.round((performance.now() - t0) * 10) / 10;
  print(`engine-limits.${name}`, ms, 'ms');
  if (ms > limitMs) console.log(`# engine-limits.${name}: ${ms} ms is over the ${limitMs} ms it should take`);
}

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"';
const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
  <bpmn:definitions ${NS} id="D" targetNamespace="x"><bpmn:process id="p" name="&lol3;"><bpmn:startEvent id="s" /></bpmn:process></bpmn:definitions>`;
await time('bpmn_billion_laughs', 2000, () => fromBpmn(lol).catch(() => undefined));

const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
for (let i = 1; i < 20; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
await time('yaml_alias_bomb_refused', 2000, () => {
  try {
    parseYaml(levels.join('\n'));
  } catch {
    /* refused, as it must be */
  }
});

const ids = Array.from({ length: 10_000 }, (_, i) => `n${i}`);
const chain = graph(['s:startEvent', ...ids.map((id) => `${id}:userTask`), 'e:endEvent'], ['s>n0', ...ids.slice(1).map((id, i) => `n${i}>${id}`), 'n9999>e']);
await time('layout_10k_nodes', 3000, () => layoutProcess(chain));
await time('reachability_10k_nodes', 2000, () => runRule(reachability, chain));
