/**
 * The Generic Interface: web services as data (each maps operations to routes and HTTP methods, as
 * OTOBO's `Provider.Transport.Config.RouteOperationMapping` does), a per-service debugger log with
 * a retention limit, and the default service `GenericTicketConnectorREST` with OTOBO's sample
 * routes plus the operation-name routes. Frozen in time: the default is written out here.
 */
import { sql, type Kysely } from 'kysely';

const route = (operation: string, path: string, methods: string[]) => ({ route: path, methods, operation });

const DEFAULT_SERVICE = {
  operations: {
    SessionCreate: { type: 'Session::SessionCreate', description: 'Create a session' },
    SessionGet: { type: 'Session::SessionGet', description: 'Retrieve session data' },
    SessionRemove: { type: 'Session::SessionRemove', description: 'End a session' },
    TicketCreate: { type: 'Ticket::TicketCreate', description: 'Create a ticket' },
    TicketGet: { type: 'Ticket::TicketGet', description: 'Retrieve ticket data' },
    TicketGetList: { type: 'Ticket::TicketGet', description: 'Retrieve ticket data for a list of ticket ids' },
    TicketSearch: { type: 'Ticket::TicketSearch', description: 'Search for tickets' },
    TicketUpdate: { type: 'Ticket::TicketUpdate', description: 'Update a ticket' },
    TicketHistoryGet: { type: 'Ticket::TicketHistoryGet', description: 'Retrieve ticket history data' },
    TicketDelete: { type: 'Ticket::TicketDelete', description: 'Delete a ticket permanently' },
  },
  routes: [
    // OTOBO's sample GenericTicketConnectorREST.
    route('SessionCreate', '/Session', ['POST']),
    route('SessionGet', '/Session/:SessionID', ['GET']),
    route('SessionRemove', '/Session/:SessionID', ['DELETE']),
    route('TicketCreate', '/Ticket', ['POST']),
    route('TicketGet', '/Ticket/:TicketID', ['GET']),
    route('TicketGetList', '/TicketList', ['GET']),
    route('TicketSearch', '/Ticket', ['GET']),
    route('TicketUpdate', '/Ticket/:TicketID', ['PATCH']),
    route('TicketDelete', '/Ticket/:TicketID', ['DELETE']),
    route('TicketHistoryGet', '/TicketHistory/:TicketID', ['GET']),
    // The operation names as routes (what most third-party clients call).
    route('SessionCreate', '/SessionCreate', ['POST']),
    route('SessionGet', '/SessionGet', ['GET', 'POST']),
    route('SessionRemove', '/SessionRemove', ['DELETE', 'POST']),
    route('TicketCreate', '/TicketCreate', ['POST']),
    route('TicketGet', '/TicketGet', ['GET', 'POST']),
    route('TicketSearch', '/TicketSearch', ['GET', 'POST']),
    route('TicketUpdate', '/TicketUpdate', ['PUT', 'PATCH', 'POST']),
    route('TicketDelete', '/TicketDelete', ['DELETE', 'POST']),
    route('TicketHistoryGet', '/TicketHistoryGet', ['GET', 'POST']),
  ],
};

export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable('webservices')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('valid', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('envelope', 'text', (c) => c.notNull().defaultTo('otobo').check(sql`envelope in ('otobo', 'success-data')`))
    .addColumn('debug_level', 'text', (c) => c.notNull().defaultTo('error').check(sql`debug_level in ('debug', 'info', 'notice', 'error')`))
    .addColumn('debug_retention', 'integer', (c) => c.notNull().defaultTo(500).check(sql`debug_retention between 1 and 100000`))
    .addColumn('max_length', 'integer')
    .addColumn('config', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('created_by', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('changed_by', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .execute();

  await db.schema
    .createTable('webservice_debug_log')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('webservice_id', 'integer', (c) => c.notNull().references('webservices.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('remote_addr', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('operation', 'text')
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('debug', 'info', 'notice', 'error')`))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('request', 'jsonb', (c) => c.notNull())
    .addColumn('response', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webservice_debug_log_service').on('webservice_debug_log').columns(['webservice_id', 'id']).execute();

  await db
    .insertInto('webservices')
    .values({
      name: 'GenericTicketConnectorREST',
      description: 'Ticket Connector REST (OTOBO sample routes and operation-name routes)',
      config: JSON.stringify(DEFAULT_SERVICE),
    })
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webservice_debug_log').execute();
  await db.schema.dropTable('webservices').execute();
}
