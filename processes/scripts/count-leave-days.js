// Counts the working days (Monday to Friday) from params.start to params.end, both included, and
// stores them in the dynamic field LeaveDays. Dates are YYYY-MM-DD (as date fields hold them).
export default ({ params }) => {
  const day = (s, name) => {
    if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) throw new Error(`${name} must be a date like 2026-12-24, got ${JSON.stringify(s)}`);
    return Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10)));
  };
  const start = day(params.start, 'the first day');
  const end = day(params.end, 'the last day');
  if (end < start) throw new Error('the last day is before the first day');
  let days = 0;
  for (let t = start; t <= end; t += 86400000) {
    const weekday = new Date(t).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days++;
  }
  return { vars: { days }, dynamicFields: { LeaveDays: String(days) } };
};
