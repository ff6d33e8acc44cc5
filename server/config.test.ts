/** The configuration a command gets does not depend on the folder it is run from, unless told so. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from './config';
import { databaseLine } from './cli-database';
import { displayHost } from './main';

describe('loadConfig', () => {
  it('puts the default data folder in the project root, whatever the current folder', () => {
    const inExamples = loadConfig({}, path.join(PROJECT_ROOT, 'examples'));
    expect(inExamples.dataDir).toBe(path.join(PROJECT_ROOT, 'data'));
    expect(inExamples.mailOut.outboxDir).toBe(path.join(PROJECT_ROOT, 'data/outbox'));
    expect(loadConfig({ DATA_DIR: 'mine' }, '/srv').dataDir).toBe('/srv/mine');
  });

  it('names the database a CLI command uses, without its password', () => {
    expect(databaseLine(loadConfig({ DATA_DIR: '/srv/hd' }))).toBe('using the data folder /srv/hd');
    expect(databaseLine(loadConfig({ DATABASE_URL: 'postgres://hd:secret@db:5432/helpdesk' }))).toBe('using the PostgreSQL database postgres://hd:***@db:5432/helpdesk');
  });

  it('shows the address the server is bound to', () => {
    expect(displayHost('0.0.0.0')).toBe('localhost');
    expect(displayHost('127.0.0.1')).toBe('127.0.0.1');
    expect(displayHost('::1')).toBe('[::1]');
  });
});
