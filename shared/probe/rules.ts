/** What each live probe of a scoring URI checks, shown in SARIF, the summary and the policy file like any rule. */
import type { RuleMeta, RuleReference } from '../rules/types';

export const PRB_ANONYMOUS = 'AML-PRB-001';
export const PRB_PLAIN_HTTP = 'AML-PRB-002';
export const PRB_LEGACY_TLS = 'AML-PRB-003';
export const PRB_CERTIFICATE = 'AML-PRB-004';
export const PRB_LEAKS = 'AML-PRB-005';

const AUTH_DOC: RuleReference = {
  title: 'Microsoft Learn: Authenticate clients for online endpoints',
  url: 'https://learn.microsoft.com/azure/machine-learning/how-to-authenticate-online-endpoint',
};
const K8S_TLS_DOC: RuleReference = {
  title: 'Microsoft Learn: Configure a secure online endpoint with TLS/SSL',
  url: 'https://learn.microsoft.com/azure/machine-learning/how-to-secure-kubernetes-online-endpoint',
};
const OWASP_TLS: RuleReference = {
  title: 'OWASP Transport Layer Security Cheat Sheet',
  url: 'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html',
};

export const PROBE_RULES: readonly RuleMeta[] = Object.freeze([
  {
    id: PRB_ANONYMOUS,
    title: 'Scoring URI refuses requests without credentials',
    severity: 'critical',
    rationale:
      'Anyone who can reach the scoring URI can run the model, read its outputs and run up its cost unless the endpoint ' +
      'refuses callers that present no key or token; the ARM auth mode says what should happen, this probe sees what does.',
    remediation:
      'Keep an auth mode on the endpoint (properties.authMode AADToken or AMLToken) and make sure nothing in front of it ' +
      '(a custom gateway, a Kubernetes ingress) answers without checking the Authorization header; an anonymous POST must get 401 or 403.',
    references: [
      AUTH_DOC,
      { title: 'OWASP API Security Top 10: API2:2023 Broken Authentication', url: 'https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/' },
      { title: 'RFC 9110: 401 Unauthorized', url: 'https://www.rfc-editor.org/rfc/rfc9110#name-401-unauthorized' },
    ],
    tags: ['endpoint', 'probe', 'authentication'],
  },
  {
    id: PRB_PLAIN_HTTP,
    title: 'Scoring host does not serve plain HTTP',
    severity: 'high',
    rationale:
      'A listener that answers plain HTTP invites clients to send keys, tokens and scoring data in clear text, where anyone on ' +
      'the path can read or change them.',
    remediation:
      'Serve the scoring URI over HTTPS only: close the plain HTTP port or answer it with a redirect to https. For Kubernetes ' +
      'online endpoints, enable TLS in the Azure Machine Learning extension (sslCertPemFile/sslKeyPemFile) and do not set allowInsecureConnections.',
    references: [K8S_TLS_DOC, OWASP_TLS],
    tags: ['endpoint', 'probe', 'tls'],
  },
  {
    id: PRB_LEGACY_TLS,
    title: 'Scoring host refuses TLS 1.0 and 1.1',
    severity: 'high',
    rationale:
      'TLS 1.0 and 1.1 are deprecated (RFC 8996): they lack modern cipher suites and allow downgrade attacks. A host that still ' +
      'completes such a handshake lets a weak client, or an attacker posing as one, use them.',
    remediation:
      'Set the minimum TLS version to 1.2 on whatever terminates TLS in front of the endpoint (the AzureML inference router ' +
      'of a Kubernetes compute, a gateway, a load balancer).',
    references: [
      { title: 'RFC 8996: Deprecating TLS 1.0 and TLS 1.1', url: 'https://www.rfc-editor.org/rfc/rfc8996' },
      OWASP_TLS,
      K8S_TLS_DOC,
    ],
    tags: ['endpoint', 'probe', 'tls'],
  },
  {
    id: PRB_CERTIFICATE,
    title: 'Scoring certificate is trusted, names the host and is not about to expire',
    severity: 'high',
    rationale:
      'Clients that verify certificates stop working when the certificate expires or does not match; clients that have been ' +
      'told to skip verification to work around it can be intercepted.',
    remediation:
      'Serve a certificate from a trusted CA whose subjectAltName covers the scoring host, with its full chain, and renew it ' +
      'well before it expires (for Kubernetes online endpoints: the sslCertPemFile of the Azure Machine Learning extension).',
    references: [
      K8S_TLS_DOC,
      OWASP_TLS,
      { title: 'RFC 9525: Service Identity in TLS', url: 'https://www.rfc-editor.org/rfc/rfc9525' },
    ],
    tags: ['endpoint', 'probe', 'tls', 'certificate'],
  },
  {
    id: PRB_LEAKS,
    title: 'Scoring host does not reveal server internals',
    severity: 'medium',
    rationale:
      'Version banners, framework headers, stack traces and file paths tell an attacker which known vulnerabilities to try ' +
      'and how the scoring code is laid out, without any credential.',
    remediation:
      'Remove version details from the Server header and drop X-Powered-By, X-AspNet-Version and X-AspNetMvc-Version in the ' +
      'serving stack; catch exceptions in the scoring script (init/run) and return a generic error, logging details server-side.',
    references: [
      { title: 'OWASP WSTG-INFO-02: Fingerprint Web Server', url: 'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/01-Information_Gathering/02-Fingerprint_Web_Server' },
      { title: 'CWE-209: Generation of Error Message Containing Sensitive Information', url: 'https://cwe.mitre.org/data/definitions/209.html' },
    ],
    tags: ['endpoint', 'probe', 'information-disclosure'],
  },
]);

export function probeRule(id: string): RuleMeta {
  const r = PROBE_RULES.find((x) => x.id === id);
  if (!r) throw new Error(`unknown probe rule ${id}`);
  return r;
}
