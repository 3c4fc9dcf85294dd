import type { ProgressShape } from './index';

export const PROGRESS_SHAPES: Record<ProgressShape, (fraction: number) => number>;
export function progressAt(shape: ProgressShape | undefined, fraction: number): number;
