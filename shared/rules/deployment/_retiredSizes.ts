/**
 * VM sizes that managed online deployments have used and Azure retires (deallocates), kept as data. Sources: the
 * Azure Virtual Machines retirement pages linked from each entry and from Azure Machine Learning's own notice
 * (articles/machine-learning/includes/retiring-vms.md). The NCv3 sizes still appear in the managed online
 * endpoints SKU list although their retirement date has passed. A date is the day the size stops running.
 */
import type { RuleReference } from '../types';

export interface RetiredSeries {
  series: string;
  /** Instance types as deployments name them (compared case-insensitively). */
  sizes: readonly string[];
  /** ISO date from which remaining VMs of the size are deallocated. */
  retiresOn: string;
  reference: RuleReference;
}

const vmRef = (title: string, page: string): RuleReference => ({
  title: `Microsoft Learn: ${title}`,
  url: `https://learn.microsoft.com/azure/virtual-machines/${page}`,
});

const withPromo = (sizes: string[]): string[] => sizes.flatMap((s) => [s, `${s}_Promo`]);

export const RETIRED_SERIES: readonly RetiredSeries[] = [
  {
    series: 'NC (NVIDIA K80)',
    sizes: withPromo(['Standard_NC6', 'Standard_NC12', 'Standard_NC24', 'Standard_NC24r']),
    retiresOn: '2023-09-06',
    reference: vmRef('Migrate your NC and NC_Promo series virtual machines', 'nc-series-retirement'),
  },
  {
    series: 'NCv2 (NVIDIA P100)',
    sizes: ['Standard_NC6s_v2', 'Standard_NC12s_v2', 'Standard_NC24s_v2', 'Standard_NC24rs_v2'],
    retiresOn: '2023-09-06',
    reference: vmRef('Migrate your NCv2 series virtual machines', 'ncv2-series-retirement'),
  },
  {
    series: 'ND (NVIDIA P40)',
    sizes: ['Standard_ND6s', 'Standard_ND12s', 'Standard_ND24s', 'Standard_ND24rs'],
    // The page read says 31 August 2022; the NC/NCv2/NV pages later moved to 6 September 2023. Either way it is past.
    retiresOn: '2022-08-31',
    reference: vmRef('Migrate your ND series virtual machines', 'nd-series-retirement'),
  },
  {
    series: 'NV (NVIDIA M60)',
    sizes: withPromo(['Standard_NV6', 'Standard_NV12', 'Standard_NV24']),
    retiresOn: '2023-09-06',
    reference: vmRef('NV series retirement', 'nv-series-retirement'),
  },
  {
    series: 'NCv3 (NVIDIA V100)',
    sizes: ['Standard_NC6s_v3', 'Standard_NC12s_v3', 'Standard_NC24s_v3'],
    retiresOn: '2025-09-30',
    reference: vmRef('Migrate your NC6s_v3, NC12s_v3, NC24s_v3 virtual machine sizes', 'ncv3-nc6s-nc12s-nc24s-retirement'),
  },
];

/** The retired series an instance type belongs to, if any. */
export function retiredSeriesOf(instanceType: string): RetiredSeries | undefined {
  const t = instanceType.trim().toLowerCase();
  return RETIRED_SERIES.find((s) => s.sizes.some((size) => size.toLowerCase() === t));
}
