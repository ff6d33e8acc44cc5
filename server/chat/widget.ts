/**
 * The website chat widget's script, served at `/api/v1/chat/widget.js`: plain browser JavaScript
 * kept in `widget-client.js` beside this file (read once, at first use).
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config';

let script: string | undefined;

/** The widget script's text. */
export function widgetScript(): string {
  script ??= fs.readFileSync(path.join(PROJECT_ROOT, 'server/chat/widget-client.js'), 'utf8');
  return script;
}
