/**
 * Child jobs: a called instance ended (completed or cancelled); the parent (the job's instance)
 * gets `childCompleted` with the call activity's token and run and the child's final variables. A
 * parent that left the call activity meanwhile refuses it as stale and the job is just done.
 */
import type { ChildJobPayload } from '../effects/children';
import type { JobKind } from './types';

export const childJob: JobKind = {
  run(_job, payload) {
    const p = payload as ChildJobPayload;
    return Promise.resolve({
      type: 'childCompleted',
      tokenId: p.token,
      ...(p.run ? { run: p.run } : {}),
      status: p.status,
      vars: p.vars as never,
    });
  },
};
