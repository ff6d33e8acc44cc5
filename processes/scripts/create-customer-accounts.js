// Plans the portal accounts of a new customer company by service tier and records them in the
// dynamic field AccountsCreated (the accounts themselves are created by the service desk).
export default ({ params }) => {
  if (!params.customerId) throw new Error('the ticket has no customer company (CustomerID)');
  const seats = { gold: 10, silver: 5, bronze: 2 }[String(params.tier || '').toLowerCase()] ?? 1;
  const accounts = Array.from({ length: seats }, (_, i) => `${params.customerId}-user${i + 1}`);
  return { vars: { accounts }, dynamicFields: { AccountsCreated: accounts.join(', ') } };
};
