/**
 * The slice of the onnxruntime API both backends share (onnxruntime-web and onnxruntime-node implement the
 * same onnxruntime-common interface), so backend.ts is written once against it.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-common';

export interface OrtRuntime {
  InferenceSession: { create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };
  Tensor: new (type: Tensor.Type, data: Tensor.DataType, dims: readonly number[]) => Tensor;
}

export interface LoadedRuntime {
  ort: OrtRuntime;
  sessionOptions: InferenceSession.SessionOptions;
  /** "onnxruntime-web 1.30.0 (wasm)", for the report. */
  description: string;
}
