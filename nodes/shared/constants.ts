export const CREDENTIAL_TYPE = 'evoLinkApi';
export const EVOLINK_BASE_URL = 'https://api.evolink.ai';
export const EVOLINK_FILES_BASE_URL = 'https://files-api.evolink.ai';

/** EvoLink keeps result files for 24 hours. */
export const VIDEO_URL_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Task reads never run more often than this, per task. */
export const MIN_POLL_INTERVAL_MS = 2000;

export const FINAL_STATUSES = ['completed', 'failed', 'cancelled'] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];

/** Statuses that mean "not final"; anything unknown is treated the same way. */
export const TIMED_OUT_STATUS = 'timedOut';
export const WAITING_STATUS = 'waitingForCallback';
