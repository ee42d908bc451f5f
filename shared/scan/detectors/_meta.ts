/** Shared references and a constructor for detector metadata. */
import type { RuleMeta, RuleReference, Severity } from '../../rules/types';

export const CWE_798: RuleReference = {
  title: 'CWE-798: Use of Hard-coded Credentials',
  url: 'https://cwe.mitre.org/data/definitions/798.html',
};

export const MS_SECURITY_UTILITIES: RuleReference = {
  title: 'microsoft/security-utilities: identifiable secret formats and checksums',
  url: 'https://github.com/microsoft/security-utilities',
};

export const KEY_VAULT_PIPELINES: RuleReference = {
  title: 'Use Azure Key Vault secrets in Azure Pipelines',
  url: 'https://learn.microsoft.com/azure/devops/pipelines/release/azure-key-vault',
};

export const OWASP_SECRETS: RuleReference = {
  title: 'OWASP Secrets Management Cheat Sheet',
  url: 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
};

/** Remediation every leaked credential shares: revoke first, then remove, then keep it out. */
export function rotateAnd(what: string, then: string): string {
  return (
    `Treat the ${what} as compromised: revoke or rotate it at its source first (history keeps the old value), ` +
    `then remove it from the file. ${then}`
  );
}

export function secretRule(
  id: string,
  title: string,
  severity: Severity,
  rationale: string,
  remediation: string,
  references: RuleReference[],
  tags: string[],
): RuleMeta {
  return { id, title, severity, rationale, remediation, references: [...references, CWE_798], tags: ['secret', ...tags] };
}
