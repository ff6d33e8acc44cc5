/**
 * Who is calling: an agent (by session cookie or API token) or a customer user (by session cookie).
 * Routes read it from the request context; the access helper decides what it may do.
 */
export type AuthMethod = 'session' | 'token';

export interface AgentActor {
  kind: 'agent';
  id: number;
  login: string;
  via: AuthMethod;
  /** A session of an agent who must first replace the password an administrator gave. */
  passwordChangeRequired?: true;
}

export interface CustomerActor {
  kind: 'customer';
  id: number;
  login: string;
  customerId: string;
  /** May see the tickets of the whole company (`customer_id`), not only their own. */
  companyTickets: boolean;
  via: AuthMethod;
}

export type Actor = AgentActor | CustomerActor;
