/** Small helpers of the portal's account forms, whose errors sit at their field. */
import { ApiError } from '$lib/api';

/** The form field a refusal is about (the error's path without its slash: `/email` → `email`), if any. */
export function errorField(err: unknown): string | undefined {
  return err instanceof ApiError ? err.path?.replace(/^\//, '') : undefined;
}

/** `errors` without `field`'s error, which goes once the field is edited (the same object when it has none). */
export function clearError(errors: Record<string, string>, field: string): Record<string, string> {
  return errors[field] ? { ...errors, [field]: '' } : errors;
}

/** An email address input's attributes (the email address is the login): no capitals, no spell check. */
export const EMAIL_INPUT = { type: 'email', autocapitalize: 'none', spellcheck: 'false', required: true } as const;
