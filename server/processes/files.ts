/** The process files a command-line path names: the file itself, or the process files directly in a folder, sorted. */
import fs from 'node:fs';
import path from 'node:path';

export const PROCESS_FILE = /\.(json|bpmn|xml|ya?ml)$/i;

/**
 * @example
 * processFilesOf('processes/'); // ['processes/customer-onboarding.json', 'processes/it-incident.json', ...]
 */
export function processFilesOf(target: string): string[] {
  if (fs.statSync(target).isDirectory()) {
    return fs.readdirSync(target).filter((f) => PROCESS_FILE.test(f) && fs.statSync(path.join(target, f)).isFile()).sort().map((f) => path.join(target, f));
  }
  return [target];
}
