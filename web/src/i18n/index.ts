import { createI18n } from 'vue-i18n';
import en from './en.ts';
import ptBR from './pt-BR.ts';

const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('atende.locale') : null;

export const i18n = createI18n({
  legacy: false,
  locale: saved === 'en' ? 'en' : 'pt-BR',
  fallbackLocale: 'pt-BR',
  messages: { 'pt-BR': ptBR, en },
});
