export const CREDENTIAL_TYPE = 'evoLinkApi';
export const EVOLINK_BASE_URL = 'https://api.evolink.ai';
export const EVOLINK_FILES_BASE_URL = 'https://files-api.evolink.ai';

// Defaults that both a field's description and the code that reads it use.

/** How long a wait lasts unless told otherwise. */
export const DEFAULT_TIMEOUT_SECONDS = 600;

/** The binary field a downloaded video goes into, and the first frame comes from. */
export const DEFAULT_BINARY_PROPERTY = 'data';

/**
 * An AI agent waits for its tools before it answers anyone, so as a tool a wait ends well within
 * that ("Agent Tool Wait"): a task still running comes back as an answer with its ID.
 */
export const DEFAULT_TOOL_WAIT_SECONDS = 60;
export const MAX_TOOL_WAIT_SECONDS = 120;
