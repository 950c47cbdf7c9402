import { ValidationError } from 'class-validator';
import { AppError, ErrorCode } from './app-error';

/** Turns class-validator's tree into one AppError naming the first field at fault (`a.b[0].c`). */
export function validationErrorsToAppError(
  errors: ValidationError[],
  prefix = '',
  code: ErrorCode = 'VALIDATION_FAILED',
): AppError {
  const [field, message] = firstProblem(errors, prefix);
  return new AppError(code, message, field);
}

function firstProblem(errors: ValidationError[], prefix: string): [string, string] {
  for (const error of errors) {
    const path = joinPath(prefix, error.property);
    // class-validator lists the last-declared rule first; the first-declared (the type check) reads best.
    const constraint = Object.values(error.constraints ?? {}).at(-1);
    if (constraint) return [path, constraint.replace(error.property, path)];
    if (error.children?.length) return firstProblem(error.children, path);
  }
  return [prefix, 'is invalid'];
}

function joinPath(prefix: string, property: string): string {
  if (!prefix) return property;
  return /^\d+$/.test(property) ? `${prefix}[${property}]` : `${prefix}.${property}`;
}
