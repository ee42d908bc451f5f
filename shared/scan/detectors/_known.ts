/**
 * Is a value already proven by a checksum detector? Context detectors (connection strings, assignments) skip
 * such values so one secret yields one finding, under the most precise rule.
 */
import { sha256Hex } from '../redact';
import { AZURE_IDENTIFIABLE_DETECTORS } from './azureIdentifiable';
import { azureCaskDetector } from './azureCask';
import { azureEntraDetector } from './azureEntra';

const CTX = { path: '' };

export function isVerifiedAzureKey(value: string): boolean {
  if (value.length < 37 || value.length > 100) return false;
  for (const d of [...AZURE_IDENTIFIABLE_DETECTORS, azureCaskDetector, azureEntraDetector]) {
    if (!d.anchors.some((a) => value.includes(a))) continue;
    if (d.scan(value, CTX).some((m) => m.confidence === 'verified' && m.start === 0 && m.end === value.length)) return true;
  }
  return false;
}

/**
 * SHA-256 of public development keys that are not secrets: the Azurite / storage emulator account key, which
 * Microsoft documents for everyone. Kept as digests so no key-shaped literal sits in the source.
 */
const PUBLIC_DEV_KEYS = new Set(['0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059']);

export function isPublicDevelopmentKey(value: string): boolean {
  if (value.length !== 88) return false;
  return PUBLIC_DEV_KEYS.has(sha256Hex(value));
}

/** Prefixes of tokens that dedicated detectors report; context detectors leave such values to them. */
const TOKEN_PREFIXES = [
  'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'glpat-', 'gldt-', 'glrt-', 'glptt-', 'glcbt-', 'xoxb-', 'xoxp-',
  'xoxa-', 'xoxr-', 'xoxs-', 'xoxe', 'sk_live_', 'rk_live_', 'npm_', 'pypi-', 'hf_', 'api_org_', 'SG.', 'AKIA', 'ASIA',
  'eyJ', 'dapi', 'AIza', 'sk-', '-----BEGIN', 'IR@',
];

export function hasDedicatedDetector(value: string): boolean {
  for (const p of TOKEN_PREFIXES) if (value.startsWith(p)) return true;
  return value.length >= 84 && value.includes('JQQJ');
}
