/**
 * Hand-written parts of the copilot's evaluation corpus (`npm run eval:copilot`).
 * Each intent has its own customer phrasings and details, split by hand into
 * the ones training conversations may use and the ones held out for testing:
 * a test conversation never reuses a training sentence.
 */
export interface Intent {
  id: string;
  sector: 'suporte' | 'financeiro';
  classification: 'duvida' | 'problema-tecnico' | 'cobranca';
  /** The fitting answer: a quick reply's id, or the agents' own words (two ways they put it). */
  answer: { quickReply: string } | { text: [string, string] };
  train: string[];
  test: string[];
  details: { train: string[]; test: string[] };
}

/** The demo's four quick replies plus the ones a real team keeps for its frequent questions. */
export const QUICK_REPLIES: { id: string; shortcut: string; text: string; sectorIds: string[] }[] = [
  { id: 'ola', shortcut: 'ola', text: 'Olá, {{contact.name}}! Aqui é {{agent.name}}, do setor {{sector.name}}. Como posso ajudar?', sectorIds: [] },
  { id: 'protocolo', shortcut: 'protocolo', text: 'O número do seu protocolo é {{ticket.protocol}}.', sectorIds: [] },
  { id: 'boleto', shortcut: 'boleto', text: 'Você pode emitir a segunda via do boleto na área do cliente, em Financeiro > Boletos.', sectorIds: ['financeiro'] },
  { id: 'reiniciar', shortcut: 'reiniciar', text: 'Por favor, desligue o aparelho por 30 segundos e ligue de novo. Me avise se resolveu.', sectorIds: ['suporte'] },
  { id: 'atualizar-app', shortcut: 'atualizar', text: 'Atualize o aplicativo pela loja (Play Store ou App Store). Se continuar, limpe o cache em Configurações > Aplicativos > Atende.', sectorIds: ['suporte'] },
  { id: 'endereco', shortcut: 'endereco', text: 'Consigo alterar o endereço enquanto o pedido não foi despachado. Me passe o endereço completo, com CEP e complemento.', sectorIds: ['suporte'] },
  { id: 'rastreio', shortcut: 'rastreio', text: 'Você acompanha a entrega em Meus pedidos > Rastrear, com o código que enviamos por e-mail no despacho.', sectorIds: ['suporte'] },
  { id: 'negociacao', shortcut: 'negociar', text: 'Podemos parcelar o valor em atraso. Vou gerar uma proposta de acordo e te envio por aqui para você aprovar.', sectorIds: ['financeiro'] },
  { id: 'nota-fiscal', shortcut: 'nf', text: 'A nota fiscal fica disponível na área do cliente, em Financeiro > Notas fiscais, até 24 horas depois do pagamento.', sectorIds: ['financeiro'] },
  { id: 'cartao', shortcut: 'cartao', text: 'Para trocar o cartão, acesse Financeiro > Forma de pagamento e cadastre o novo; a próxima fatura já vem nele.', sectorIds: ['financeiro'] },
  { id: 'pix', shortcut: 'pix', text: 'Dá para pagar por Pix: em Financeiro > Faturas, escolha a fatura e toque em Pagar com Pix. A baixa é na hora.', sectorIds: ['financeiro'] },
  { id: 'senha', shortcut: 'senha', text: 'Enviei um link para criar uma nova senha no seu e-mail cadastrado. Ele vale por 1 hora; confira também o spam.', sectorIds: ['suporte'] },
];

