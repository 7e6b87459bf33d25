/**
 * Every error a person can meet, by a stable code, in pt-BR and en (issue 13).
 *
 * The server keeps writing English messages where it throws
 * (`new CommandError('failed-precondition', 'Someone else has already taken this ticket')`);
 * the `en` text of an entry doubles as the pattern that recognises that
 * message (`{name}` matches anything and becomes a parameter), so the error
 * leaves the server as `{code, reason: 'ticket.alreadyTaken', params}` and
 * the SPA and the widget say it in the reader's language.
 *
 * To add an error: add ONE entry here (code, `en` = the message you throw,
 * with `{param}` where it varies; `pt-BR` = what the person reads). The test
 * core/test/errorTexts.test.ts fails if a thrown message has no entry, or an
 * entry lacks a language or a parameter. Order matters: specific before general.
 *
 * Zod-free and small: the widget bundles this file (what a customer can meet);
 * errors only staff meet are in staffTexts.ts, which texts.ts adds for the console.
 */
export interface ErrorText {
  en: string;
  'pt-BR': string;
}

export const CUSTOMER_ERROR_TEXTS = {
  // ── Tickets ──
  'ticket.alreadyTaken': { en: 'Someone else has already taken this ticket', 'pt-BR': 'Outra pessoa já está atendendo este cliente' },
  'ticket.notWaiting': { en: 'This ticket is {status}, not waiting', 'pt-BR': 'Este atendimento não está mais esperando' },
  'ticket.alreadyClosed': { en: 'This ticket is already closed', 'pt-BR': 'Este atendimento já foi finalizado' },
  'ticket.closedReopenToSend': { en: 'This ticket is closed: reopen it to send a message', 'pt-BR': 'Este atendimento foi finalizado: reabra-o para enviar uma mensagem' },
  'ticket.closed': { en: 'This ticket is closed', 'pt-BR': 'Este atendimento foi finalizado' },
  'ticket.reopenOnlyClosed': { en: 'Only closed tickets can be reopened', 'pt-BR': 'Só atendimentos finalizados podem ser reabertos' },
  'ticket.returnOnlyOpen': { en: 'Only tickets in service can go back to the queue', 'pt-BR': 'Só atendimentos em andamento podem voltar para a fila' },
  'ticket.transferOnlyLive': { en: 'Only waiting or in-service tickets can be transferred', 'pt-BR': 'Só atendimentos esperando ou em andamento podem ser transferidos' },
  'ticket.acceptBeforeReplying': { en: 'Take this ticket (Atender) before replying', 'pt-BR': 'Clique em Atender antes de responder' },
  'ticket.noLongerVisible': { en: 'You can no longer see this ticket', 'pt-BR': 'Você não tem mais acesso a este atendimento' },
  'ticket.gone': { en: 'This ticket no longer exists', 'pt-BR': 'Este atendimento não existe mais' },
  'channel.otherType': { en: 'Channel {channel} is {type}; this conversation is {other}', 'pt-BR': 'O canal {channel} é de outro tipo que esta conversa' },
  'channel.inactive': { en: 'Channel {channel} is inactive', 'pt-BR': 'O canal {channel} está desativado' },
  'channel.accountTaken': { en: 'The account {account} is already connected to {channel}', 'pt-BR': 'A conta {account} já está conectada ao canal {channel}' },
  'channel.webchatNoAccount': { en: 'A web chat has no provider account', 'pt-BR': 'O chat do site não tem conta de provedor' },
  'channel.instagramWindowClosed': {
    en: 'The Instagram reply window is closed: only the customer can reopen the conversation',
    'pt-BR': 'A janela de resposta do Instagram está fechada: só o cliente pode reabrir a conversa escrevendo de novo',
  },
  'channel.windowClosed': { en: 'The 24-hour window is closed: send a template', 'pt-BR': 'A janela de 24 horas está fechada: envie um modelo aprovado' },
  'channel.startWhatsAppOnly': { en: 'New conversations can only be started on WhatsApp', 'pt-BR': 'Só é possível iniciar conversas pelo WhatsApp' },
  'message.retryOnlyFailed': { en: 'Only a message that failed can be sent again', 'pt-BR': 'Só uma mensagem que falhou pode ser enviada de novo' },

  // ── Things that no longer exist ──
  'notFound.ticket': { en: 'Ticket {id} does not exist', 'pt-BR': 'Este atendimento não existe mais' },
  'notFound.ticketDot': { en: 'Ticket {id} does not exist.', 'pt-BR': 'Este atendimento não existe mais' },
  'notFound.sector': { en: 'Sector {id} does not exist', 'pt-BR': 'Este setor não existe mais' },
  'notFound.tag': { en: 'Tag {id} does not exist', 'pt-BR': 'Esta etiqueta não existe mais' },
  'notFound.classification': { en: 'Classification {id} does not exist', 'pt-BR': 'Esta classificação não existe mais' },
  'notFound.channel': { en: 'Channel {id} does not exist', 'pt-BR': 'Este canal não existe' },
  'notFound.webchat': { en: 'Web chat {id} does not exist', 'pt-BR': 'Este chat não está disponível' },
  'notFound.user': { en: 'User {id} does not exist', 'pt-BR': 'Este usuário não existe' },
  'notFound.contact': { en: 'Contact {id} does not exist', 'pt-BR': 'Este contato não existe mais' },
  'notFound.quickReply': { en: 'Quick reply {id} does not exist', 'pt-BR': 'Esta resposta rápida não existe mais' },
  'notFound.template': { en: 'Template {id} does not exist', 'pt-BR': 'Este modelo não existe mais' },
  'notFound.message': { en: 'Message {id} does not exist', 'pt-BR': 'Esta mensagem não existe mais' },
  'notFound.pauseReason': { en: 'Pause reason {id} does not exist', 'pt-BR': 'Este motivo de pausa não existe mais' },
  'notFound.settings': { en: 'The workspace settings does not exist', 'pt-BR': 'As configurações da empresa ainda não foram criadas' },
  'notFound.self': { en: 'Your user does not exist', 'pt-BR': 'Seu usuário não existe mais: fale com o administrador' },
  'notFound.document': { en: 'A document this change needs no longer exists', 'pt-BR': 'Algo de que esta ação precisa foi excluído: atualize a tela' },
  'notFound.route': { en: 'No route {method} {path}', 'pt-BR': 'Endereço não encontrado' },
  'notFound.any': { en: '{what} does not exist', 'pt-BR': 'Não encontrado: foi excluído ou não existe' },

  // ── Administração ──
  'channel.duplicateName': { en: 'There is already a channel named {name}', 'pt-BR': 'Já existe um canal chamado {name}' },

  // ── Who may do what (DESIGN §5) ──
  'policy.staffOnly': { en: 'only staff may do this', 'pt-BR': 'Só a equipe pode fazer isso' },
  'policy.staffOnlyRead': { en: 'only staff may read this', 'pt-BR': 'Só a equipe pode ver isso' },
  'policy.staffOnlyContacts': { en: 'only staff may edit contacts', 'pt-BR': 'Só a equipe pode editar contatos' },
  'policy.notYourSector': { en: 'this ticket belongs to a sector you are not in', 'pt-BR': 'Este atendimento é de um setor em que você não está' },
  'policy.notSupervised': { en: 'this ticket belongs to a sector you do not supervise', 'pt-BR': 'Este atendimento é de um setor que você não supervisiona' },
  'policy.assignedToOther': { en: 'this ticket is assigned to someone else', 'pt-BR': 'Este atendimento está com outra pessoa' },
  'policy.reopenOwnSectors': { en: 'you may only reopen tickets of your sectors', 'pt-BR': 'Você só pode reabrir atendimentos dos seus setores' },
  'policy.supervisorsOnly': { en: 'only supervisors and admins may change this', 'pt-BR': 'Só supervisores e administradores podem mudar isso' },
  'policy.adminsOnly': { en: 'only admins may change this', 'pt-BR': 'Só administradores podem mudar isso' },
  'policy.cannotSeeTicket': { en: 'you cannot see this ticket', 'pt-BR': 'Você não tem acesso a este atendimento' },
  'policy.cannotSee': { en: 'You cannot see this', 'pt-BR': 'Você não tem acesso a isso' },
  'policy.ownConversation': { en: 'you may only write to your own conversation', 'pt-BR': 'Você só pode escrever na sua própria conversa' },
  'policy.oneFilter': { en: 'filter by one of {fields} at a time ({given} given)', 'pt-BR': 'Use um filtro por vez' },
  'policy.nameSectors': { en: 'name the sectors to list (sectorIds): you may not list every sector', 'pt-BR': 'Escolha os setores a listar' },
  'policy.notInSector': { en: 'you are not in sector {sector}', 'pt-BR': 'Você não está no setor {sector}' },
  'policy.customersOnly': { en: 'only for web-chat customers', 'pt-BR': 'Só para clientes do chat do site' },
  'policy.mayNotRun': { en: 'You may not run {command}', 'pt-BR': 'Você não tem permissão para isso' },
  'policy.origin': { en: 'Requests from {origin} are not accepted.', 'pt-BR': 'Pedidos vindos de {origin} não são aceitos.' },

  // ── Signing in ──
  'auth.signedOut': { en: 'Not signed in.', 'pt-BR': 'Sessão expirada ou inexistente: entre de novo.' },
  'auth.signedOutShort': { en: 'Not signed in', 'pt-BR': 'Sessão expirada ou inexistente: entre de novo.' },
  'auth.signInFirst': { en: 'Sign in first', 'pt-BR': 'Entre de novo para continuar.' },
  'auth.signInAsVisitor': { en: 'Sign in (anonymously) first', 'pt-BR': 'Recarregue a página para conversar.' },
  'limit.loginAttempts': { en: 'Too many login attempts: wait {when}.', 'pt-BR': 'Muitas tentativas de login. Aguarde {when} e tente de novo.' },
  'limit.attempts': { en: 'Too many attempts: wait {when}.', 'pt-BR': 'Muitas tentativas. Aguarde {when} e tente de novo.' },
  'limit.requests': { en: 'Too many requests: wait {when}.', 'pt-BR': 'Muitas requisições: aguarde {when}.' },
  'limit.liveQueries': { en: 'At most {max} live queries per connection', 'pt-BR': 'Muitas listas abertas ao mesmo tempo: feche algumas janelas' },
  'limit.pendingSubscriptions': { en: 'At most {max} subscriptions waiting at once', 'pt-BR': 'Muitas listas abrindo ao mesmo tempo: aguarde um instante' },

  // ── The web-chat widget and files ──
  'widget.appCheck': { en: 'This chat must be opened from the site (App Check).', 'pt-BR': 'Abra esta conversa pelo site da empresa.' },
  'widget.sessionExpired': { en: 'Chat session expired: reload the page.', 'pt-BR': 'Sua sessão de conversa expirou: recarregue a página.' },
  'widget.unavailable': { en: 'This chat is not available.', 'pt-BR': 'Este chat não está disponível.' },
  'widget.emptyMessage': { en: 'Write a message or attach a file.', 'pt-BR': 'Escreva uma mensagem ou anexe um arquivo.' },
  'file.attachmentMissing': { en: 'Attachment not found: upload it again.', 'pt-BR': 'Anexo não encontrado: envie o arquivo de novo.' },
  'file.multipart': { en: 'Send the file as multipart/form-data.', 'pt-BR': 'Envie o arquivo como multipart/form-data.' },
  'file.multipartShort': { en: 'Send the file as multipart/form-data', 'pt-BR': 'Envie o arquivo como multipart/form-data.' },
  'file.required': { en: 'Attach a file.', 'pt-BR': 'Anexe um arquivo.' },
  'file.requiredShort': { en: 'Attach a file', 'pt-BR': 'Anexe um arquivo.' },
  'file.ticketRequired': { en: 'Name the ticket the file is for', 'pt-BR': 'Diga para qual atendimento é o arquivo' },
  'file.notFound': { en: 'File not found.', 'pt-BR': 'Arquivo não encontrado.' },
  'file.tooLarge': { en: 'File too large: at most {max}.', 'pt-BR': 'Arquivo muito grande (máximo {max}).' },
  'file.tooLargeMb': { en: 'The file is larger than {max} MB', 'pt-BR': 'Arquivo muito grande (máximo {max} MB).' },
  'file.typeNotAllowedMime': { en: 'Files of type {mime} are not allowed.', 'pt-BR': 'Tipo de arquivo não permitido ({mime}).' },
  'file.typeNotAllowed': { en: 'This file type is not allowed.', 'pt-BR': 'Tipo de arquivo não permitido.' },
  'file.typeRefused': { en: 'Files of type {mime} are not accepted', 'pt-BR': 'Arquivos do tipo {mime} não são aceitos.' },
  'file.empty': { en: 'The file is empty.', 'pt-BR': 'O arquivo está vazio.' },
  'file.cutShort': { en: 'The upload was cut short or malformed.', 'pt-BR': 'O envio do arquivo chegou incompleto ou malformado.' },
  'file.storageOff': { en: 'File storage is not configured on this server', 'pt-BR': 'O armazenamento de arquivos não está configurado neste servidor' },
  'file.uploadsOff': { en: 'File uploads are not configured on this server', 'pt-BR': 'O envio de arquivos não está configurado neste servidor' },

  // ── One field (FieldIssue.message): zod's words and the schemas' own ──
  'field.required': { en: 'Invalid input: expected {type}, received undefined', 'pt-BR': 'Preencha este campo' },
  'field.wrongType': { en: 'Invalid input: expected {type}, received {got}', 'pt-BR': 'Valor inválido' },
  'field.tooShort': { en: 'Too small: expected {what} to have >={min} characters', 'pt-BR': 'No mínimo {min} caracteres' },
  'field.tooLong': { en: 'Too big: expected {what} to have <={max} characters', 'pt-BR': 'No máximo {max} caracteres' },
  'field.tooFewItems': { en: 'Too small: expected {what} to have >={min} items', 'pt-BR': 'Escolha pelo menos {min}' },
  'field.tooManyItems': { en: 'Too big: expected {what} to have <={max} items', 'pt-BR': 'No máximo {max} itens' },
  'field.tooSmall': { en: 'Too small: expected {what} to be >={min}', 'pt-BR': 'No mínimo {min}' },
  'field.tooBig': { en: 'Too big: expected {what} to be <={max}', 'pt-BR': 'No máximo {max}' },
  'field.email': { en: 'Invalid email address', 'pt-BR': 'E-mail inválido' },
  'field.emailShort': { en: 'Invalid email', 'pt-BR': 'E-mail inválido' },
  'field.option': { en: 'Invalid option: expected one of {options}', 'pt-BR': 'Opção inválida' },
  'field.notEmpty': { en: 'must not be empty', 'pt-BR': 'Preencha este campo' },
  'field.maxChars': { en: 'must be at most {max} characters', 'pt-BR': 'No máximo {max} caracteres' },
  'field.idChars': { en: 'may only contain letters, digits, "_", ".", ":" and "-"', 'pt-BR': 'Use só letras, números, "_", ".", ":" e "-"' },
  'field.shortcutChars': { en: 'may only contain letters, digits, "_" and "-"', 'pt-BR': 'Use só letras, números, "_" e "-"' },
  'field.colour': { en: 'must be a colour like #1d4ed8', 'pt-BR': 'Escolha uma cor' },
  'field.time': { en: 'must be a time like 08:30', 'pt-BR': 'Use um horário como 08:30' },
  'field.date': { en: 'must be a date like 2026-12-25', 'pt-BR': 'Use uma data como 2026-12-25' },
  'field.noSuchSector': { en: 'no such sector', 'pt-BR': 'Este setor não existe mais' },
  'field.noSuchTag': { en: 'no such tag', 'pt-BR': 'Esta etiqueta não existe mais' },
  'field.noSuchClassification': { en: 'no such classification', 'pt-BR': 'Esta classificação não existe mais' },
  'field.noSuchPauseReason': { en: 'no such pause reason', 'pt-BR': 'Este motivo de pausa não existe mais' },
  'field.inUse': { en: 'already in use', 'pt-BR': 'Já está em uso' },
  'field.overflowItself': { en: 'a sector cannot overflow to itself', 'pt-BR': 'Um setor não pode transbordar para ele mesmo' },

  // ── Added by others' work (copilot, uploads, widget quotas) ──
  'message.notInTicket': { en: 'Message {id} is not in this ticket', 'pt-BR': 'Esta mensagem não é deste atendimento' },
  'file.alreadySent': { en: 'This file was already sent: attach it again.', 'pt-BR': 'Este anexo já foi enviado: anexe o arquivo de novo.' },
  'file.linkExpired': { en: 'This link has expired: open the file from the chat.', 'pt-BR': 'Este link expirou: abra o arquivo pela conversa.' },
  'file.sendAttachedFirst': { en: 'Send the files already attached first.', 'pt-BR': 'Envie os arquivos já anexados antes de anexar mais.' },
  'file.noRoom': { en: 'No room for more files now.', 'pt-BR': 'Espaço para anexos esgotado por ora: envie os já anexados ou tente mais tarde.' },
  'limit.newConversations': { en: 'Too many new conversations: wait a while.', 'pt-BR': 'Muitas conversas novas em pouco tempo: aguarde um pouco.' },

  // ── Softphone (issue 17) ──
  'field.phoneNumber': { en: 'must be a phone number (digits, optionally with +, spaces, dashes)', 'pt-BR': 'Digite um número de telefone' },
  'field.wsUrl': { en: 'must be a WebSocket address like wss://pbx.example.com:8089/ws', 'pt-BR': 'Use um endereço WebSocket como wss://pbx.exemplo.com.br:8089/ws' },
  'field.domain': { en: 'must be a domain or address like pbx.example.com', 'pt-BR': 'Use um domínio ou endereço como pbx.exemplo.com.br' },
  'field.sipExtension': { en: 'may only contain letters, digits, "_", ".", "+" and "-"', 'pt-BR': 'Use só letras, números, "_", ".", "+" e "-"' },
  'field.minChars': { en: 'must be at least {min} characters', 'pt-BR': 'No mínimo {min} caracteres' },

  // ── Input and the system ──
  'input.invalid': { en: 'Invalid {what}: {summary}', 'pt-BR': 'Dados inválidos: confira os campos destacados.' },
  'input.unknownCommand': { en: 'Unknown command "{command}"', 'pt-BR': 'Ação desconhecida: atualize a página.' },
  'input.unknownQuery': { en: 'Unknown query "{query}"', 'pt-BR': 'Lista desconhecida: atualize a página.' },
  'input.queryCannotRun': { en: 'Query {query} cannot run: {problem}', 'pt-BR': 'Esta lista não pode ser aberta: atualize a página.' },
  'input.callShape': { en: 'Call the command function with {name, input}', 'pt-BR': 'Pedido malformado: atualize a página.' },
  'input.textFrames': { en: 'Send text frames', 'pt-BR': 'Mensagem malformada.' },
  'system.shuttingDown': { en: 'The server is shutting down', 'pt-BR': 'O servidor está reiniciando: tente de novo em instantes.' },
  'system.busy': { en: 'Too many changes at the same moment; try again', 'pt-BR': 'Muitas mudanças ao mesmo tempo: tente de novo.' },
  'system.alreadyExists': { en: '{what} already exists', 'pt-BR': 'Isso já existe: atualize a tela.' },
  'system.createdMeanwhile': { en: 'This was created by someone else at the same moment', 'pt-BR': 'Outra pessoa criou isso no mesmo instante: atualize a tela.' },
  'system.internal': { en: 'Internal error', 'pt-BR': 'Erro inesperado no servidor: tente de novo.' },
} as const satisfies Record<string, ErrorText>;



