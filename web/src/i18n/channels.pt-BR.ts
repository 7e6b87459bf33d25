/** Channels with a provider (WhatsApp…): delivery failures, the reply window, templates, Nova conversa. pt-BR. */
export const channel = {
  delivery: {
    'window-closed': 'Não entregue: a janela de 24 horas está fechada. Envie um modelo.',
    'invalid-recipient': 'Não entregue: este número não pode receber mensagens no WhatsApp.',
    'rate-limited': 'Limite de envio atingido: tentando de novo automaticamente.',
    'template-rejected': 'Não entregue: o modelo foi recusado (não aprovado ou variáveis inválidas).',
    'media-rejected': 'Não entregue: o arquivo não foi aceito pelo canal.',
    auth: 'Não entregue: o canal recusou as credenciais. Um administrador precisa revisar a conexão.',
    'provider-unavailable': 'O canal não respondeu: tentando de novo automaticamente.',
    'not-configured': 'Não entregue: este canal não está conectado.',
    rejected: 'Não entregue: o canal recusou a mensagem.',
    code: 'Código {code}',
  },
  started: '{actor} iniciou a conversa',
  unsupported: 'O cliente enviou uma mensagem de um tipo que o Atende não mostra ({type}).',
};
