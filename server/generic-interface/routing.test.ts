/** Route matching as OTOBO's REST transport does it: anchored patterns, methods, first match. */
import { describe, expect, it } from 'vitest';
import { matchRoute, routePattern } from './routing';
import type { WebserviceConfig } from './schema';

const config: WebserviceConfig = {
  operations: {},
  routes: [
    { route: '/Ticket', methods: ['POST'], operation: 'TicketCreate' },
    { route: '/Ticket/:TicketID', methods: ['GET'], operation: 'TicketGet' },
    { route: '/Ticket', methods: ['GET'], operation: 'TicketSearch' },
    { route: '/Any/:A/x/:B', methods: [], operation: 'Any' },
  ],
};

describe('routing', () => {
  it('matches anchored routes by method, first match winning, placeholders decoded', () => {
    expect(matchRoute(config, 'POST', '/Ticket')).toEqual({ match: { operation: 'TicketCreate', params: {} } });
    expect(matchRoute(config, 'GET', '/Ticket')).toEqual({ match: { operation: 'TicketSearch', params: {} } });
    expect(matchRoute(config, 'GET', '/Ticket/4%2C5')).toEqual({ match: { operation: 'TicketGet', params: { TicketID: '4,5' } } });
    expect(matchRoute(config, 'GET', '/Ticket/4/')).toEqual({ match: { operation: 'TicketGet', params: { TicketID: '4' } } });
    expect(matchRoute(config, 'DELETE', '/Any/1/x/2')).toEqual({ match: { operation: 'Any', params: { A: '1', B: '2' } } });
  });

  it('tells an unknown path from a method the path does not take', () => {
    expect(matchRoute(config, 'GET', '/Tickets')).toEqual({ notFound: true });
    expect(matchRoute(config, 'GET', '/Ticket/1/2')).toEqual({ notFound: true });
    expect(matchRoute(config, 'DELETE', '/Ticket')).toEqual({ methodNotAllowed: ['POST', 'GET'] });
  });

  it('escapes what is literal in a route', () => {
    expect(routePattern('/a.b/:X').test('/a.b/1')).toBe(true);
    expect(routePattern('/a.b/:X').test('/aXb/1')).toBe(false);
  });
});
