/**
 * Model-file analyzers, one per format. Each reads bytes and walks structures; none loads, unpickles or runs anything.
 */
import type { RuleMeta } from '../../rules/types';
import type { ModelAnalyzer } from '../types';
import { kerasAnalyzer } from './keras';
import { numpyAnalyzer } from './numpy';
import { onnxAnalyzer } from './onnx';
import { pickleAnalyzer } from './pickle';
import { pytorchAnalyzer } from './pytorch';
import { safetensorsAnalyzer } from './safetensors';

export const ALL_ANALYZERS: ModelAnalyzer[] = [pickleAnalyzer, pytorchAnalyzer, numpyAnalyzer, kerasAnalyzer, onnxAnalyzer, safetensorsAnalyzer];

/** Every rule the analyzers can emit, each once (several analyzers share the pickle and archive rules). */
export const MODEL_RULES: RuleMeta[] = [...new Map(ALL_ANALYZERS.flatMap((a) => a.rules).map((r) => [r.id, r] as const)).values()];
