import type { Rule, RuleOutcome } from '../types';
import { get, str } from '../_util';
import { learnRef } from '../workspace/_refs';
import { azureMlExtension, extensionsCollected, settingIsTrue } from './_clusterExtension';
import { skipUnlessType } from './_computeType';

const SETTINGS = 'properties.configurationSettings';

/**
 * The ML compute resource says nothing about TLS; the AzureML cluster extension does. The inventory does not collect
 * that extension, so for a Kubernetes compute the rule skips: passing would claim TLS it cannot see, failing would
 * flag every correctly configured cluster. EndpointHardeningCheck checks the endpoints' scoring TLS instead.
 */
export const rule: Rule = {
  id: 'AML-CMP-012',
  title: 'Kubernetes compute inference is served over TLS',
  severity: 'high',
  resourceKind: 'compute',
  rationale:
    'Online endpoints on Kubernetes compute serve scoring traffic through the AzureML inference router; with insecure ' +
    'connections allowed, requests, their data and the endpoint keys travel in clear text.',
  remediation:
    'Update the AzureML extension (az k8s-extension update --name <ext> --cluster-name <c> …) with allowInsecureConnections=False ' +
    'and TLS settings sslCname plus sslSecret (or sslCertPemFile/sslKeyPemFile).',
  references: [learnRef('Configure a secure online endpoint with TLS/SSL', 'how-to-secure-kubernetes-online-endpoint')],
  check(c, ctx) {
    const skip = skipUnlessType(c, ['Kubernetes']);
    if (skip) return skip;
    if (!extensionsCollected(ctx.inventory)) {
      return {
        status: 'skip',
        reason: 'TLS for Kubernetes compute lives in the AzureML cluster extension (Microsoft.KubernetesConfiguration), which ' +
          'SecurityGate does not read; EndpointHardeningCheck checks endpoint TLS',
      };
    }
    const ext = azureMlExtension(c, ctx.inventory);
    if (!ext) return { status: 'skip', reason: 'no AzureML extension was found on the cluster this compute points at' };
    const out: RuleOutcome[] = [];
    if (settingIsTrue(get(ext, `${SETTINGS}.allowInsecureConnections`))) {
      out.push({ status: 'fail', path: `${SETTINGS}.allowInsecureConnections`, message: `The AzureML extension ${ext.id} sets allowInsecureConnections to True, so scoring is served over plain HTTP.` });
    } else if (settingIsTrue(get(ext, `${SETTINGS}.enableInference`)) && !str(get(ext, `${SETTINGS}.sslCname`))) {
      out.push({ status: 'fail', path: `${SETTINGS}.sslCname`, message: `The AzureML extension ${ext.id} enables inference without a TLS certificate name (sslCname).` });
    }
    return out.length > 0 ? out : { status: 'pass' };
  },
};
