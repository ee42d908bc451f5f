/** One gate run's evidence, signed: Statement about the model files, in a DSSE envelope. */
import type { EvidenceRecord } from '../report/evidence';
import type { FileDigest } from './digests';
import { IN_TOTO_PAYLOAD_TYPE, signEnvelope, type DsseEnvelope } from './dsse';
import type { Signer } from './keys';
import { buildStatement, serializeStatement, type Lineage, type ModelRef } from './statement';

export interface SealInput {
  files: readonly FileDigest[];
  evidence: EvidenceRecord;
  model: ModelRef;
  lineage?: Lineage;
  signers: readonly Signer[];
}

export async function sealEvidence(input: SealInput): Promise<DsseEnvelope> {
  const statement = buildStatement(input.files, { evidence: input.evidence, model: input.model, lineage: input.lineage ?? {} });
  return signEnvelope(serializeStatement(statement), IN_TOTO_PAYLOAD_TYPE, input.signers);
}
