/**
 * Secrets and session identifiers. The core finds the tell-tale prefix or key name; a confirmation in
 * engine/detectors/confirm.ts then checks the raw token's alphabet, length and entropy (the core sees lowercase).
 */
import { type Family } from './types.js';

export const secretExposure: Family = {
  type: 'secret_exposure',
  tags: {
    AWS: ['\\b(akia|asia|abia|acca|agpa|aida|aipa|anpa|anva|aroa|apka|asca)[0-9a-z]'],
    GITHUB: ['\\b(ghp|gho|ghu|ghs|ghr)_[a-z0-9]', '\\bgithub_pat_[a-z0-9]'],
    GITLAB: ['\\bglpat-[a-z0-9_-]', '\\bglptt-', '\\bgldt-'],
    SLACK: ['\\bxox[abposr]-[0-9a-z]', '\\bhooks\\.slack\\.com/services/'],
    OPENAI: ['\\bsk-(proj-|svcacct-|admin-)?[a-z0-9_-]', '\\bsk-ant-(api|admin)\\d'],
    STRIPE: ['\\b(sk|rk)_(live|test)_[0-9a-z]', '\\bwhsec_[a-z0-9]'],
    GOOGLE: ['\\baiza[0-9a-z_-]', '\\bya29\\.[0-9a-z_-]', '\\bgoogle_api_key\\b'],
    JWT: ['\\bey[ij][a-z0-9_-]'],
    PEM_BEGIN: ['-----begin '],
    PEM_PRIVATE: ['private key( block)?-----'],
    PREFIXED: ['\\b(npm|pypi|hf|dop|doo|dor|glc|shpat|shpca|shppa|shpss|sq0atp|sq0csp|sk_live|rk_live|pk_live|xapp|xoxe|lin_api|pat|figd|pnu|ghr|dckr_pat|sgp|atlasv1|pul|sntrys|hvs|hvb|vault)[_-][a-z0-9]',
      '\\bamzn\\.mws\\.'],
    SENDGRID: ['\\bsg\\.[a-z0-9_-]'],
    CONN_STRING: ['\\b(postgres(ql)?|mysql|mongodb(\\+srv)?|redis|amqps?|mssql|sqlserver)://'],
    // Key names only; the confirmation reads the assignment and judges the value.
    KEY_NAME: ['(api[_.-]?key|apikey|secret[_.-]?key|client[_.-]?secret|secret|access[_.-]?key|access[_.-]?token|auth[_.-]?token|private[_.-]?key|password|passwd|pwd|token|credentials?)',
      '\\bauthorization ?: ?(bearer|basic|token) ', '\\bbearer '],
  },
  rules: [
    { id: 'secret.aws', seq: ['AWS'], severity: 'critical', description: 'AWS access key id', confirm: 'awsKey' },
    { id: 'secret.github', seq: ['GITHUB'], severity: 'critical', description: 'GitHub token', confirm: 'token20' },
    { id: 'secret.gitlab', seq: ['GITLAB'], severity: 'critical', description: 'GitLab token', confirm: 'token20' },
    { id: 'secret.slack', seq: ['SLACK'], severity: 'critical', description: 'Slack token or webhook', confirm: 'token20' },
    { id: 'secret.openai', seq: ['OPENAI'], severity: 'critical', description: 'OpenAI or Anthropic API key', confirm: 'token20' },
    { id: 'secret.stripe', seq: ['STRIPE'], severity: 'critical', description: 'Stripe key', confirm: 'token20' },
    { id: 'secret.google', seq: ['GOOGLE'], severity: 'critical', description: 'Google API key or OAuth token', confirm: 'google' },
    { id: 'secret.jwt', seq: ['JWT'], severity: 'high', description: 'JSON Web Token', confirm: 'jwt' },
    { id: 'secret.private-key', seq: ['PEM_BEGIN', 'PEM_PRIVATE'], within: 16, severity: 'critical', description: 'private key block' },
    { id: 'secret.sendgrid', seq: ['SENDGRID'], severity: 'critical', description: 'SendGrid API key', confirm: 'sendgrid' },
    { id: 'secret.prefixed', seq: ['PREFIXED'], severity: 'high', description: 'vendor-prefixed token', confirm: 'token20' },
    { id: 'secret.connection-string', seq: ['CONN_STRING'], severity: 'high', description: 'connection string with credentials', confirm: 'connPassword' },
    { id: 'secret.assignment', seq: ['KEY_NAME'], severity: 'high', description: 'secret assigned to a key', confirm: 'secretValue' },
  ],
};

export const sessionIdExposure: Family = {
  type: 'session_id_exposure',
  tags: {
    SESSION: ['\\bmcp-session-id\\b', '\\b(phpsessid|jsessionid|asp\\.net_sessionid|aspsessionid|connect\\.sid|sessionid|session_id|session-id|sessid|sid|_session|session_token|laravel_session|ci_session|__host-session|__secure-session)'],
  },
  rules: [
    { id: 'session.id', seq: ['SESSION'], severity: 'medium', description: 'session identifier', confirm: 'sessionValue' },
  ],
};
