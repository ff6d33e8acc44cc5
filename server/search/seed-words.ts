/**
 * Vocabulary of the bulk ticket generator (`seed.ts`): function words (most frequent first: the
 * generator favours the start of the list, as in real text), helpdesk topic words (each about
 * equally likely, so any one of them is in a few percent of the tickets), and titles' nouns and
 * problems (most frequent first).
 */

/** Small words that make up much of any text, most frequent first. */
export const FUNCTION_WORDS = [
  'the', 'to', 'and', 'a', 'is', 'of', 'in', 'it', 'for', 'not', 'on', 'we', 'please', 'with', 'this', 'my',
  'you', 'can', 'since', 'again', 'after', 'our', 'when', 'but', 'be', 'have', 'was', 'are', 'from', 'at',
  'as', 'or', 'an', 'will', 'would', 'could', 'should', 'there', 'which', 'they', 'all', 'no', 'so', 'if',
];

/** Helpdesk words of article bodies. */
export const BODY_WORDS = [
  'error', 'printer', 'email', 'access', 'password',
  'login', 'server', 'network', 'account', 'problem', 'issue', 'working', 'update', 'request', 'help', 'user',
  'office', 'laptop', 'invoice', 'order', 'customer', 'message', 'system', 'today', 'yesterday', 'morning',
  'restart', 'reset', 'install', 'upgrade', 'backup', 'vpn', 'connection', 'slow', 'broken', 'failed',
  'screen', 'keyboard', 'mouse', 'monitor', 'cable', 'wifi', 'phone', 'mobile', 'license', 'software',
  'application', 'browser', 'website', 'database', 'report', 'meeting', 'calendar', 'folder', 'file',
  'document', 'share', 'permission', 'group', 'team', 'manager', 'department', 'building', 'floor', 'room',
  'delivery', 'shipment', 'payment', 'refund', 'contract', 'quote', 'price', 'discount', 'warranty',
  'replacement', 'repair', 'toner', 'paper', 'jam', 'cartridge', 'scanner', 'copier', 'fax', 'headset',
  'camera', 'microphone', 'speaker', 'battery', 'charger', 'dock', 'adapter', 'firmware', 'driver', 'patch',
  'certificate', 'expired', 'locked', 'blocked', 'spam', 'phishing', 'virus', 'malware', 'firewall', 'proxy',
  'router', 'switch', 'port', 'dns', 'dhcp', 'address', 'domain', 'mailbox', 'quota', 'storage', 'disk',
  'memory', 'cpu', 'timeout', 'crash', 'freeze', 'reboot', 'shutdown', 'outage', 'maintenance', 'deadline',
  'urgent', 'critical', 'minor', 'question', 'feedback', 'complaint', 'thanks', 'regards', 'attached',
  'screenshot', 'log', 'trace', 'version', 'release', 'migration', 'sync', 'export', 'import', 'signature',
  'template', 'workflow', 'approval', 'vacation', 'onboarding', 'offboarding', 'badge', 'parking', 'desk',
  'chair', 'coffee', 'kitchen', 'elevator', 'heating', 'cooling', 'light', 'power', 'ups', 'rack',
  'kubernetes', 'container', 'cluster', 'pipeline', 'deployment', 'rollback', 'monitoring', 'alert',
  'latency', 'throughput', 'bandwidth', 'encryption', 'token', 'session', 'cookie', 'captcha', 'sso',
  'ldap', 'kerberos', 'saml', 'oauth', 'mfa', 'authenticator', 'recovery', 'archive', 'retention', 'audit',
  'compliance', 'gdpr', 'privacy', 'invoice-number', 'e-mail', 'helpdesk', 'escalation', 'sla', 'priority',
  'zebra', 'quokka', 'xylophone', 'kumquat', 'yodel', 'zephyr', 'quasar', 'jubilee', 'fjord', 'glyph',
];

/** Nouns and problems for titles, most frequent first. */
export const TITLE_NOUNS = [
  'Printer', 'Email', 'VPN', 'Password', 'Laptop', 'Invoice', 'Account', 'Network', 'Server', 'Order',
  'Login', 'Wifi', 'Phone', 'License', 'Monitor', 'Backup', 'Database', 'Website', 'Calendar', 'Mailbox',
  'Scanner', 'Toner', 'Certificate', 'Firewall', 'Payment', 'Refund', 'Delivery', 'Contract', 'Badge',
  'Headset', 'Docking station', 'Shared folder', 'Report', 'Browser', 'Firmware', 'Proxy', 'Storage quota',
  'Kubernetes cluster', 'Deployment pipeline', 'SSO', 'MFA token', 'Elevator', 'Heating', 'Parking permit',
];

export const TITLE_PROBLEMS = [
  'not working', 'broken', 'is slow', 'request', 'question', 'failed', 'keeps crashing', 'locked',
  'expired', 'missing', 'needs replacement', 'access denied', 'upgrade', 'error after update',
  'cannot connect', 'paper jam', 'out of order', 'wrong amount', 'delayed', 'setup for new employee',
];
