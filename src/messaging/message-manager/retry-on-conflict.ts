/** Deadlock, serialization failure, unique violation: a race with another writer that a new try resolves. */
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001', '23505']);
const ATTEMPTS = 3;

/** Runs `work`, again (up to three tries in all) when it lost a race with another writer. */
export async function retryOnConflict<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const sqlState = (error as { code?: string }).code;
      if (attempt >= ATTEMPTS || !sqlState || !RETRYABLE_SQLSTATES.has(sqlState)) throw error;
    }
  }
}
