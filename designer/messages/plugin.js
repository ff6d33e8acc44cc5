// Reads the message catalogues designer/messages/<locale>.json for Paraglide JS (loaded by the
// inlang SDK from this folder, so it must stay one self-contained ES module without imports).
//
// A catalogue is a flat JSON object: key -> text. `{name}` in a text is a parameter. A plural text
// is an object whose keys are `<parameter>=<plural category>` (Intl.PluralRules: zero, one, two,
// few, many, other), e.g. {"count=one": "{count} ticket", "count=other": "{count} tickets"}.
// Keys starting with `$` (such as `$schema`) are ignored.
/* global TextDecoder */

const key = 'plugin.helpdesk.jsonMessages';

/** `Hello {name}` -> inlang pattern parts; collects the parameter names into `inputs`. */
function parsePattern(text, inputs) {
  const pattern = [];
  const re = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) pattern.push({ type: 'text', value: text.slice(last, m.index) });
    pattern.push({ type: 'expression', arg: { type: 'variable-reference', name: m[1] } });
    inputs.add(m[1]);
    last = m.index + m[0].length;
  }
  if (last < text.length) pattern.push({ type: 'text', value: text.slice(last) });
  return pattern;
}

function importFiles({ files }) {
  const bundles = new Map();
  const messages = [];
  const variants = [];
  for (const file of files) {
    const json = JSON.parse(new TextDecoder().decode(file.content));
    for (const [id, value] of Object.entries(json)) {
      if (id.startsWith('$')) continue;
      const inputs = new Set();
      const declarations = [];
      const selectors = [];
      if (typeof value === 'string') {
        variants.push({ messageBundleId: id, messageLocale: file.locale, matches: [], pattern: parsePattern(value, inputs) });
      } else {
        const plurals = new Set();
        for (const [match, text] of Object.entries(value)) {
          const [param, category] = match.split('=');
          plurals.add(param);
          inputs.add(param);
          const keyName = `${param}Plural`;
          variants.push({
            messageBundleId: id,
            messageLocale: file.locale,
            matches: [category === 'other' || category === '*' ? { type: 'catchall-match', key: keyName } : { type: 'literal-match', key: keyName, value: category }],
            pattern: parsePattern(text, inputs),
          });
        }
        for (const param of plurals) {
          declarations.push({
            type: 'local-variable',
            name: `${param}Plural`,
            value: { type: 'expression', arg: { type: 'variable-reference', name: param }, annotation: { type: 'function-reference', name: 'plural', options: [] } },
          });
          selectors.push({ type: 'variable-reference', name: `${param}Plural` });
        }
      }
      const bundle = bundles.get(id) ?? { id, declarations: [] };
      const known = new Set(bundle.declarations.map((d) => d.name));
      for (const name of inputs) if (!known.has(name)) bundle.declarations.unshift({ type: 'input-variable', name }), known.add(name);
      for (const d of declarations) if (!known.has(d.name)) bundle.declarations.push(d), known.add(d.name);
      bundles.set(id, bundle);
      messages.push({ bundleId: id, locale: file.locale, selectors });
    }
  }
  return { bundles: [...bundles.values()], messages, variants };
}

export default {
  key,
  toBeImportedFiles: ({ settings }) =>
    settings.locales.map((locale) => ({ locale, path: settings[key].pathPattern.replace('{locale}', locale) })),
  importFiles,
  exportFiles: () => [],
};
