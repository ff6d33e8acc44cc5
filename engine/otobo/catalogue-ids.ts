/**
 * OTOBO's shipped catalogue entries by database id (the ids a fresh OTOBO installation gives them):
 * processes that compare or set `PriorityID`, `StateID`, `TypeID`, `QueueID` or `LockID` are read
 * by these names, which this helpdesk ships too; the reference check then confirms that the
 * installation has the entry. Ids beyond the shipped ones have no portable meaning.
 */
export const OTOBO_CATALOGUE_IDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Priority: { 1: '1 very low', 2: '2 low', 3: '3 normal', 4: '4 high', 5: '5 very high' },
  State: {
    1: 'new', 2: 'closed successful', 3: 'closed unsuccessful', 4: 'open', 5: 'removed',
    6: 'pending reminder', 7: 'pending auto close+', 8: 'pending auto close-', 9: 'merged',
  },
  Type: { 1: 'Unclassified' },
  Queue: { 1: 'Postmaster', 2: 'Raw', 3: 'Junk', 4: 'Misc' },
  Lock: { 1: 'unlock', 2: 'lock', 3: 'lock' },
};

/**
 * The name an OTOBO `<Kind>ID` setting stands for, or undefined when the id is not a shipped entry.
 *
 * @example
 * catalogueName('PriorityID', '3'); // { field: 'Priority', name: '3 normal' }
 * catalogueName('QueueID', '17');   // undefined
 */
export function catalogueName(setting: string, id: string): { field: string; name: string } | undefined {
  const field = setting.replace(/ID$/, '');
  const name = OTOBO_CATALOGUE_IDS[field]?.[id.trim()];
  return name ? { field, name } : undefined;
}
