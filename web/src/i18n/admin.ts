import en from './admin.en.ts';
import { i18n } from './index.ts';
import ptBR from './admin.pt-BR.ts';
import { connection as connectionPtBR } from './mail.pt-BR.ts';
import { connection as connectionEn } from './mail.en.ts';

/**
 * Administração's texts join the messages when its chunk loads, so the
 * console's first download does not carry them. Imported for its effect.
 */
i18n.global.mergeLocaleMessage('pt-BR', { admin: { ...ptBR, connection: connectionPtBR } });
i18n.global.mergeLocaleMessage('en', { admin: { ...en, connection: connectionEn } });
