/**
 * The portal's look and rules, public (no session): title, welcome text, logo, the two colours,
 * whether self-registration is open and the password rules. Loaded once per page load from
 * `GET /portal/settings`; the admin page puts its saved answer here so the portal shows it at once.
 * The colours reach the portal's styles as CSS custom properties (`portalStyle()` on its root).
 */
import { request } from '$lib/api';

export interface PasswordRule {
  id: string;
  text: string;
  /** JS RegExp source the password must match. */
  pattern: string;
}

export interface PortalSettings {
  title: string;
  welcome: string;
  logoUrl: string | null;
  colors: { primary: string; header: string };
  registrationEnabled: boolean;
  passwordRules: PasswordRule[];
  /** Signed-in callers only: the queues customers may open tickets in, and their default. */
  customerQueues?: Array<{ id: number; name: string }>;
  defaultQueue?: { id: number; name: string } | null;
}

/** What the portal shows until (or if never) the server's settings arrive. */
export const DEFAULT_SETTINGS: PortalSettings = {
  title: 'Customer portal',
  welcome: '',
  logoUrl: null,
  colors: { primary: '#2563eb', header: '#1e293b' },
  registrationEnabled: false,
  passwordRules: [],
};

export const portalSettings = $state<{ value: PortalSettings; loaded: boolean; error: string }>({
  value: DEFAULT_SETTINGS,
  loaded: false,
  error: '',
});

let loading: Promise<PortalSettings> | null = null;

/** The settings, asking the server once per page load; on failure the defaults (and `error`). */
export function loadPortalSettings(): Promise<PortalSettings> {
  if (portalSettings.loaded) return Promise.resolve(portalSettings.value);
  loading ??= request<PortalSettings>('GET', '/api/v1/portal/settings')
    .then((value) => setPortalSettings(value))
    .catch((err: unknown) => {
      portalSettings.error = err instanceof Error ? err.message : String(err);
      portalSettings.loaded = true;
      return portalSettings.value;
    })
    .finally(() => {
      loading = null;
    });
  return loading;
}

/** Takes a settings view (from the server, e.g. after the admin saved) as the current one. */
export function setPortalSettings(value: PortalSettings): PortalSettings {
  portalSettings.value = {
    ...DEFAULT_SETTINGS,
    ...value,
    colors: { ...DEFAULT_SETTINGS.colors, ...value.colors },
    passwordRules: value.passwordRules ?? [],
  };
  portalSettings.loaded = true;
  portalSettings.error = '';
  return portalSettings.value;
}

const HEX = /^#[0-9a-f]{6}$/i;

/** Black or white, whichever reads better on `hex` (WCAG relative luminance). */
export function textOn(hex: string): string {
  if (!HEX.test(hex)) return '#ffffff';
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  // Contrast against white is 1.05 / (L + 0.05), against black (L + 0.05) / 0.05: pick the larger.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? '#ffffff' : '#111111';
}

/**
 * The colours as CSS custom properties for a `style` attribute: --portal-primary, --portal-header,
 * and a readable text colour on each (--portal-primary-text, --portal-header-text).
 */
export function portalStyle(colors: { primary: string; header: string }): string {
  const primary = HEX.test(colors.primary) ? colors.primary : DEFAULT_SETTINGS.colors.primary;
  const header = HEX.test(colors.header) ? colors.header : DEFAULT_SETTINGS.colors.header;
  return `--portal-primary: ${primary}; --portal-primary-text: ${textOn(primary)}; --portal-header: ${header}; --portal-header-text: ${textOn(header)}`;
}
