/**
 * What a form or a button does, with its busy flag and its error text, for the sign-in pages (the
 * agents' and the portal's) and the portal's sign-out: `run()` does nothing while a run is under
 * way, clears the error first and shows a failure's message (errorMessage) in `error`.
 */
import { errorMessage } from '$lib/api';

export class Action {
  busy = $state(false);
  error = $state('');

  /** Runs `work`: true when it went through, false when it failed or another run was under way. */
  async run(work: () => Promise<unknown>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = '';
    try {
      await work();
      return true;
    } catch (err) {
      this.error = errorMessage(err);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