export const INTENTS: Intent[] = [
  {
    id: 'acesso-conta', sector: 'suporte', classification: 'problema-tecnico', answer: { quickReply: 'senha' },
    train: [
      'Não consigo acessar minha conta, diz que a senha está errada.', 'Esqueci minha senha e não consigo entrar no app.', 'Meu login não funciona desde ontem.',
      'Tento entrar e aparece usuário ou senha inválidos.', 'Preciso redefinir minha senha, não lembro qual era.', 'A conta bloqueou depois de errar a senha.',
      'não consigo logar de jeito nenhum', 'Como faço para recuperar o acesso à minha conta?', 'Fui entrar no site e não aceita minha senha.',
      'O aplicativo pede senha e a minha não passa.', 'perdi a senha da minha conta', 'Quero trocar minha senha de acesso.',
    ],
    test: [
      'Estou sem conseguir entrar na minha conta, a senha não é aceita.', 'Não lembro a senha para fazer login, como recupero?', 'Minha conta ficou bloqueada por senha errada.',
      'o login fala que a senha ta incorreta', 'Não estou conseguindo acessar o site com minha senha.',
    ],
    details: { train: ['Meu e-mail é o mesmo do cadastro.', 'Já tentei umas 5 vezes.', 'Uso pelo celular.'], test: ['Tentei pelo computador também.', 'O e-mail cadastrado é o meu de sempre.'] },
  },
  {
    id: 'app-fecha', sector: 'suporte', classification: 'problema-tecnico', answer: { quickReply: 'atualizar-app' },
    train: [
      'O aplicativo fecha sozinho quando abro o carrinho.', 'O app trava na tela inicial e fecha.', 'Quando clico em pagar o aplicativo fecha.',
      'O app está travando muito no meu celular.', 'Abro o aplicativo e ele fecha na hora.', 'O aplicativo não abre mais depois da última atualização.',
      'app crashando toda hora', 'A tela fica branca e o aplicativo fecha.', 'O aplicativo congela quando tento ver meus pedidos.',
      'Meu app parou de funcionar, fecha sozinho.', 'o aplicativo ta dando erro e fechando', 'Toda vez que abro a aba de ofertas o app cai.',
    ],
    test: [
      'O aplicativo está fechando sozinho no meio da compra.', 'Meu app trava e fecha quando vou finalizar o pedido.', 'Desde ontem o aplicativo não abre, fecha na hora.',
      'o app fica travado e depois fecha', 'Aplicativo caindo toda vez que entro no carrinho.',
    ],
    details: { train: ['Meu celular é um Android.', 'Uso iPhone 12.', 'Já desinstalei e instalei de novo.'], test: ['É um Samsung.', 'Reiniciei o celular e nada.'] },
  },
  {
    id: 'pedido-atrasado', sector: 'suporte', classification: 'duvida',
    answer: { text: ['Verifiquei aqui: seu pedido saiu para entrega e deve chegar em até 2 dias úteis. Qualquer coisa me chama.', 'Consultei o pedido e ele já está com a transportadora; a previsão é de até 2 dias úteis.'] },
    train: [
      'Meu pedido ainda não chegou, podem verificar?', 'Comprei semana passada e a entrega não chegou.', 'O prazo de entrega já passou e nada do meu pedido.',
      'Cadê meu pedido? Era para ter chegado ontem.', 'Minha encomenda está atrasada.', 'O pedido está parado há dias.',
      'ainda nao recebi minha compra', 'Quando meu pedido vai chegar?', 'A entrega está muito atrasada.',
      'Fiz a compra há 10 dias e não recebi.', 'meu pedido nao chegou ate agora', 'O site diz entregue mas não recebi nada.',
    ],
    test: [
      'Minha compra ainda não foi entregue e o prazo venceu.', 'O pedido que fiz não chegou, já era para ter recebido.', 'Estou esperando minha encomenda faz uma semana.',
      'pedido atrasado de novo', 'Até hoje não recebi o que comprei.',
    ],
    details: { train: ['O número do pedido é 48213.', 'Pedido 77310.', 'Comprei pelo site.'], test: ['O pedido é o 55120.', 'Comprei pelo aplicativo.'] },
  },
  {
    id: 'troca-endereco', sector: 'suporte', classification: 'duvida', answer: { quickReply: 'endereco' },
    train: [
      'Preciso trocar o endereço de entrega.', 'Coloquei o endereço errado no pedido.', 'Dá para mudar o endereço de entrega do meu pedido?',
      'Me mudei e preciso alterar o endereço.', 'O número da casa saiu errado no pedido.', 'Quero entregar em outro endereço.',
      'errei o cep da entrega', 'Como altero o endereço de uma compra já feita?', 'Preciso corrigir o complemento do endereço.',
      'Posso mudar o local de entrega?', 'o endereço ta errado no pedido', 'Quero que entreguem no meu trabalho em vez de casa.',
    ],
    test: [
      'Digitei o endereço errado, consigo alterar?', 'Gostaria de mudar o endereço para onde vai o pedido.', 'O CEP do pedido está incorreto.',
      'preciso alterar o endereço da entrega', 'Vou estar viajando, dá para entregar em outro endereço?',
    ],
    details: { train: ['O pedido é o 30911.', 'Fiz a compra hoje cedo.', 'É o mesmo bairro.'], test: ['Comprei ontem à noite.', 'O pedido é o 61002.'] },
  },
  {
    id: 'conexao', sector: 'suporte', classification: 'problema-tecnico', answer: { quickReply: 'reiniciar' },
    train: [
      'Minha internet está muito lenta.', 'A conexão cai toda hora.', 'O modem está com a luz vermelha piscando.',
      'Estou sem internet desde cedo.', 'O wi-fi não conecta.', 'A internet fica caindo de noite.',
      'internet lenta demais', 'O roteador não está funcionando.', 'Não consigo conectar nenhum aparelho no wi-fi.',
      'A velocidade está bem abaixo do contratado.', 'sem sinal de internet', 'O aparelho da internet não liga a luz de conexão.',
    ],
    test: [
      'Estou sem conexão com a internet.', 'O wi-fi está muito lento hoje.', 'Minha internet caiu e não volta.',
      'a internet ta travando demais', 'O modem parou de funcionar.',
    ],
    details: { train: ['Já aconteceu ontem também.', 'Moro no centro.', 'Todos os aparelhos estão sem.'], test: ['Começou hoje de manhã.', 'Só o notebook conecta.'] },
  },
  {
    id: 'produto-defeito', sector: 'suporte', classification: 'problema-tecnico',
    answer: { text: ['Sinto muito pelo problema. Abri a troca do produto: você recebe por e-mail a etiqueta para devolver sem custo.', 'Lamento pelo defeito. Já registrei a troca; a etiqueta de postagem gratuita chega no seu e-mail.'] },
    train: [
      'O produto chegou com defeito.', 'Recebi o aparelho quebrado.', 'O produto não liga.',
      'Veio com a tela trincada.', 'O item parou de funcionar em dois dias.', 'Quero trocar um produto com defeito.',
      'chegou quebrado', 'O fone só funciona de um lado.', 'A peça veio faltando.',
      'O produto veio diferente do anunciado e com defeito.', 'a caixa veio amassada e o produto riscado', 'Quero devolver porque veio com problema.',
    ],
    test: [
      'O produto que recebi está com defeito.', 'Chegou danificado, quero trocar.', 'O aparelho não funciona desde que chegou.',
      'veio com defeito de fábrica', 'Preciso devolver um item que veio quebrado.',
    ],
    details: { train: ['Tenho as fotos.', 'Recebi ontem.', 'Nem usei ainda.'], test: ['Posso mandar foto.', 'Chegou hoje.'] },
  },
  {
    id: 'rastreio', sector: 'suporte', classification: 'duvida', answer: { quickReply: 'rastreio' },
    train: [
      'Como rastreio meu pedido?', 'Onde vejo o código de rastreio?', 'Quero acompanhar a entrega.',
      'Não recebi o código de rastreamento.', 'Tem como saber onde está minha encomenda?', 'Qual o código para rastrear?',
      'cade o rastreio', 'Como sei em que etapa está a entrega?', 'Quero o link de rastreamento do pedido.',
      'Onde acompanho a transportadora?', 'me passa o codigo de rastreio', 'Como consulto o status da entrega?',
    ],
    test: [
      'Preciso do código para acompanhar o pedido.', 'Onde acompanho onde está minha compra?', 'Não achei o rastreamento da encomenda.',
      'como acompanho a entrega', 'Vocês mandam código de rastreio?',
    ],
    details: { train: ['Comprei pelo site.', 'Já foi despachado.'], test: ['O pedido já saiu.', 'Comprei no app.'] },
  },
  {
    id: 'cancelar-pedido', sector: 'suporte', classification: 'duvida',
    answer: { text: ['Cancelei o seu pedido. O estorno aparece em até duas faturas no cartão, ou em até 5 dias úteis no Pix.', 'Pedido cancelado! O valor volta em até duas faturas do cartão; no Pix, em até 5 dias úteis.'] },
    train: [
      'Quero cancelar meu pedido.', 'Comprei errado, dá para cancelar?', 'Desisti da compra, como cancelo?',
      'Preciso cancelar uma compra que fiz hoje.', 'Cancela meu pedido por favor.', 'Não quero mais o produto, quero cancelar.',
      'cancelar compra', 'Como faço para desistir do pedido?', 'Fiz o pedido duplicado, cancela um deles.',
      'Quero cancelar antes de enviarem.', 'quero desistir da compra', 'Ainda dá tempo de cancelar o pedido?',
    ],
    test: [
      'Gostaria de cancelar a compra que fiz.', 'Pode cancelar o pedido que fiz ontem?', 'Me arrependi da compra, quero cancelar.',
      'cancela o pedido pra mim', 'Comprei duas vezes sem querer, quero cancelar uma.',
    ],
    details: { train: ['O pedido é o 12045.', 'Paguei no cartão.', 'Paguei no Pix.'], test: ['Foi no cartão de crédito.', 'O número é 90321.'] },
  },
  {
    id: 'notificacoes', sector: 'suporte', classification: 'problema-tecnico',
    answer: { text: ['Para receber os avisos, abra o aplicativo, vá em Perfil > Notificações e ative a opção Pedidos.', 'É só ativar em Perfil > Notificações > Pedidos, no aplicativo, que os avisos voltam.'] },
    train: [
      'Não recebo as notificações do aplicativo.', 'Os avisos de pedido não aparecem no celular.', 'Como ativo as notificações?',
      'Parei de receber alertas do app.', 'O aplicativo não me avisa quando o pedido sai.', 'As notificações sumiram.',
      'nao chega notificacao', 'Quero receber aviso quando o pedido chegar.', 'As notificações push não funcionam.',
      'Desativei os avisos sem querer.', 'o app nao notifica nada', 'Como faço para o aplicativo me mandar alertas?',
    ],
    test: [
      'Não estou recebendo os avisos do app.', 'As notificações do aplicativo pararam.', 'Onde ligo os alertas de pedido?',
      'nenhuma notificação chega no celular', 'Quero voltar a receber os avisos.',
    ],
    details: { train: ['Uso Android.', 'No iPhone.'], test: ['É um Motorola.', 'No meu iPad.'] },
  },
  {
    id: 'protocolo', sector: 'suporte', classification: 'duvida', answer: { quickReply: 'protocolo' },
    train: [
      'Qual é o número do protocolo?', 'Pode me passar o protocolo deste atendimento?', 'Me informa o protocolo, por favor.',
      'Preciso do número do atendimento.', 'Tem protocolo essa conversa?', 'Anota o protocolo para mim?',
      'qual o protocolo', 'Quero o número de protocolo para registrar.', 'Me dá o protocolo do chamado.',
      'Qual o número desse chamado?', 'passa o protocolo', 'Vocês geram protocolo?',
    ],
    test: [
      'Preciso do protocolo desse atendimento.', 'Qual o número de protocolo da conversa?', 'Pode informar o protocolo do chamado?',
      'me manda o protocolo', 'Como fico sabendo o número do atendimento?',
    ],
    details: { train: ['É para guardar.', 'Minha empresa pede.'], test: ['Vou precisar depois.', 'Para o meu controle.'] },
  },
  {
    id: 'segunda-via', sector: 'financeiro', classification: 'duvida', answer: { quickReply: 'boleto' },
    train: [
      'Como emito a segunda via do boleto?', 'Perdi o boleto, preciso de outro.', 'Quero a segunda via da fatura.',
      'O boleto venceu, como gero um novo?', 'Não recebi o boleto deste mês.', 'Onde pego o boleto atualizado?',
      'preciso do boleto', 'Pode me mandar o boleto de novo?', 'O código de barras do boleto não funciona, quero outro.',
      'Cadê o boleto da mensalidade?', 'manda a segunda via', 'Como imprimo o boleto?',
    ],
    test: [
      'Preciso gerar outra via do boleto.', 'Não achei o boleto deste mês, como emito?', 'Meu boleto venceu e preciso de um atualizado.',
      'quero a 2a via do boleto', 'Onde consigo o boleto para pagar?',
    ],
    details: { train: ['Vence amanhã.', 'É o do mês de novembro.'], test: ['Venceu ontem.', 'É da mensalidade de dezembro.'] },
  },
  {
    id: 'negociar', sector: 'financeiro', classification: 'cobranca', answer: { quickReply: 'negociacao' },
    train: [
      'Quero negociar uma fatura em atraso.', 'Estou com contas atrasadas, dá para parcelar?', 'Tenho duas faturas vencidas, como faço acordo?',
      'Preciso parcelar minha dívida.', 'Queria fazer um acordo para pagar o atrasado.', 'Atrasei o pagamento, tem como negociar?',
      'quero parcelar o debito', 'Vocês fazem acordo de dívida?', 'Não consigo pagar tudo de uma vez, posso dividir?',
      'Estou devendo três meses.', 'to com fatura atrasada', 'Recebi aviso de cobrança e quero negociar.',
    ],
    test: [
      'Gostaria de fazer um acordo das faturas vencidas.', 'Dá para dividir o valor que está em atraso?', 'Tenho débitos atrasados e quero renegociar.',
      'quero negociar minha divida', 'Estou inadimplente, como regularizo?',
    ],
    details: { train: ['Fiquei desempregado.', 'São duas faturas.'], test: ['Tive um imprevisto.', 'É desde outubro.'] },
  },
  {
    id: 'cobranca-indevida', sector: 'financeiro', classification: 'cobranca',
    answer: { text: ['Identifiquei a cobrança em duplicidade e já solicitei o estorno. O valor volta em até 7 dias úteis.', 'Confirmei a cobrança duplicada e pedi o estorno; em até 7 dias úteis o valor volta.'] },
    train: [
      'Fui cobrado duas vezes.', 'Veio uma cobrança que não reconheço.', 'Cobraram a mensalidade em dobro.',
      'Tem um valor na fatura que não contratei.', 'Cobrança indevida no meu cartão.', 'Debitaram duas vezes a mesma compra.',
      'cobranca duplicada', 'Apareceu um débito estranho da empresa.', 'Estou sendo cobrado por um serviço que cancelei.',
      'A fatura veio com valor errado.', 'me cobraram a mais', 'Por que fui cobrado de novo se já paguei?',
    ],
    test: [
      'Meu cartão foi debitado duas vezes.', 'Tem uma cobrança na fatura que eu não fiz.', 'Cobraram um valor a mais este mês.',
      'cobraram em duplicidade', 'Estão me cobrando algo que já cancelei.',
    ],
    details: { train: ['Foi no dia 5.', 'Tenho o extrato.'], test: ['Está no extrato do dia 12.', 'Posso enviar a fatura.'] },
  },
  {
    id: 'nota-fiscal', sector: 'financeiro', classification: 'duvida', answer: { quickReply: 'nota-fiscal' },
    train: [
      'Preciso da nota fiscal da compra.', 'Onde pego a nota fiscal?', 'Não recebi a nota fiscal.',
      'Como emito a NF do serviço?', 'Quero a nota fiscal em nome da empresa.', 'A nota não veio no e-mail.',
      'cade a nota fiscal', 'Preciso da NF para reembolso.', 'Tem como mandar a nota fiscal de novo?',
      'Onde baixo a nota da mensalidade?', 'preciso da nf', 'A nota fiscal saiu com dado errado.',
    ],
    test: [
      'Como consigo a nota fiscal do pagamento?', 'Não achei a NF da minha compra.', 'Preciso baixar a nota fiscal.',
      'manda a nota fiscal', 'A empresa pediu a nota fiscal, onde encontro?',
    ],
    details: { train: ['É do mês passado.', 'Paguei ontem.'], test: ['O pagamento foi semana passada.', 'É para a contabilidade.'] },
  },
  {
    id: 'pagamento-pendente', sector: 'financeiro', classification: 'cobranca',
    answer: { text: ['Pagamentos por boleto levam até 3 dias úteis para compensar. Se já passou disso, me envie o comprovante por aqui que eu verifico.', 'O boleto compensa em até 3 dias úteis; passado esse prazo, me mande o comprovante que eu confiro.'] },
    train: [
      'Paguei o boleto e continua em aberto.', 'Já paguei mas o sistema diz que devo.', 'Meu pagamento não foi identificado.',
      'A fatura aparece pendente mesmo paga.', 'Paguei ontem e ainda consta débito.', 'Recebi cobrança de algo que já paguei.',
      'paguei e nao baixou', 'O pagamento não caiu no sistema.', 'Por que minha fatura ainda está em aberto?',
      'Tenho o comprovante mas aparece como não pago.', 'ja paguei esse boleto', 'O sistema não reconheceu meu pagamento.',
    ],
    test: [
      'Efetuei o pagamento e segue como pendente.', 'A conta está paga mas aparece em aberto.', 'Meu boleto pago não foi baixado.',
      'paguei e ta constando em aberto', 'O pagamento que fiz não aparece.',
    ],
    details: { train: ['Paguei no banco.', 'Tenho o comprovante.'], test: ['Foi pelo aplicativo do banco.', 'Guardei o recibo.'] },
  },
  {
    id: 'trocar-cartao', sector: 'financeiro', classification: 'duvida', answer: { quickReply: 'cartao' },
    train: [
      'Quero trocar o cartão de crédito cadastrado.', 'Meu cartão venceu, como atualizo?', 'Como mudo a forma de pagamento?',
      'Preciso cadastrar outro cartão.', 'Quero pagar com outro cartão.', 'O cartão cadastrado foi cancelado.',
      'trocar cartao', 'Onde altero o cartão da assinatura?', 'Como atualizo os dados do cartão?',
      'Recebi um cartão novo do banco.', 'mudar o cartao da cobranca', 'Quero tirar o cartão antigo.',
    ],
    test: [
      'Preciso atualizar o cartão da minha conta.', 'Meu cartão foi clonado, quero cadastrar outro.', 'Como troco o cartão que uso para pagar?',
      'quero mudar o cartao', 'Onde cadastro um novo cartão de crédito?',
    ],
    details: { train: ['É Visa.', 'O novo é Mastercard.'], test: ['É um cartão de débito.', 'O banco mandou outro.'] },
  },
  {
    id: 'estorno', sector: 'financeiro', classification: 'cobranca',
    answer: { text: ['Consultei aqui e o estorno já foi processado. Dependendo do banco, pode levar até duas faturas para aparecer.', 'O estorno está processado do nosso lado; o banco pode levar até duas faturas para mostrar.'] },
    train: [
      'Quando cai o meu estorno?', 'Cancelei e o reembolso ainda não voltou.', 'Cadê o dinheiro do estorno?',
      'O reembolso não apareceu no cartão.', 'Quanto tempo demora o estorno?', 'Ainda não recebi o dinheiro de volta.',
      'estorno nao caiu', 'Me prometeram reembolso e nada.', 'Quero saber do meu estorno.',
      'O valor da devolução não voltou.', 'cade meu reembolso', 'Já faz um mês e o estorno não apareceu.',
    ],
    test: [
      'O estorno da compra cancelada ainda não caiu.', 'Não recebi o reembolso que me prometeram.', 'Quando volta o dinheiro do cancelamento?',
      'meu estorno ta demorando', 'A devolução do valor ainda não apareceu na fatura.',
    ],
    details: { train: ['Cancelei dia 3.', 'Foi no cartão.'], test: ['Foi no crédito.', 'Cancelei faz duas semanas.'] },
  },
  {
    id: 'cancelar-assinatura', sector: 'financeiro', classification: 'cobranca',
    answer: { text: ['Posso cancelar sua assinatura agora. Prefere que o cancelamento valha no fim do ciclo atual, para usar até o vencimento?', 'Consigo cancelar a assinatura já. Quer que valha no fim do ciclo, para usar até o vencimento?'] },
    train: [
      'Quero cancelar minha assinatura.', 'Como cancelo o plano?', 'Não quero mais o serviço, quero encerrar.',
      'Preciso cancelar a mensalidade.', 'Quero sair do plano.', 'Cancela minha assinatura, por favor.',
      'encerrar assinatura', 'Como paro de ser cobrado todo mês?', 'Quero cancelar a renovação automática.',
      'Vou cancelar o serviço.', 'quero cancelar o plano', 'Não uso mais, quero cancelar a conta paga.',
    ],
    test: [
      'Gostaria de encerrar minha assinatura.', 'Quero parar de pagar o plano mensal.', 'Como faço para cancelar o serviço?',
      'cancela meu plano', 'Desejo cancelar a assinatura no fim do mês.',
    ],
    details: { train: ['Estou mudando de cidade.', 'Não estou usando.'], test: ['Achei caro.', 'Vou viajar por meses.'] },
  },
  {
    id: 'pix', sector: 'financeiro', classification: 'duvida', answer: { quickReply: 'pix' },
    train: [
      'Posso pagar a fatura por Pix?', 'Vocês aceitam Pix?', 'Qual a chave Pix para pagamento?',
      'Quero pagar com Pix em vez de boleto.', 'Como pago pelo Pix?', 'Tem QR code do Pix?',
      'aceita pix', 'Dá para pagar a mensalidade no Pix?', 'Prefiro Pix, como faço?',
      'Onde está o Pix da fatura?', 'quero pagar no pix', 'O pagamento por Pix cai na hora?',
    ],
    test: [
      'É possível pagar a fatura via Pix?', 'Gostaria de pagar usando Pix.', 'Onde encontro o QR code para pagar?',
      'tem pix pra pagar', 'Consigo quitar a conta pelo Pix?',
    ],
    details: { train: ['É a fatura deste mês.', 'Estou com o app do banco aberto.'], test: ['É a do mês que vem.', 'Quero pagar hoje.'] },
  },
  {
    id: 'juros', sector: 'financeiro', classification: 'cobranca',
    answer: { text: ['A multa por atraso é calculada automaticamente a partir do vencimento. Vou conferir se a sua fatura tem algum valor fora do esperado.', 'Multa e juros entram sozinhos após o vencimento; vou verificar se há algo diferente na sua fatura.'] },
    train: [
      'Por que a fatura veio com juros?', 'Cobraram multa que não entendi.', 'O valor da fatura aumentou, por quê?',
      'Que juros são esses na minha conta?', 'A multa está muito alta.', 'Paguei um dia depois e veio multa.',
      'juros abusivos na fatura', 'Não entendi o acréscimo na conta.', 'Por que minha mensalidade veio mais cara?',
      'Veio uma taxa a mais na fatura.', 'que multa e essa', 'Explica esse valor de juros?',
    ],
    test: [
      'Minha fatura veio com multa, por quê?', 'Não concordo com os juros cobrados.', 'Apareceu um acréscimo na conta deste mês.',
      'pq veio juros', 'A fatura está mais alta por causa de multa?',
    ],
    details: { train: ['Paguei com atraso de 2 dias.', 'Sempre pago em dia.'], test: ['Atrasei só um dia.', 'Nunca atrasei antes.'] },
  },
];

