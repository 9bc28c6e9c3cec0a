import polyglotI18nProvider from 'ra-i18n-polyglot';
import { en } from './en';

/** English only for now; the list of locales is where a second language would be added. */
export const i18nProvider = polyglotI18nProvider(() => en, 'en', [{ locale: 'en', name: 'English' }], {
  allowMissing: true,
});
