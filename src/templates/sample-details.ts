/**
 * Sample values of every subject's template variables (`payment`, `contract`, `milestone`, `report` …),
 * so that each template is tried at start-up with all the variables it may use. A subject kind that
 * adds variables adds its sample here.
 */
export const SAMPLE_DETAILS: Record<string, unknown> = {};
