/** The languages sgops speaks: every reply, card and help text exists in each. */
export type Locale = 'en' | 'zh';
