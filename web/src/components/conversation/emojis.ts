/**
 * A curated set of common emojis, built in so the picker works offline and
 * costs no dependency. Each line: the emoji, then search words in Portuguese
 * and English.
 */
const raw: Record<string, string> = {
  smileys: `
😀 sorriso feliz grin smile happy
😃 sorriso alegre smile happy
😄 risada sorriso laugh smile
😁 sorrisão dentes grin beam
😆 gargalhada rindo laugh
😅 suor alivio nervoso sweat relief
🤣 rolando rir gargalhada rofl laugh
😂 chorando de rir lagrimas joy laugh tears
🙂 sorriso leve slight smile
🙃 de cabeça para baixo ironia upside down
😉 piscada piscar wink
😊 corado feliz blush smile
😇 anjo inocente angel innocent
🥰 apaixonado corações love hearts
😍 olhos de coração apaixonado heart eyes love
🤩 estrelas deslumbrado star struck
😘 beijo kiss
😗 beijinho kiss
😚 beijo olhos fechados kiss
😋 delicia gostoso yum tasty
😛 lingua tongue
😜 lingua piscando tongue wink crazy
🤪 maluco doido zany crazy
😝 lingua olhos fechados tongue squint
🤑 dinheiro money rich
🤗 abraço hug
🤭 ops mão na boca oops giggle
🤫 silencio segredo shush quiet
🤔 pensando duvida thinking hmm
🤐 boca fechada zipper secret
🤨 desconfiado sobrancelha raised eyebrow skeptic
😐 neutro sem expressão neutral
😑 sem expressão expressionless
😶 sem boca calado no mouth silent
😏 sorriso de lado malicioso smirk
😒 entediado descontente unamused
🙄 revirar olhos eye roll
😬 constrangido careta grimace awkward
😌 aliviado relieved calm
😔 pensativo triste pensive sad
😪 sono sleepy
🤤 babando drool
😴 dormindo zzz sleeping
😷 mascara doente mask sick
🤒 febre doente fever sick
🤕 machucado hurt injured
🤢 enjoado nausea sick
🤮 vomitando vomit
🥵 calor quente hot
🥶 frio gelado cold freezing
🥴 tonto woozy dizzy
😵 atordoado dizzy dead
🤯 cabeça explodindo mind blown
🤠 cowboy caubói hat
🥳 festa comemoração party celebrate
😎 óculos escuros legal cool sunglasses
🤓 nerd geek
🧐 monóculo analisando monocle inspect
😕 confuso confused
😟 preocupado worried
🙁 triste leve slightly frowning sad
☹️ triste frowning sad
😮 surpreso boca aberta surprised open mouth
😯 espantado hushed
😲 chocado astonished shocked
😳 envergonhado corado flushed embarrassed
🥺 por favor pidão pleading puppy eyes
😦 assustado frowning open mouth
😧 angustiado anguished
😨 com medo fearful scared
😰 ansioso suando anxious sweat
😥 desapontado aliviado sad relieved
😢 chorando lagrima cry tear sad
😭 chorando muito sobbing crying loud
😱 grito medo scream fear
😖 confuso frustrado confounded
😣 perseverante persevere
😞 desapontado disappointed
😓 suor frio downcast sweat
😩 cansado exausto weary tired
😫 exausto tired
🥱 bocejo yawn bored
😤 bufando triunfo huff triumph
😡 furioso bravo raiva angry mad pouting
😠 bravo raiva angry
🤬 xingando palavrão cursing swearing
😈 diabinho devil smiling
💀 caveira morto skull dead
💩 cocô poop
🤡 palhaço clown
👻 fantasma ghost
👽 alienígena alien
🤖 robô bot robot
😺 gato sorrindo cat smile
😻 gato apaixonado cat heart eyes
🙈 macaco não vejo see no evil monkey
🙉 macaco não ouço hear no evil monkey
🙊 macaco não falo speak no evil monkey`,
  people: `
👋 tchau oi acenando wave hello bye
🤚 mão levantada raised hand
✋ mão pare stop hand high five
🖖 vulcano spock vulcan
👌 ok perfeito ok hand perfect
🤌 dedos juntos pinched fingers italian
🤏 pouquinho pinching small
✌️ paz vitória peace victory
🤞 dedos cruzados sorte fingers crossed luck
🤟 te amo love you gesture
🤘 rock metal horns
🤙 me liga call me hang loose
👈 esquerda apontando left point
👉 direita apontando right point
👆 para cima apontando up point
👇 para baixo apontando down point
☝️ atenção um index up
👍 joinha positivo curtir like thumbs up yes ok
👎 negativo não curtir dislike thumbs down no
✊ punho fist raised
👊 soco punch fist bump
🤛 soquinho esquerda left fist
🤜 soquinho direita right fist
👏 palmas aplausos clap applause
🙌 celebrar aleluia raising hands celebrate
👐 mãos abertas open hands
🤲 palmas juntas palms up
🤝 aperto de mão acordo handshake deal
🙏 por favor obrigado reza gratidão pray please thanks
✍️ escrevendo writing
💅 esmalte unhas nail polish
💪 forte força músculo strong muscle flex
🧠 cérebro inteligente brain smart
👀 olhos olhando eyes looking
👁️ olho eye
👶 bebê baby
🧒 criança child
👦 menino boy
👧 menina girl
🧑 pessoa person
👨 homem man
👩 mulher woman
🧓 idoso older person
👴 vovô avô old man grandpa
👵 vovó avó old woman grandma
🙋 levantando a mão raising hand question
🙇 reverência desculpa bow sorry
🤦 facepalm vergonha facepalm
🤷 não sei dar de ombros shrug dunno
💁 atendente informação tipping hand info
🙆 tudo bem ok gesture
🙅 não proibido no gesture
👩‍💻 programadora tecnologia technologist woman
👨‍💻 programador tecnologia technologist man
🧑‍💼 escritório trabalho office worker
👩‍🔧 técnica mecânica mechanic woman
👨‍🔧 técnico mecânico mechanic man
🧑‍🏫 professor teacher
🧑‍⚕️ médico saúde health worker doctor
🕵️ detetive detective
👮 policial police
💃 dançando dançarina dancing
🕺 dançando dançarino dancing man
🚶 andando walking
🏃 correndo pressa running hurry
👪 família family
👫 casal couple`,
  nature: `
🐶 cachorro cão dog
🐱 gato cat
🐭 rato mouse
🐰 coelho rabbit bunny
🦊 raposa fox
🐻 urso bear
🐼 panda
🐨 coala koala
🐯 tigre tiger
🦁 leão lion
🐮 vaca cow
🐷 porco pig
🐸 sapo frog
🐵 macaco monkey
🐔 galinha chicken
🐧 pinguim penguin
🐦 pássaro passarinho bird
🦋 borboleta butterfly
🐝 abelha bee
🐢 tartaruga turtle
🐍 cobra snake
🐙 polvo octopus
🐠 peixe fish
🐬 golfinho dolphin
🐳 baleia whale
🦄 unicórnio unicorn
🌸 flor cerejeira blossom flower
🌹 rosa rose flower
🌻 girassol sunflower
🌷 tulipa tulip
🌱 broto planta seedling plant
🌳 árvore tree
🌴 palmeira praia palm tree
🌵 cacto cactus
🍀 trevo sorte clover luck
🍁 folha outono maple leaf
☀️ sol sun sunny
🌤️ sol com nuvens partly sunny
⛅ nublado cloudy
🌧️ chuva rain
⛈️ tempestade storm
❄️ neve floco snow snowflake
🌈 arco-íris rainbow
⚡ raio energia lightning zap
🔥 fogo quente top fire hot lit
💧 gota água droplet water
🌊 onda mar wave ocean
🌙 lua noite moon night
⭐ estrela star
🌟 estrela brilhante glowing star
✨ brilho faíscas sparkles
🌍 mundo terra globe world earth`,
  food: `
🍎 maçã apple
🍊 laranja orange
🍋 limão lemon
🍌 banana
🍉 melancia watermelon
🍇 uva grapes
🍓 morango strawberry
🍒 cereja cherry
🍑 pêssego peach
🥭 manga mango
🍍 abacaxi pineapple
🥥 coco coconut
🥑 abacate avocado
🍅 tomate tomato
🥕 cenoura carrot
🌽 milho corn
🥦 brócolis broccoli
🍞 pão bread
🧀 queijo cheese
🥚 ovo egg
🍳 ovo frito cozinhar cooking egg
🥓 bacon
🍔 hambúrguer burger
🍟 batata frita fries
🍕 pizza
🌭 cachorro-quente hot dog
🥪 sanduíche sandwich
🌮 taco
🍝 macarrão espaguete pasta spaghetti
🍣 sushi
🍚 arroz rice
🍲 sopa panela stew soup
🥗 salada salad
🍿 pipoca popcorn
🍦 sorvete ice cream
🍩 rosquinha donut
🍪 biscoito cookie
🎂 bolo aniversário birthday cake
🍰 bolo fatia cake
🧁 cupcake bolinho
🍫 chocolate
🍬 bala doce candy
☕ café cafezinho coffee
🍵 chá tea
🥤 refrigerante copo soda drink
🧃 suco juice box
🍺 cerveja beer
🍻 brinde cervejas cheers beers
🥂 brinde taças champagne toast
🍷 vinho wine
💧 água water`,
  activities: `
⚽ futebol bola soccer football
🏀 basquete basketball
🏈 futebol americano american football
⚾ beisebol baseball
🎾 tênis tennis
🏐 vôlei volleyball
🏓 pingue-pongue ping pong
🏆 troféu campeão trophy winner
🥇 medalha ouro primeiro gold medal first
🥈 medalha prata segundo silver medal
🥉 medalha bronze terceiro bronze medal
🎯 alvo objetivo meta target goal
🎮 videogame jogo game
🎲 dado jogo dice game
🧩 quebra-cabeça puzzle
🎨 arte pintura art palette
🎬 cinema filme movie clapper
🎤 microfone cantar microphone sing
🎧 fone música headphones music
🎵 nota música music note
🎸 guitarra guitar
🎹 teclado piano keyboard
🎉 festa confete parabéns party popper congrats tada
🎊 confete festa confetti ball
🎈 balão festa balloon
🎁 presente gift present
🎄 natal árvore christmas tree
🎃 abóbora halloween pumpkin
🏖️ praia férias beach vacation
✈️ avião viagem airplane travel
🚗 carro car
🚕 táxi taxi
🚌 ônibus bus
🚚 caminhão entrega truck delivery
🚲 bicicleta bike bicycle
🏍️ moto motorcycle
🚀 foguete lançamento rocket launch
⏰ despertador alarm clock
⌛ ampulheta tempo hourglass time
⏳ esperando ampulheta hourglass waiting
🏠 casa home house
🏢 escritório prédio office building
🏥 hospital
🏦 banco bank
🏪 loja store shop`,
  objects: `
📱 celular telefone smartphone mobile phone
💻 notebook computador laptop computer
🖥️ computador desktop computer
⌨️ teclado keyboard
🖨️ impressora printer
🖱️ mouse
📷 câmera foto camera photo
📹 filmadora video camera
📺 televisão tv
📞 telefone ligação phone call
☎️ telefone fixo telephone
📠 fax
🔋 bateria battery
🔌 tomada plug
💡 ideia lâmpada idea bulb
🔦 lanterna flashlight
📦 pacote caixa entrega package box delivery
📫 caixa de correio mailbox
📧 email e-mail
✉️ envelope carta letter mail
📨 mensagem recebida incoming envelope
📝 anotação nota memo note
📄 documento página document page
📃 página curvada page curl
📑 marcadores bookmark tabs
📊 gráfico barras chart bar
📈 crescimento alta chart up growth
📉 queda baixa chart down decline
📅 calendário data calendar date
📆 calendário agenda calendar
🗓️ agenda planner calendar
📌 alfinete fixar pin
📍 local localização pin location
📎 clipe anexo paperclip attachment
✂️ tesoura scissors
🖊️ caneta pen
✏️ lápis pencil
📚 livros books
📖 livro aberto book
🔒 cadeado fechado seguro lock locked
🔓 cadeado aberto unlock
🔑 chave senha key password
🔨 martelo hammer
🔧 chave inglesa ferramenta wrench tool
⚙️ engrenagem configurações gear settings
🧰 caixa de ferramentas toolbox
💰 dinheiro saco money bag
💵 nota dólar dinheiro money dollar
💳 cartão crédito card credit
🧾 recibo nota fiscal receipt
🛒 carrinho compras cart shopping
🛍️ sacolas compras shopping bags
⏱️ cronômetro stopwatch
🔔 sino notificação bell notification
🔕 silencioso sem som no bell mute
📢 alto-falante aviso loudspeaker announcement
📣 megafone megaphone
🔍 lupa buscar search magnifying
🗑️ lixeira lixo trash bin
🏷️ etiqueta tag label
💊 remédio pílula pill medicine
🩺 estetoscópio stethoscope
🧴 loção lotion`,
  symbols: `
❤️ coração amor vermelho heart love red
🧡 coração laranja orange heart
💛 coração amarelo yellow heart
💚 coração verde green heart
💙 coração azul blue heart
💜 coração roxo purple heart
🖤 coração preto black heart
🤍 coração branco white heart
💔 coração partido broken heart
💕 dois corações two hearts love
💖 coração brilhante sparkling heart
💗 coração crescendo growing heart
💯 cem pontos perfeito hundred perfect
✅ feito certo concluído check done yes
☑️ caixa marcada check box
✔️ certo visto check mark
❌ errado não cancelar cross no wrong cancel
❎ x quadrado cross mark button
❗ exclamação importante exclamation important
❓ interrogação pergunta question
❕ exclamação branca white exclamation
❔ pergunta branca white question
‼️ dupla exclamação double exclamation
⚠️ atenção aviso cuidado warning caution
🚫 proibido prohibited forbidden
⛔ entrada proibida no entry
🆗 ok botão ok button
🆕 novo new
🆓 grátis free
🆘 socorro sos help
ℹ️ informação info information
🔴 vermelho círculo red circle
🟠 laranja círculo orange circle
🟡 amarelo círculo yellow circle
🟢 verde círculo green circle
🔵 azul círculo blue circle
🟣 roxo círculo purple circle
⚫ preto círculo black circle
⚪ branco círculo white circle
➡️ seta direita arrow right
⬅️ seta esquerda arrow left
⬆️ seta cima arrow up
⬇️ seta baixo arrow down
🔄 atualizar repetir refresh repeat
🔁 repetir repeat
➕ mais adicionar plus add
➖ menos minus
✖️ vezes multiplicar multiply
➗ dividir divide
💲 cifrão dólar dollar sign
©️ copyright
®️ registrado registered
™️ marca trademark
🔞 maiores de 18 adult
💤 dormindo zzz sleep
💬 balão fala conversa chat speech bubble
💭 pensamento thought bubble
🗨️ conversa speech
🕐 uma hora relógio one o'clock clock
🏁 bandeira chegada finish flag
🇧🇷 brasil bandeira brazil flag
🇵🇹 portugal bandeira portugal flag
🇺🇸 estados unidos eua bandeira usa flag`,
};

export interface Emoji {
  char: string;
  words: string;
}

export const EMOJI_CATEGORIES = Object.keys(raw) as (keyof typeof raw)[];

export const EMOJIS: Record<string, Emoji[]> = Object.fromEntries(
  Object.entries(raw).map(([category, lines]) => [
    category,
    lines
      .trim()
      .split('\n')
      .map((line) => {
        const space = line.indexOf(' ');
        return { char: line.slice(0, space), words: line.slice(space + 1).toLowerCase() };
      }),
  ]),
);

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
const index = Object.values(EMOJIS)
  .flat()
  .map((e) => ({ ...e, folded: fold(e.words) }));

/** Emojis whose Portuguese or English words start with every typed word ("cora verm" finds ❤️); accents optional. */
export const searchEmojis = (query: string): Emoji[] => {
  const needles = fold(query).split(/\s+/).filter(Boolean);
  if (!needles.length) return [];
  const seen = new Set<string>();
  return index.filter((e) => {
    const words = e.folded.split(' ');
    const hit = needles.every((n) => words.some((w) => w.startsWith(n)));
    if (!hit || seen.has(e.char)) return false;
    seen.add(e.char);
    return true;
  });
};
