// Creating a user (administrators): what the form sends for each role. A reviewer may belong to a
// city (a city reviewer sees only that city's applications and decides the city levels of review
// chains); an enterprise or supplier user is bound to exactly one enterprise or supplier.
import { ROLES, type Role } from '../../api/types';
import type { components } from '../../api/schema';

export type UserInput = components['schemas']['UserInput'];

export interface UserValues {
  username?: string;
  display_name?: string;
  password?: string;
  role?: Role;
  city_code?: string | null;
  enterprise_id?: string | null;
  supplier_id?: string | null;
}

/** The roles a user can be created with, in the order the form offers them. */
export const CREATABLE_ROLES: readonly Role[] = ROLES;

/** The shortest password the server takes (weak_password below it). */
export const PASSWORD_MIN = 8;

const text = (s: string | null | undefined) => (s ?? '').trim();

/**
 * The body of POST /users: names trimmed (the display name falls back to the username), the
 * password as typed, and only the binding the role has: a city for a reviewer (none = provincial),
 * the enterprise for an enterprise user, the supplier for a supplier user.
 */
export function userBody(v: UserValues): UserInput {
  const role = v.role ?? 'reviewer';
  const username = text(v.username);
  const body: UserInput = { username, display_name: text(v.display_name) || username, password: v.password ?? '', role };
  if (role === 'reviewer' && text(v.city_code)) body.city_code = text(v.city_code);
  if (role === 'enterprise' && text(v.enterprise_id)) body.enterprise_id = text(v.enterprise_id);
  if (role === 'supplier' && text(v.supplier_id)) body.supplier_id = text(v.supplier_id);
  return body;
}

/** Which party a role is bound to, if any. */
export function bindingOf(role: string | null | undefined): 'city' | 'enterprise' | 'supplier' | null {
  return role === 'reviewer' ? 'city' : role === 'enterprise' ? 'enterprise' : role === 'supplier' ? 'supplier' : null;
}
