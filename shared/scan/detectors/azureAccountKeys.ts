/**
 * Storage and Cosmos DB account keys of the legacy, checksum-less form (base64 of 64 bytes: 86 characters and
 * "=="), which only context can tell from any other base64:
 * - a connection string field `AccountKey=<value>` (Cosmos DB when the string names *.documents.azure.com);
 * - an 88-character value on the same line as a storage-key name (`StorageKey`, `storage_account_key`,
 *   `AZURE_STORAGE_KEY`, Terraform `access_key`, JSON `"accountKey":`) or as a *.documents.azure.com endpoint.
 * Lock-file integrity hashes (`sha512-…==`) have no such context. Identifiable keys (+ASt, ACDb) are left to
 * the checksum detectors, and the public storage-emulator key is ignored.
 */
import type { Detector, SecretMatch } from '../types';
import { ANY_BASE64, BASE64, isIn, lineEnd, lineStart, runForward } from './_boundaries';
import { keywords } from './_keywords';
import { connectionFields, fieldMatch } from './_connstr';
import { isPublicDevelopmentKey, isVerifiedAzureKey } from './_known';
import { rotateAnd, secretRule } from './_meta';
import { isCredentialLiteral, isIntegrityDigest, isPlaceholder } from './_values';

const STORAGE = secretRule(
  'SEC-AZ-STORAGE-002',
  'Azure Storage account key (legacy form, found by context)',
  'critical',
  'An account key grants full control of the storage account, bypassing Entra ID and RBAC; the 88-character form has no checksum, so its connection string or setting name identifies it.',
  rotateAnd('account key', 'Connect with a managed identity or Entra ID (DefaultAzureCredential) and disable Shared Key authorization (allowSharedKeyAccess: false).'),
  [{ title: 'Manage storage account access keys', url: 'https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage' }],
  ['azure', 'storage'],
);

const COSMOS = secretRule(
  'SEC-AZ-COSMOS-002',
  'Azure Cosmos DB account key (legacy form, next to its endpoint)',
  'critical',
  'A Cosmos DB key next to its account endpoint reads and writes every database of the account.',
  rotateAnd('account key', 'Use Entra ID data-plane RBAC with a managed identity and set disableLocalAuth: true.'),
  [{ title: 'Secure access to data in Azure Cosmos DB', url: 'https://learn.microsoft.com/azure/cosmos-db/secure-access-to-data' }],
  ['azure', 'cosmosdb'],
);

/** Names a storage or Cosmos key goes by, lower case; the endpoint host marks Cosmos DB. */
const CONTEXT_WORDS = ['documents.azure.com', 'storagekey', 'storage_key', 'storage-key', 'storageaccountkey', 'storage_account_key', 'azure_storage_access_key', 'accountkey', 'access_key', 'accesskey', 'access-key', 'masterkey', 'primarykey', 'primary_key'];

const ACCOUNT_KEY_FIELD = keywords(['accountkey']);
const CONTEXT = keywords(CONTEXT_WORDS);

/** A bounded base64 run of exactly 86 characters and "==" starting at `i`. */
function legacyKeyAt(text: string, i: number): boolean {
  if (isIn(text, i - 1, ANY_BASE64)) return false;
  if (runForward(text, i, BASE64, 87) !== 86) return false;
  return text.charCodeAt(i + 86) === 61 && text.charCodeAt(i + 87) === 61 && !isIn(text, i + 88, ANY_BASE64) && text.charCodeAt(i + 88) !== 61;
}

function acceptable(v: string): boolean {
  return !isPlaceholder(v) && !isIntegrityDigest(v) && !isPublicDevelopmentKey(v) && !isVerifiedAzureKey(v);
}

export const azureAccountKeyDetector: Detector = {
  meta: STORAGE,
  variants: [COSMOS],
  anchors: CONTEXT_WORDS,
  caseInsensitiveAnchors: true,
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    const seen = new Set<number>();
    for (const f of connectionFields(text, ACCOUNT_KEY_FIELD, (_, v) => isCredentialLiteral(v, 20) && acceptable(v))) {
      seen.add(f.start);
      out.push(f.context.includes('documents.azure.com') || f.context.includes('accountendpoint=')
        ? fieldMatch(f, COSMOS, 'Azure Cosmos DB account key in a connection string (AccountKey=).')
        : fieldMatch(f, STORAGE, 'Azure Storage account key in a connection string (AccountKey=).'));
    }
    CONTEXT.each(text, (at, word) => {
      // Look for the key on the same line, a few hundred characters around the word.
      const from = lineStart(text, at, 200);
      const to = lineEnd(text, at, 300);
      // Search a slice, not the text: indexOf on the text would run past the window when no '==' is near.
      const win = text.slice(from, to);
      for (let j = win.indexOf('=='); j !== -1; j = win.indexOf('==', j + 2)) {
        const start = from + j - 86;
        if (start < from || seen.has(start) || !legacyKeyAt(text, start)) continue;
        const v = text.slice(start, start + 88);
        if (!acceptable(v)) continue;
        seen.add(start);
        const cosmos = win.toLowerCase().includes('documents.azure.com');
        out.push({
          start,
          end: start + 88,
          ruleId: cosmos ? COSMOS.id : STORAGE.id,
          confidence: 'context',
          message: cosmos
            ? 'Azure Cosmos DB account key (88-character form) on the line of its documents.azure.com endpoint.'
            : `Azure Storage account key (88-character form) next to "${word}".`,
        });
      }
    });
    out.sort((a, b) => a.start - b.start);
    return out;
  },
};