/** When the message matched nothing: a sentence per error code, never the server's English. */
export const ERROR_FALLBACKS: Record<string, ErrorText> = {
  'invalid-argument': { en: 'Some data is invalid.', 'pt-BR': 'Dados inválidos.' },
  unauthenticated: { en: 'Your session has ended: sign in again.', 'pt-BR': 'Sua sessão terminou: entre de novo.' },
  'permission-denied': { en: 'You are not allowed to do this.', 'pt-BR': 'Você não tem permissão para isso.' },
  'not-found': { en: 'Not found: it was deleted or does not exist.', 'pt-BR': 'Não encontrado: foi excluído ou não existe.' },
  'already-exists': { en: 'This already exists.', 'pt-BR': 'Isso já existe.' },
  'failed-precondition': { en: 'This cannot be done now.', 'pt-BR': 'Isso não pode ser feito agora.' },
  'resource-exhausted': { en: 'Too many requests: wait a moment.', 'pt-BR': 'Muitas requisições: aguarde um instante.' },
  aborted: { en: 'Too many changes at once: try again.', 'pt-BR': 'Muitas mudanças ao mesmo tempo: tente de novo.' },
  unavailable: { en: 'No connection to the server: try again.', 'pt-BR': 'Sem conexão com o servidor: tente de novo.' },
  internal: { en: 'Unexpected server error: try again.', 'pt-BR': 'Erro inesperado no servidor: tente de novo.' },
};

