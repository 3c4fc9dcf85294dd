export const CREDENTIAL_TYPE = 'evoLinkApi';
export const EVOLINK_BASE_URL = 'https://api.evolink.ai';
export const EVOLINK_FILES_BASE_URL = 'https://files-api.evolink.ai';

/** EvoLink keeps result files for 24 hours. */
export const VIDEO_URL_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * An AI agent waits for its tools before it answers anyone, so as a tool a wait ends well within
 * that ("Agent Tool Wait"): a task still running comes back as an answer with its ID.
 */
export const TOOL_WAIT_SECONDS = { default: 60, max: 120 };

/** Task reads never run more often than this, per task. */
export const MIN_POLL_INTERVAL_MS = 2000;

export const FINAL_STATUSES = ['completed', 'failed', 'cancelled'] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];

/** Statuses that mean "not final"; anything unknown is treated the same way. */
export const TIMED_OUT_STATUS = 'timedOut';
export const WAITING_STATUS = 'waitingForCallback';
