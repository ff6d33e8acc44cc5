/**
 * Parallel gateway. Join: with several incoming transitions a token waits until a token has arrived
 * by every one of them (the oldest per transition), then those merge into the last one. Fork: the
 * token takes every outgoing transition (conditions are not evaluated), the first with the same
 * token, the others with new ones.
 */
import type { ParallelGateway } from '../../model/types';
import { take } from '../flow';
import { newToken, record, removeToken, wait } from '../run';
import type { Token } from '../state';
import type { NodeBehaviour } from './behaviour';

export const parallelGateway: NodeBehaviour<ParallelGateway> = {
  enter(run, token, node) {
    const incoming = run.def.incoming.get(node.id) ?? [];
    if (incoming.length > 1) {
      wait(token, 'join');
      const arrived: Token[] = [];
      for (const t of incoming) {
        const first = run.state.tokens.find((k) => k.nodeId === node.id && k.wait === 'join' && k.status === 'waiting' && k.via === t.id);
        if (!first) return; // still waiting for a branch
        arrived.push(first);
      }
      for (const k of arrived) {
        if (k === token) continue;
        removeToken(run, k);
        record(run, { ev: 'end', node: node.id, tok: k.id, why: `joined into ${token.id}` });
      }
      token.status = 'active';
      delete token.wait;
    }
    const out = run.def.outgoing.get(node.id) ?? [];
    out.forEach((t, i) => {
      const k = i === 0 ? token : newToken(run, node.id);
      take(run, k, t, 'parallel');
    });
  },
};
