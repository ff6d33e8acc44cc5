/** What every node type implements: what happens when a token arrives, and what closes when it leaves. */
import type { ProcessNode } from '../../model/types';
import type { CloseReason } from '../effects';
import type { Run } from '../run';
import type { Token } from '../state';

export interface NodeBehaviour<N extends ProcessNode = ProcessNode> {
  /** A token arrived: wait (emit what to wait for), or move on with `leave` / `take`. */
  enter(run: Run, token: Token, node: N): void;
  /** The token leaves by any way: close what `enter` opened (dialogs, timers). */
  exit?(run: Run, token: Token, node: N, reason: CloseReason, by?: string): void;
}
