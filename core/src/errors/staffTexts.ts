import type { ErrorText } from './customerTexts.ts';

/**
 * Errors only staff meet (administration, templates, the copilot, the phone,
 * signing in): texts.ts adds them to the customers' ones for the console and
 * the server, and the widget never bundles them. Same rules as customerTexts.ts.
 */
export const STAFF_ERROR_TEXTS = {
  'contact.liveTicketOn': {
    en: 'This contact already has a ticket in progress on {channel} (protocol {protocol})',
    'pt-BR': 'Este contato já tem um atendimento em andamento em {channel} (protocolo {protocol})',
  },
  'contact.liveTicket': { en: 'This contact already has a ticket in progress (protocol {protocol})', 'pt-BR': 'Este contato já tem um atendimento em andamento (protocolo {protocol})' },
  'transfer.agentNotInSector': { en: '{agent} is not in the sector {sector}', 'pt-BR': '{agent} não está no setor {sector}' },
  'transfer.agentInNoSector': { en: '{agent} is not in any sector', 'pt-BR': '{agent} não está em nenhum setor' },
  'email.inboundToken': { en: 'Unknown channel or wrong inbound token.', 'pt-BR': 'Canal ou token de entrada inválido.' },
  'email.channelOff': { en: 'The channel is switched off.', 'pt-BR': 'O canal está desativado.' },
  'email.rawBody': { en: 'Send the raw message as message/rfc822.', 'pt-BR': 'Envie a mensagem bruta (message/rfc822).' },
  'template.missing': { en: 'This template does not exist on this channel: sync the templates again', 'pt-BR': 'Este modelo não existe neste canal: sincronize os modelos de novo' },
  'template.notApproved': { en: 'Only approved templates can be sent', 'pt-BR': 'Só modelos aprovados pela Meta podem ser enviados' },
  'template.fillVariables': { en: 'Fill in every variable of the template', 'pt-BR': 'Preencha todas as variáveis do modelo' },
  'template.notForSector': { en: 'This template is not available to your sector', 'pt-BR': 'Este modelo não está liberado para o seu setor' },
  'template.providerRefused': { en: 'The provider refused the template list: {reason}', 'pt-BR': 'O WhatsApp recusou a lista de modelos ({reason}): revise a conexão do canal' },
  'template.noBusinessId': { en: 'Connect the channel with its WhatsApp Business Account id first', 'pt-BR': 'Conecte o canal informando o ID da conta WhatsApp Business (WABA) primeiro' },
  'template.onlyWhatsApp': { en: 'Only WhatsApp channels have templates', 'pt-BR': 'Só canais de WhatsApp têm modelos' },
  'user.emailTaken': { en: 'The e-mail {email} is already used by {name}', 'pt-BR': 'O e-mail {email} já é usado por {name}' },
  'sector.duplicateName': { en: 'There is already a sector named {name}', 'pt-BR': 'Já existe um setor chamado {name}' },
  'tag.duplicateName': { en: 'There is already a tag named {name}', 'pt-BR': 'Já existe uma etiqueta chamada {name}' },
  'classification.duplicateName': { en: 'There is already a classification named {name}', 'pt-BR': 'Já existe uma classificação chamada {name}' },
  'pauseReason.duplicateName': { en: 'There is already a pause reason named {name}', 'pt-BR': 'Já existe um motivo de pausa chamado {name}' },
  'quickReply.duplicateShortcut': { en: 'There is already a quick reply with the shortcut /{name}', 'pt-BR': 'Já existe uma resposta rápida com o atalho /{name}' },
  'user.duplicateName': { en: 'There is already a user named {name}', 'pt-BR': 'Já existe um usuário chamado {name}' },
  'sector.routedFromChannel': {
    en: 'Sector {sector} receives tickets from channel {channel}; change the channel first',
    'pt-BR': 'O setor {sector} recebe atendimentos do canal {channel} (setor padrão ou opção do bot): altere o canal antes de excluir',
  },
  'sector.overflowFrom': { en: 'Sector {other} overflows to sector {sector}; change its overflow first', 'pt-BR': 'O setor {other} transborda para {sector}: altere o transbordo dele antes de excluir' },
  'sector.moveToItself': { en: 'Move the tickets to another sector', 'pt-BR': 'Escolha outro setor para receber os atendimentos' },
  'sector.tooManyTickets': { en: 'Sector {sector} has more than {max} open tickets; transfer some first', 'pt-BR': 'O setor {sector} tem mais de {max} atendimentos abertos: transfira parte deles antes de excluir' },
  'sector.hasTickets': { en: 'Sector {sector} has {count} open tickets; choose the sector they go to', 'pt-BR': 'O setor {sector} tem {count} atendimentos abertos: escolha para qual setor enviá-los' },
  'sector.overflowItself': { en: 'A sector cannot overflow to itself', 'pt-BR': 'Um setor não pode transbordar para ele mesmo' },
  'password.notHere': { en: 'Passwords cannot be set on this server', 'pt-BR': 'Senhas não são definidas por aqui neste servidor' },
  'password.onlyAdmins': { en: 'only admins may set other users’ passwords', 'pt-BR': 'Só administradores definem a senha de outras pessoas' },
  'auth.wrongPassword': { en: 'Wrong e-mail or password.', 'pt-BR': 'E-mail ou senha incorretos.' },
  'auth.currentPasswordWrong': { en: 'Current password is wrong.', 'pt-BR': 'Senha atual incorreta.' },
  'auth.deactivated': { en: 'This account is deactivated', 'pt-BR': 'Esta conta está desativada' },
  'auth.notAUser': { en: 'This account is not an Atende user', 'pt-BR': 'Esta conta não tem acesso ao Atende' },
  'auth.staffNoWidget': { en: 'Staff accounts do not open widget sessions', 'pt-BR': 'Contas da equipe não abrem conversas no chat do site' },
  'copilot.staffOnly': { en: 'Only staff may use the copilot.', 'pt-BR': 'Só a equipe usa o copiloto.' },
  'copilot.noProvider': { en: 'Configure an AI provider to {what}.', 'pt-BR': 'Configure um provedor de IA para {what}.' },
  'copilot.switchedOff': { en: 'An admin switched this copilot feature off.', 'pt-BR': 'O administrador desligou esta função do copiloto.' },
  'copilot.unknownAction': { en: 'Unknown copilot action.', 'pt-BR': 'Ação do copiloto desconhecida.' },
  'copilot.providerFailed': { en: 'The AI provider failed; your text was not changed: {why}.', 'pt-BR': 'O provedor de IA falhou; seu texto não foi alterado.' },
  'copilot.failed': { en: 'The copilot failed.', 'pt-BR': 'O copiloto falhou.' },
  'copilot.callShape': { en: 'Call the copilot with {action, input}.', 'pt-BR': 'Pedido malformado ao copiloto: atualize a página.' },
  'phone.notConfigured': {
    en: 'No phone system is configured: an admin sets it in Administração → Telefonia',
    'pt-BR': 'Nenhuma central telefônica configurada: um administrador a configura em Administração → Telefonia',
  },
  'phone.channelInactive': {
    en: 'The Telefone channel is inactive: an admin can turn it back on in Administração → Canais',
    'pt-BR': 'O canal Telefone está desativado: um administrador pode reativá-lo em Administração → Canais',
  },} as const satisfies Record<string, ErrorText>;
