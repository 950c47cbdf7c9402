import { EntityManager } from 'typeorm';

export const JOB_TYPES = {
  contactProfile: 'contact.profile',
  attachmentDownload: 'attachment.download',
} as const;

/** Adds jobs inside the caller's transaction, so the work is durable exactly when the data is. */
export async function enqueueJobs(
  manager: EntityManager,
  jobs: { type: string; payload: Record<string, unknown> }[],
): Promise<void> {
  if (jobs.length === 0) return;
  await manager.query(`INSERT INTO jobs (type, payload) SELECT * FROM unnest($1::varchar[], $2::jsonb[])`, [
    jobs.map((job) => job.type),
    jobs.map((job) => JSON.stringify(job.payload)),
  ]);
}
