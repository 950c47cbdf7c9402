import { QueryFailedError } from 'typeorm';

const UNIQUE_VIOLATION = '23505';

/** Runs `write`; when it breaks a unique constraint, throws `conflict()` instead (e.g. an AppError naming the field). */
export async function onUniqueViolation<T>(write: () => Promise<T>, conflict: () => Error): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof QueryFailedError && (error as { code?: string }).code === UNIQUE_VIOLATION) throw conflict();
    throw error;
  }
}
