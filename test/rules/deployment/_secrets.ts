/**
 * Key-shaped values for the environment-variable tables, generated at run time (never committed): a storage
 * connection string with a random 64-byte key, a GitHub token with a valid CRC, a signed JWT, random passwords.
 */
import { randomBytes } from 'node:crypto';
import { isPlaceholder } from '../../../shared/scan/detectors/_values';
import { crc32Token, jwt, legacyStorageKey, randomBase62, randomFrom } from '../../unit/scan/detectors/_generate';

export const storageConnectionString = (): string =>
  `DefaultEndpointsProtocol=https;AccountName=stmlprod01;AccountKey=${legacyStorageKey()};EndpointSuffix=core.windows.net`;
export const githubToken = (): string => crc32Token('ghp_');
export const signedJwt = (): string => jwt({ sub: 'svc-scorer', aud: 'api://scoring', exp: 1893456000 });
/** A random password with three character classes: the generic assignment detector (SEC-GEN-001) reports it. */
export const literalPassword = (): string => `${randomBase62(10)}#${randomBytes(3).toString('hex')}!Q`;
/**
 * One character class only: below SEC-GEN-001's bar, so only the name heuristic reports it. Redrawn in the rare
 * case the letters spell a stand-in word ("sample", "dummy") or a run, which both checks rightly ignore.
 */
export function lowercasePassphrase(): string {
  let v: string;
  do v = randomFrom('abcdefghijklmnopqrstuvwxyz', 18);
  while (isPlaceholder(v));
  return v;
}
