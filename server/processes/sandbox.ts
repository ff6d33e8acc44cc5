/** One in-thread QuickJS sandbox per server process, for simulations and for compiling code at validation. */
import { loadSandbox, type Sandbox } from '../../engine/sandbox/index';

let sandbox: Promise<Sandbox> | undefined;

/**
 * Loaded once per process.
 *
 * @example
 * const sb = await simulationSandbox(); sb.evaluate('vars.n > 1', { vars: { n: 2 } });
 * sb.compile('vars.n >', 'expression'); // 'SyntaxError: …'
 */
export function simulationSandbox(): Promise<Sandbox> {
  return (sandbox ??= loadSandbox({ wasmMaxBytes: 64 * 1024 * 1024 }));
}
