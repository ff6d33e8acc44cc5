/** Templates (`{{ticket.title}}`, `{{vars.x}}`) in actions, params, mappings and defaults are well-formed. */
import { validateTemplate } from '../../model/templates';
import { problem, type Problem } from '../problem';
import type { Rule } from '../rule';
import { eachTemplateText } from '../walk';

export const templates: Rule = ({ doc }) => {
  const out: Problem[] = [];
  eachTemplateText(doc, (text, path) => {
    if (!text.includes('{{')) return;
    for (const error of validateTemplate(text)) {
      out.push(problem(doc, 'error', 'TEMPLATE_INVALID', path, `Template problem: ${error}`));
    }
  });
  return out;
};
