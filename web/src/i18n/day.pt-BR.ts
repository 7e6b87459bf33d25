/** The agent's day (issue 13): arrivals, order, unanswered, outage, drafts — pt-BR. */
export const day = {
  unsent: {
    waiting: 'Sem conexão: será enviada sozinha quando a conexão voltar',
  },
  queue: {
    arrivals: '{n} novo | {n} novos',
    arrivalsLabel: 'Mostrar {n} atendimento novo | Mostrar {n} atendimentos novos',
    order: 'Ordem',
    oldestFirst: 'Mais antigos primeiro',
    newestFirst: 'Mais recentes primeiro',
    unanswered: 'Não respondidos',
    unansweredHint: 'Só os atendimentos cuja última mensagem é do cliente',
    emptyUnanswered: 'Nenhum atendimento esperando resposta sua.',
  },
};