export const OPENERS = ['', '', 'Oi, boa tarde!', 'Olá!', 'Bom dia.', 'Boa noite', 'Oi', 'Olá, tudo bem?', 'Oii'];
export const GREETINGS = [
  'Oi, {{contact.name}}! Tudo bem? Já vou te ajudar.',
  'Bom dia, {{contact.name}}! Vou verificar para você.',
];
export const THANKS = ['Obrigado!', 'Deu certo, valeu!', 'Perfeito, obrigada.', 'Consegui, obrigado!', 'Resolvido, muito obrigado.', 'Ok, obrigado pela ajuda.'];
export const CLOSINGS = ['Posso ajudar em algo mais?', 'Por nada! Qualquer coisa é só chamar.', 'Disponha! Tenha um ótimo dia.'];
export const STILL_THERE = ['Você ainda está aí? Preciso dessas informações para continuar.', 'Oi, {{contact.name}}, conseguiu ver minha mensagem?'];
export const ASK_DETAILS = ['Pode me passar mais detalhes, por favor?', 'Me conta um pouco mais, por favor: desde quando acontece?'];

/** Fragments that make a conversation a complaint (tag "reclamacao"), a new customer, or a VIP. */
export const TAG_PARTS = {
  reclamacao: {
    train: ['Isso é um absurdo!', 'Estou muito insatisfeito com o atendimento.', 'Já é a terceira vez que reclamo.', 'Vou abrir reclamação no Procon.', 'Que descaso com o cliente!'],
    test: ['É inaceitável esperar tanto!', 'Péssimo serviço, estou revoltado.', 'Vou reclamar no Reclame Aqui.'],
  },
  'novo-cliente': {
    train: ['É minha primeira compra com vocês.', 'Acabei de assinar o plano.', 'Sou cliente novo.'],
    test: ['Comecei a usar o serviço semana passada.', 'Acabei de me cadastrar.'],
  },
  vip: {
    train: ['Sou cliente há mais de 10 anos.', 'Sou cliente do plano empresarial premium.'],
    test: ['Tenho conta com vocês desde 2012.', 'Sou do plano premium.'],
  },
} as const;

export const CUSTOMERS = ['Maria Oliveira', 'João Pereira', 'Lúcia Martins', 'Pedro Alves', 'Roberto Costa', 'Fernanda Rocha', 'Camila Santos', 'Rafael Gomes', 'Juliana Ribeiro', 'Marcos Teixeira', 'Patrícia Lopes', 'André Barbosa', 'Beatriz Cardoso', 'Thiago Moreira', 'Larissa Nunes', 'Gustavo Ramos'];
export const AGENTS = { suporte: ['Ana Souza', 'Carla Dias'], financeiro: ['Bruno Lima', 'Carla Dias'] } as const;
