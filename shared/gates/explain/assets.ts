/**
 * Where a model or data input points: a local file, or an Azure ML asset version (`azureml:<name>:<version>`,
 * downloaded through the workspace). Pure parsing; the download lives in download.ts.
 */
import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../../pipeline/inputs';

export type AssetKind = 'model' | 'data';

export type AssetRef =
  | { kind: 'file'; path: string; label: string }
  | { kind: 'azureml'; asset: AssetKind; name: string; version: string; label: string };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** `value` of input `input`: `azureml:<name>:<version>` or a path relative to `baseDir`. */
export function parseAssetRef(input: string, value: string, asset: AssetKind, baseDir: string): AssetRef {
  if (/^azureml:/i.test(value)) {
    const m = /^azureml:([^:/]+):([^:/]+)$/i.exec(value);
    if (!m || !NAME.test(m[1]) || !VERSION.test(m[2])) {
      throw new InputError(input, `Input '${input}' has the value '${value}'; an Azure ML ${asset} asset is written azureml:<name>:<version> (e.g. azureml:credit-${asset}:3), or give a file path.`);
    }
    return { kind: 'azureml', asset, name: m[1], version: m[2], label: `azureml:${m[1]}:${m[2]}` };
  }
  return { kind: 'file', path: isAbsolute(value) ? value : resolve(baseDir, value), label: value };
}
