/**
 * A step's error is read in chat by people of either language, and steps do not know the
 * reader's: messages that a person must act on carry both, English first, then 中文.
 */
export const bilingual = (en: string, zh: string): string => `${en}\n${zh}`;
