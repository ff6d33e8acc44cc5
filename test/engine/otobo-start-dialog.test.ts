/**
 * Scenario (issue 19, item 3): an imported OTOBO process whose start activity has a transition that
 * holds as soon as the start dialog is filled in moves on at once, as OTOBO does, instead of showing
 * the start activity's dialog a second time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromOtoboYaml } from '../../engine/otobo/from-otobo';
import { isDeployable, validateProcess } from '../../engine/validation/index';
import { PROJECT_ROOT } from '../../server/config';
import { Instance, ticket } from './support';

const { process } = fromOtoboYaml(fs.readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/interchange/otobo-change-request.yml'), 'utf8'));

describe('scenario: the start dialog of an imported OTOBO process', () => {
  it('deploys', () => {
    expect(isDeployable(validateProcess(process))).toBe(true);
  });

  it('given a release, goes straight on to "Build Release" after the start dialog', () => {
    const i = new Instance(process);
    i.start(ticket({}, { ChangeType: 'release' }));
    expect(i.where()).toEqual(['A-build/dialog']);
    expect(i.effect('openUserTask', 'A-build')).toBeTruthy();
    expect(i.last.effects.some((e) => e.type === 'openUserTask' && e.nodeId === 'A-record')).toBe(false);
  });

  it('given anything else, waits in the start activity, whose transition still moves it on later', () => {
    const i = new Instance(process);
    i.start(ticket({}, { ChangeType: 'standard' }));
    expect(i.where()).toEqual(['A-record/dialog']);
    i.submit('A-record', ticket({}, { ChangeType: 'release' }));
    expect(i.where()).toEqual(['A-build/dialog']);
  });
});
