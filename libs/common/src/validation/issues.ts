import type { StandardSchemaV1 } from '@standard-schema/spec';
import { AppError } from '../errors/app-error.js';

export interface ValidationIssue {
  path: string;
  message: string;
}

/** Flattens standard-schema issues into `{path, message}` pairs for error details. */
export function toValidationIssues(issues: readonly StandardSchemaV1.Issue[]): ValidationIssue[] {
  return issues.map((issue) => ({
    path: (issue.path ?? []).map((p) => (typeof p === 'object' ? String(p.key) : String(p))).join('.'),
    message: issue.message,
  }));
}

export const validationError = (issues: readonly StandardSchemaV1.Issue[]) => AppError.validation(toValidationIssues(issues));

/** Validates a value against any standard schema (zod here), throwing `validation_failed`. */
export async function parseWith<S extends StandardSchemaV1>(schema: S, value: unknown): Promise<StandardSchemaV1.InferOutput<S>> {
  const result = await schema['~standard'].validate(value);
  if (result.issues) throw validationError(result.issues);
  return result.value;
}