export type ErrorParams = Record<string, string>;
export type Locale = 'pt-BR' | 'en';

/**
 * reasonOf and errorText over one table of texts: the whole ERROR_TEXTS for
 * the console and the server (texts.ts), the customers' part for the widget.
 */
export const textsTranslator = <R extends string>(table: Record<R, ErrorText>) => {
  const patterns: [R, RegExp, string[]][] = (Object.entries(table) as [R, ErrorText][]).map(([reason, text]) => {
    const names: string[] = [];
    const source = text.en
      .split(/(\{\w+(?:, \w+)?\})/)
      .map((part) => {
        const m = /^\{(\w+)\}$/.exec(part);
        if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(m[1]!);
        return '(.+?)';
      })
      .join('');
    return [reason, new RegExp(`^${source}$`, 's'), names];
  });

  /**
   * The stable code and parameters of an error message, or null. Messages
   * written "Português. (English.)" are recognised by their English part.
   */
  const reasonOf = (message: string): { reason: R; params: ErrorParams } | null => {
    const candidates = [message];
    const open = message.lastIndexOf(' (');
    if (open > 0 && message.endsWith(')')) candidates.push(message.slice(open + 2, -1));
    for (const candidate of candidates)
      for (const [reason, re, names] of patterns) {
        const m = re.exec(candidate);
        if (m) return { reason, params: Object.fromEntries(names.map((n, i) => [n, m[i + 1] ?? ''])) };
      }
    return null;
  };

  /** What a person reads for an error: by its reason if known, else a sentence for its code; never the server's text. */
  const errorText = (error: { code?: string; reason?: string | null; params?: ErrorParams | null; message?: string }, locale: Locale | string): string => {
    const lang: Locale = locale.startsWith('en') ? 'en' : 'pt-BR';
    let reason = error.reason && error.reason in table ? (error.reason as R) : null;
    let params = error.params ?? {};
    if (!reason && error.message) {
      const found = reasonOf(error.message);
      if (found) ({ reason, params } = found);
    }
    if (reason) return fill(table[reason][lang], params);
    return (ERROR_FALLBACKS[error.code ?? ''] ?? ERROR_FALLBACKS.internal!)[lang];
  };
  return { reasonOf, errorText };
};

const fill = (template: string, params: ErrorParams): string => template.replace(/\{(\w+)\}/g, (all, name: string) => params[name] ?? all);

/** The widget's translator: only what a customer can meet. */
export const customerErrors = textsTranslator(CUSTOMER_ERROR_TEXTS);
