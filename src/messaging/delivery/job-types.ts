/** The job types the core enqueues (the `store_inbound_messages` database function writes these names too). */
export const JOB_TYPES = {
  contactProfile: 'contact.profile',
  attachmentDownload: 'attachment.download',
} as const;
