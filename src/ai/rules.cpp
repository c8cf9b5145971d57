#include "ai/rules.hpp"

#include <cctype>
#include <map>

#include <re2/re2.h>

#include "core/strings.hpp"

namespace jack::ai {
namespace {

bool Match(const std::string& text, const RE2& re) {
  return RE2::PartialMatch(core::Utf8Lower(text), re);
}

// `re` matches the lower-cased text and none of `unless` does.
bool MatchUnless(const std::string& text, const RE2& re, std::initializer_list<const RE2*> unless) {
  const std::string t = core::Utf8Lower(text);
  if (!RE2::PartialMatch(t, re)) return false;
  for (const RE2* u : unless)
    if (RE2::PartialMatch(t, *u)) return false;
  return true;
}

}  // namespace

std::optional<std::string> EmergencyRule(const std::string& text) {
  static const RE2 fire(
      "\\bfire\\b(?:\\s+(?:in|on|at|next|coming|spreading|started|!))|(?:there'?s a|there is a|"
      "huge|big|a big|a huge) fire\\b|on fire|smoke (?:is "
      ")?(?:coming|everywhere|from|filling|pouring)|"
      "(?:full of|filled with|filling with) smoke|smoke in the (?:corridor|hallway|hall|stairwell|"
      "stairs|room|lobby|lift)|smell(?:s|ing)? (?:of )?(?:smoke|burning)|burning "
      "smell|\\bflames\\b|\\bflammes\\b|"
      "\\bfiamme\\b|\\bchamas\\b|\\bbrennt\\b|\\bfeuer\\b|(?:\\b|[^bt\\W])rauch\\b|"
      "\\bfuego\\b|\\bincendio\\b|\\bhumo\\b|\\bfeu\\b|fum(?:é|e)e\\b|\\bfumo\\b|fuma(?:ç|c)a|"
      "\\bincêndio|\\bincendie|\\bil y a le feu|inc(?:e|ê)ndio|(?:is|are|'s) burning\\b|"
      "caught fire|catching fire|preso fuoco|prend feu|a pris feu|fängt feuer|pegou fogo|"
      "est(?:á|a) ardiendo|salen llamas|en llamas|(?:see|seeing|saw) (?:a "
      ")?(?:fire|flames)(?:$|[.!,]| "
      "(?:in|on|at|near|from|coming|across|behind|through))|\\bfire (?:upstairs|below|above)\\b|"
      "(?:burnt|burning|melting|melted) (?:plastic|rubber|wires?|cables?)|electrical burning|"
      "(?:cheiro|odor) (?:forte )?(?:de|a) (?:[^ ]+ )?queimad|huele a (?:[^ ]+ )?quemad|"
      "olor a (?:[^ ]+ )?quemad|odeur de (?:[^ ]+ )?br(?:û|u)l|sent le (?:[^ ]+ )?br(?:û|u)l|"
      "verschmort|brandgeruch|riecht (?:[^ ]+ )?verbrannt|odore di (?:[^ ]+ )?bruciat|"
      "puzza di (?:[^ ]+ )?bruciat|"
      // Sparks from a socket or an appliance: a fire starting (the pipeline adds maintenance).
      "\\bsparks? (?:are |is )?(?:coming|flying|from|out)|\\bsparking\\b|salen chispas|"
      "(?:saltan|saltando|saliendo) chispas|chispas (?:del|en el) (?:enchufe|cable|secador|"
      "aparato)|(?:des )?(?:é|e)tincelles|funken "
      "(?:spr(?:ü|u)hen|fliegen|aus|kommen)|"
      "scintill(?:e|ano)|fa(?:í|i)scas?");
  static const RE2 gas(
      "smell(?:s|ing)? (?:of )?gas|gas (?:leak|smell)|huele a gas|odeur de gaz|"
      "riecht nach gas|gasgeruch|odore di gas|cheiro (?:a|de) g(?:á|a)s|fuga de g(?:á|a)s|carbon "
      "monoxide|\\bco (?:detector|alarm|"
      "monitor)|monoxyde de carbone|mon(?:ó|o)xido de carbono|kohlenmonoxid|co-melder|"
      "monossido di carbonio|"
      "\\b(?:smell|stink|reek|odou?r|huele|olor|odeur|riecht|geruch|puzza|odore|cheir)"
      "[^.!?]{0,24}\\b(?:gas|gaz|g(?:á|a)s)\\b|\\bsent (?:le |du "
      ")?gaz\\b|\\b(?:gas|gaz|g(?:á|a)s)\\b[^.!?]{0,16}(?:leak|"
      "fuite|fuga|leck\\b|leckt|str(?:ö|oe?)mt|perd(?:e|endo|iendo)?\\b|vaza|vazando|siffle|zisch|"
      "hiss)|(?:perde|perdendo|vazando|"
      "pierde|perdiendo) (?:\\w+ )?g(?:á|a)s|\\b(?:smell|stink|reek|odou?r|huele|olor|odeur|"
      "riecht|geruch|puzza|odore|cheir)[^.!?]{0,24}(?:sulph?ur|rotten egg|soufre|schwefel|zolfo|"
      "enxofre|azufre)|(?:sulph?ur|soufre|schwefel|zolfo|enxofre|azufre)[^.!?]{0,12}(?:smell|"
      "odou?r|geruch|olor|odeur|odore|cheiro)");
  static const RE2 flood(
      "\\bflood(?:ed|ing|s)?\\b|water (?:is )?(?:pouring|gushing|everywhere|coming through)|"
      "burst pipe|pipe (?:has )?burst|water (?:is )?(?:coming|dripping|pouring|leaking) (?:out "
      "of|from|through) the "
      "(?:ceiling|light|socket|lamp)|water (?:is )?(?:coming|pouring|leaking) out of the (?:socket|"
      "plug|light)|(?:inches|centimet(?:er|re)s|cm) of water (?:on|in|across|all over) the "
      "(?:floor|"
      "room|corridor|hallway|carpet|bedroom|bathroom|hall)|(?:inches|centimet(?:er|re)s|cm) of "
      "water "
      "everywhere|centim(?:è|e)tres? d'eau|"
      "cent(?:í|i)metros de (?:á|a)gua|zentimeter wasser|centimetri d'acqua|(?:steckdose|"
      "lampe)[^.!?]{0,20}\\bwasser\\b|\\bwasser\\b[^.!?]{0,20}(?:steckdose|lampe)|inundaci(?:ó|o)n|"
      "inond|(?:ü|"
      "u)berschwemm|allaga|inunda|"
      "\\bflutet|geflutet|(?:ü|ue|u)berflutet|unter wasser|wasser (?:[^ ]+ )?(?:ü|ue)berall|"
      "rohrbruch|rohr (?:ist )?geplatzt|tubo (?:[^ ]+ )?(?:è )?scoppiato|scoppiato (?:il |un "
      ")?tubo|"
      "acqua (?:[^ ]+ )?(?:dappertutto|ovunque|da tutte le parti)|agua por todas partes|"
      "tuber(?:í|i)a (?:rota|reventada)|revent(?:ó|o) (?:una |la )?tuber|eau partout|"
      "tuyau (?:a )?(?:(?:é|e)clat|explos|p(?:é|e)t)|(?:á|a)gua por todo (?:o )?lado|"
      "cano (?:[^ ]+ )?(?:rebentou|estourou)|[0-9]+ ?cm d'(?:eau|acqua)|(?:on a|nous avons|j'ai) "
      "les pieds dans l'eau|"
      "cascade d'eau|l'eau (?:coule|descend|entre|ruisselle) (?:du plafond|par le plafond|le long|"
      "dans le couloir|sous la porte)|regnet (?:durch|rein|herein)|es regnet ins|"
      "wasser (?:l(?:ä|ae)uft|kommt|tropft) (?:durch die decke|von der decke|aus der decke|unter "
      "der t(?:ü|ue)r|in den flur|ins zimmer)|il pleut dans (?:la chambre|le couloir|notre chambre|"
      "ma chambre|la salle de bain)|"
      "piove (?:dentro|in camera|dal soffitto)|llueve dentro|chove dentro|"
      "(?:rubinetto|grifo|robinet|wasserhahn|torneira|\\btap\\b|faucet)[^.!?]{0,40}(?:staccat|"
      "arrancad|se ha salido|abgebrochen|abgerissen|partiu|soltou|came off|broke off|"
      "d(?:é|e)tach(?:é|e)|arrach(?:é|e))|"
      "water (?:is )?(?:pouring|streaming|gushing) (?:down|through|in|under)|water (?:is "
      ")?(?:coming|"
      "running) (?:down|through) the (?:ceiling|walls?|stairs|light)|water (?:is "
      ")?(?:coming|running) "
      "(?:in )?under the (?:\\w+ )?door|(?:ankle|knee)[- ]deep|"
      "(?:toilet|bath|bathtub|tub|sink|basin|shower|loo|wc) (?:is |keeps |has been |just )?"
      "(?:overflowing|overflowed)|(?:inodoro|v(?:á|a)ter|ba(?:ñ|n)era|lavabo) se "
      "(?:est(?:á|a) )?desborda|(?:toilettes?|wc|baignoire|lavabo) (?:qui )?d(?:é|e)borde|"
      "(?:toilette|klo|badewanne|waschbecken) l(?:ä|a)uft (?:gerade )?(?:ü|u)ber|"
      "(?:water|wc|vasca|lavandino) (?:sta )?trabocca|(?:sanita|vaso|banheira|pia) (?:est(?:á|a) )?"
      "(?:a )?transbord");
  // Medical: collapse, breathing, consciousness, bleeding, chest pain, seizures, poisoning,
  // allergic shock, a child's high fever, a fall with injury, drowning; in the six languages.
  static const RE2 medical(
      "can'?t breathe|cannot breathe|can'?t catch (?:my|his|her) breath|hardly breathe|"
      "struggling to breathe|not breathing|stopped breathing|heart attack|chest pains?|"
      "pain in (?:my|his|her) chest|unconscious|won'?t wake up|"
      "can'?t wake (?:him|her|them)|collapsed|passed out|fainted|"
      "fell (?:down|over|and (?:can'?t|cannot|hurt|hit|broke))|fell (?:in|on|down|from) the "
      "(?:bath|shower|floor|stairs|balcony)|has fallen (?:down|over|and|in|on|from)|"
      "(?:he|she|someone|somebody|child|wife|husband|mother|father|mom|mum|dad|man|woman|guest) "
      "has fallen|can'?t get up|cannot get up|ambulance|"
      "kill(?:ing)? myself|(?:want|wanna|going) to die|end(?:ing)? my life|suicid|took too many "
      "pills|taken too many pills|(?:hurt|harm|cut)(?:ing)? myself|self[- ]harm|quitarme la vida|"
      "me quiero morir|quiero morirme|me tuer\\b|envie de mourir|mich umbringen|will sterben|"
      "selbstmord|uccidermi|voglio morire|me matar\\b|quero morrer|"
      "paramedic|bleeding|blood everywhere|seizure|convulsi|\\bstroke\\b|overdose|choking|"
      "having (?:an? )?(?:severe |bad |serious )?allergic reaction|anaphylactic shock|swollen "
      "throat|throat is closing|epipen|need a doctor|"
      "medical emergency|very high fever|fever of (?:4[0-9]|10[3-9])|drowning|face down in the "
      "(?:pool|water)|ambulancia|no puede respirar|no respira|inconsciente|"
      // A person fell ("mi madre se ha caído", "se ha caído en la ducha" said alone), not a
      // thing ("se ha caído la barra", "el wifi se ha caído", "l'ascenseur est tombé en panne").
      "(?:^|[.!?,] *)se ha ca(?:í|i)do *(?:$|[.!?,]| en la (?:ducha|ba(?:ñ|n)era|escalera|"
      "piscina|calle))|"
      "(?:madre|padre|marido|mujer|esposa|esposo|hij[oa]|niñ[oa]|abuel[oa]|amig[oa]|beb(?:é|e)|"
      "señora?|hombre|alguien|compañer[oa])[^.!?]{0,20}se ha ca(?:í|i)do|dolor (?:en el|de) "
      "pecho|sangra mucho|sangrando|fiebre muy alta|"
      "mucha fiebre|convulsi(?:ó|o)n|ahog(?:a|á)ndose|ambulance|ne respire|respire (?:plus|mal)|"
      "s'est (?:é|e)vanoui|(?:é|e)vanoui|inconscient|s'est (?:é|e)croul|"
      "\\b(?:il|elle) est tomb(?:é|e)e? (?:dans|de l'|par terre|sur|et)|(?:m(?:è|e)re|p(?:è|e)re|"
      "mari|femme|fils|fille|enfant|b(?:é|e)b(?:é|e)|ami|amie|quelqu'un|homme|dame)[^.!?]{0,20}"
      "est tomb(?:é|e)|douleur (?:à|a) la poitrine|saigne beaucoup|forte fi(?:è|e)vre|"
      "se noie|krankenwagen|notarzt|rettungswagen|atmet nicht|kriege? kaum luft|bewusstlos|"
      "(?:bekomm|krieg)(?:e|t|en)? (?:kaum|keine) luft|"
      "ist gest(?:ü|u)rzt|brustschmerz|schmerzen in der brust|blutet stark|"
      "hohes fieber|krampfanfall|ertrinkt|ambulanza|non respira|respira a fatica|svenut|"
      "(?:è|e) caduto|(?:è|e) caduta|dolore al petto|"
      "perde molto sangue|febbre molto alta|sta annegando|ambul(?:â|a)ncia|n(?:ã|a)o respira|"
      "desmaiou|desmaiada|desmaiado|inconsciente|caiu e|dor no peito|"
      "sangrando muito|febre muito alta|afogando|erstickt|se ahoga|s'(?:é|e)touffe|soffoca|"
      "sufocando|engasgad|(?:where|need|get|bring|fetch)[^.!?]{0,20}(?:defibrillat|desfibrilad|"
      "d(?:é|e)fibrillat|desfibrilh)|(?:defibrillat|desfibrilad|d(?:é|e)fibrillat|desfibrilh)"
      "[^.!?]{0,30}(?:now|quick|hurry|down|collapsed|help|urgent|ahora|vite|schnell|subito|j(?:á|a)"
      ")|"
      "(?:just|think (?:i|he|she)(?: has| have|'ve)?) broke (?:his|her|my) "
      "(?:leg|arm|hip|ankle|neck)|broke (?:my|his|her) (?:leg|arm|hip|ankle|neck)(?:$|[.!]| "
      "(?:and|on|in|at|falling|tripping|slipping|help|please|now))|(?:has|having|is having|got) "
      "(?:a |an )?(?:severe|bad|serious|strong) allergic reaction|allergic reaction (?:right )?now|"
      "broke (?:his|her) (?:leg|arm|hip|ankle|neck)|hit (?:his|her) head|"
      "heart (?:has )?stopped|having a seizure|"
      "no (?:puedo|podemos|puedes) respirar|dolor[^.!?]{0,24}pecho|douleur[^.!?]{0,24}poitrine|"
      "schmerz(?:en)?[^.!?]{0,24}brust|dolore[^.!?]{0,24}petto|\\bdor(?:es)?\\b[^.!?]{0,24}peito|"
      "(?:je )?(?:ne peux|n'arrive) (?:plus )?(?:pas )?(?:à )?respirer|krieg(?:e)? keine luft|"
      "non riesco a respirare|n(?:ã|a)o consigo respirar|"
      "epilep|reazione allergica|no (?:puede|puedo|podemos) levantarse|no se puede levantar|"
      // Turning blue, a fit, something swallowed, pills taken, a chest that hurts.
      "\\b(?:he|she|baby|child|kid|son|daughter|husband|wife|dad|mum|mom)(?:'s| is)? (?:turning|"
      "going) blue|(?:lips|face) (?:are |is )?(?:going |turning )?blue|"
      "having a fit(?:$|[.!,]| on| in| and| right| now)|\\bconvulsing|took (?:a whole "
      "bottle|all|too many|a lot|loads) of "
      "(?:\\w+ )?(?:pills|tablets|medication|meds)|swallowed (?:a|an|some|the|his|her|my) "
      "(?:\\w+ )?(?:battery|batteries|pills?|tablets?|coin|bleach|detergent|magnets?|medicine)|"
      "chest (?:hurts|is hurting|feels tight)|arm (?:is|feels|went) numb|"
      "se (?:ha )?trag(?:ado|ó|o) (?:una pila|pastillas|una moneda|lej(?:í|i)a|un im(?:á|a)n)|"
      "se (?:est(?:á|a) poniendo|puso) (?:azul|morad)|a aval(?:é|e) (?:des m(?:é|e)dicaments|"
      "une pile|une pi(?:è|e)ce|de l'eau de javel)|"
      "(?:batterie|tabletten|eine m(?:ü|u)nze|magnet)\\w* verschluckt|"
      "ha ingoiato (?:una|un|delle|dei|la|il) "
      "(?:moneta|pila|batteria|pastigli|medicin|candeggina|calamit)|engoliu (?:uma|um|a|o) "
      "(?:moeda|pilha|bateria|comprimid|lix(?:í|i)via)|est(?:á|a) a ficar (?:roxo|azul)|"
      "ne (?:peut|arrive) plus (?:(?:à|a) )?se lever|kann nicht (?:mehr )?aufstehen|"
      "non riesce (?:pi(?:ù|u) )?ad alzarsi|n(?:ã|a)o consegue "
      "levantar|(?:trouble|difficulty|problems?) breathing|throat (?:feels |is "
      ")?(?:tight|closing)|(?:lips?|tongue|face) (?:is |are )?(?:swelling|swollen)|"
      // Labour, a person burnt or scalded or hurt, swelling after a sting, six languages.
      "waters (?:have |just )?broke|(?:in|going into|gone into) labou?r\\b|contractions|"
      "(?:rompi(?:ó|o)|ha roto|he roto) (?:la )?(?:bolsa|aguas)|(?:a )?perdu les eaux|"
      "fruchtblase (?:ist )?geplatzt|\\bwehen (?:haben|hat|alle|im)|\\bhat wehen|"
      "rotto (?:le )?acque|\\bdoglie|(?:rebentaram|romperam) as (?:á|a)guas|contra(?:ç|c)(?:õ|o)es|"
      "(?:kid|child|baby|son|daughter|husband|wife|he|she|i|someone|friend|boy|girl|man|woman) "
      "(?:just )?(?:got|has been|was|have been) (?:badly |severely )?(?:burned|burnt|scalded)|"
      "\\bscalded (?:himself|herself|myself|his|her|my)|bad burns?\\b|"
      "se (?:ha )?quem(?:ó|o|ado) (?:con|la mano|el brazo|la cara|la pierna|el pie)|"
      "s'est (?:br(?:û|u)l(?:é|e)|(?:é|e)bouillant(?:é|e))e? (?:avec|la|le|les)|"
      "hat sich verbr(?:ü|u)h|hat sich (?:schwer )?verbrannt|(?:si (?:è|e)|s'(?:è|e)) ustionat|"
      "queimou-se com|se queimou com|"
      "(?:^|[.,!?;:] *|\\band )(?:he|she|someone|somebody)(?:'s| is| has been| got) "
      "(?:badly |seriously |really )?(?:hurt|injured)\\b|"
      "(?:stung|piqu(?:é|e)e? par|gestochen|punt[oa] da|picad[oa] por)[^.!?]{0,40}(?:swell|"
      "gonfl|schwill|geschwollen|gonfi|hinch|inch)|"
      // Signs of a stroke and a sudden faint, in the six languages.
      "face (?:is |has )?(?:drooping|droops|dropped)|slurred speech|slurring (?:his|her) "
      "words|can'?t speak (?:properly|clearly)|(?:a|fait|fais) un malaise|\\bun avc\\b|"
      "derrame cerebral|ictus|schlaganfall|\\bavc\\b|"
      "r(?:é|e)action allergique|reacci(?:ó|o)n al(?:é|e)rgica|allergische reaktion|"
      "rea(?:ç|c)(?:ã|a)o al(?:é|e)rgica");
  // Someone who does not respond or move; a person must be named first, since windows,
  // lifts, remotes and the reception also 'do not respond'.
  static const RE2 unresponsive(
      "(?:^|[.,!?;:] *)(?:he|she)(?:'s| is)? (?:not responding|unresponsive|not moving|not "
      "breathing)|(?:^|[.,!?;:] *)(?:il|elle) ne (?:r(?:é|e)pond|r(?:é|e)agit|bouge) plus|"
      "(?:^|[.,!?;:] *)(?:er|sie) (?:reagiert|antwortet|bewegt sich) (?:nicht|kaum)|"
      "(?:^|[.,!?;:] *)(?:(?:é|e)l|ella) no (?:responde|reacciona|se mueve)|(?:^|[.,!?;:] *)(?:lui|"
      "lei) non (?:risponde|reagisce|si muove)|(?:^|[.,!?;:] *)(?:ele|ela) n(?:ã|a)o (?:responde|"
      "reage|se mexe)|"
      "(?:^|[^a-zà-ÿ])(?:husband|wife|son|daughter|child|kid|baby|father|dad|mother|mom|mum|"
      "friend|"
      "partner|man|woman|guy|lady|boy|girl|grand\\w+|someone|somebody|person|padre|madre|"
      "marido|esposo|esposa|mujer|hij[oa]|amig[oa]|abuel[oa]|beb(?:é|e)|niñ[oa]|hombre|señora?|"
      "mari|femme|fils|fille|p(?:è|e)re|m(?:è|e)re|ami|amie|enfant|homme|dame|"
      "mann|frau|sohn|tochter|vater|mutter|kind|freund|freundin|marito|moglie|"
      "figli[oa]|bambin[oa]|amic[oa]|uomo|donna|nonn[oa]|pai|m(?:ã|a)e|filh[oa]|"
      "crian(?:ç|c)a|homem|mulher|av(?:ô|o|ó))(?:[^a-zà-ÿ]|$)[^.!?]{0,24}(?:unresponsive|"
      "not "
      "responding|isn'?t responding|is not moving|isn'?t moving|no responde|no reacciona|"
      "no se mueve|ne r(?:é|e)pond plus|ne r(?:é|e)agit plus|ne bouge plus|reagiert nicht|"
      "bewegt sich nicht|antwortet nicht mehr|non risponde|non reagisce|non si muove|"
      "n(?:ã|a)o responde|n(?:ã|a)o reage|n(?:ã|a)o se mexe|n(?:ã|a)o acorda)");
  // Security: intruders, threats, assault, being followed or harassed, weapons, the police.
  static const RE2 security(
      "intruder|break(?:ing)? in|broke in|someone is trying to (?:get|break|open)|"
      "(?:was|been|got|were|just) (?:attacked|assaulted|robbed|mugged)|"
      "(?:trapped|stuck|locked) in (?:the|an|a) (?:elevator|lift)|atrapad[oa]s? en el ascensor|"
      "(?:bloqu(?:é|e)|coinc(?:é|e))e?s? dans l'ascenseur|(?:im|in einem) aufzug "
      "(?:stecken|feststecken|eingeschlossen|gefangen)|(?:stecke|stecken) im aufzug|"
      "bloccat[aeio] in ascensore|pres[oa]s? no elevador|"
      "(?:it'?s|this is) an emergency|es una emergencia|c'est une urgence|"
      "(?:das )?ist ein notfall|(?:è|e) un'emergenza|(?:é|e) uma emerg(?:ê|e)ncia|"
      "trying (?:the|our|my) (?:door|handle)|banging on (?:our|my|the) door|"
      "threaten|kill (?:her|him|me|you|us)|attack(?:ed|ing) me|assault|grabbed (?:me|my)|"
      "won'?t leave me alone|following me|being followed|been followed|stalking|"
      "\\bguns?\\b|robbed|mugged|"
      "suspicious (?:bag|package|parcel|suitcase|backpack|device)|(?:unattended|abandoned) "
      "(?:bag|package|parcel|suitcase|backpack) (?:left|has been|was|is|lying|sitting)|"
      "(?:bolsa|maleta|mochila|paquete) (?:sospechos|abandonad)|(?:colis|sac|bagage|valise) "
      "(?:suspect|abandonn)|verd(?:ä|a)chtige[rs]? (?:tasche|paket|koffer|gep(?:ä|a)ck|rucksack)|"
      "(?:pacco|borsa|valigia|zaino) (?:sospett|abbandonat)|(?:mala|pacote|mochila) "
      "(?:suspeit|abandonad)|"
      // Someone heard crying for help.
      "(?:screaming|screams|shouting|yelling|crying|cries) for help|"
      "grit(?:a|an|ando|os) (?:pidiendo )?(?:ayuda|auxilio|socorro)|pide(?:n)? (?:auxilio|"
      "socorro)|(?:crie|crient|appelle|appellent) au secours|(?:schreit|schreien|ruft|rufen) "
      "um hilfe|grida(?:no)? aiuto|(?:grita|gritam|gritando) por socorro|pede(?:m)? socorro|"
      "(?:call|get|need|send) (?:the |a )?(?:police|cops?)\\b|"
      "(?:llam(?:e|en|ar|a)|necesito) a la polic|(?:appel(?:ez|er)|besoin de) la police|"
      "polizei (?:rufen|holen)|ruf(?:en sie)? die polizei|chiam(?:a|ate|are) (?:la )?polizia|"
      "(?:chame|chamem|chamar) a pol(?:í|i)cia|"
      "ladr(?:ó|o)n|me est(?:á|a)n siguiendo|me sigue|amenaza|intrus|on me suit|me menace|"
      "einbrecher|verfolgt mich|bedroht|ladro|mi sta seguendo|minaccia|assalt|"
      "est(?:á|a) me "
      "seguindo|amea(?:ç|c)a|rapinat|rapina\\b|(?:has|had|holding|pulled|waving|brandishing|"
      "carrying) a knife|"
      "\\b(?:man|guy|someone|somebody|person|hombre|tipo|homme|type|mann|typ|uomo|tizio|homem|"
      "cara)\\b[^.!?]{0,12}\\b(?:with|has|had|holding|con|avec|mit|hat|ha|com|tem|tiene) (?:a |"
      "an |un |una |une |ein |einem |einen |uma |um )?(?:knife|cuchillo|navaja|couteau|messer|"
      "coltello|faca)|"
      "(?:bin|sind|habe mich|haben uns) (?:[^ ]+ ){0,3}eingeschlossen[^.!?]{0,30}jemand|"
      "scassin|forc(?:é|e) (?:la|notre|ma) (?:porte|voiture)|aufgebrochen|arrombad|"
      "(?:man|guy|stranger|someone|somebody)[^.!?]{0,60}(?:won'?t|refuses to) "
      "leave|(?:send|get|call) security\\b|need security (?:now|here|to|at|asap|immediately|"
      "please)|security to (?:the|my|our|room)|knife "
      "fight|stabb(?:ed|ing)|\\bweapon|gun ?shots?|shots fired|disparos|coups de "
      "feu|\\bsch(?:ü|ue)ssen?\\b|"
      "\\bspari\\b|\\btiros\\b|"
      "(?:va|vais|vont|veut) (?:nous|me|te|la|le|les) tuer|(?:me|nos|te) va(?:n)? a matar|"
      "(?:wird|will|werden) (?:uns|mich|sie|ihn) umbringen|(?:vuole|vogliono|minaccia di) "
      "(?:ammazzar|uccider)(?:ci|mi|ti|e)|"
      "vai (?:nos|me|te) matar|d(?:é|e)foncer (?:la|ma|notre) porte|(?:va|veut|vont) (?:la |le )?"
      "d(?:é|e)foncer|kick(?:ing)? (?:the|our|my) "
      "door (?:in|down)|t(?:ü|ue)r ein(?:zu)?treten|sfondare la porta|derrubar a porta|"
      "tirar (?:la|nuestra) puerta|cagoul(?:é|e)s|masked (?:men|man|guys)|maskierte|"
      "incappucciat|encapuchad|encapuzad|\\br(?:ô|o)de "
      "(?:dans|autour|devant|pr(?:è|e)s|sur|sous|le long)|prowling|lurking|merodea|"
      "herumschleich|si aggira (?:nel|nella|per|intorno|davanti|fuori)|bel(?:ae|ä)stigt|harass|me "
      "acosa|harc(?:è|e)le|"
      "(?:cassent|casse|brisent) (?:des|les) vitres|smashing (?:car )?windows|"
      "(?:(?:fille|fils|enfant|petit garçon|petite fille|petite? de [0-9]+ "
      "ans)\\b|b(?:é|e)b(?:é|e))"
      "[^.!?]{0,16}"
      "n'est plus (?:là|dans)|"
      "(?:toddler|little one|[0-9]+[- ]year[- ]old) (?:is |has )?(?:missing|gone "
      "missing|disappeared|"
      "vanished|wandered off|not in the room)|"
      "(?:someone|somebody|a man|a woman|a stranger|strangers?|people|a person) (?:we|i) "
      "(?:don'?t|do not) know (?:is|was|keeps|has|came|tried|knock|follow|just|in|at|outside)|"
      "(?:a |an )?(?:stranger|unknown (?:man|woman|person)) (?:is |was )?"
      "(?:in|inside) (?:our|my|the) |locked (?:myself|ourselves) in|"
      "(?:climb(?:ing|ed)?|trying to get) (?:onto|into|over|up|on) (?:our|my|the) balcony|"
      "(?:can'?t|cannot) find (?:my|our) (?:son|daughter|child|kid|baby|little "
      "(?:boy|girl))(?:$|[.!,]| "
      "(?:anywhere|any ?more|since|for|in|at|near|and))|\\b(?:son|daughter|child|kid|boy|girl) "
      "(?:is|has gone|went) missing|missing child|"
      "(?:fille|fils|enfant) (?:a|est) disparu|on ne trouve plus (?:notre|mon|ma|nos) "
      "(?:fils|fille|enfant|bébé|petit)|"
      "(?:hij[oa]|niñ[oa]|nene|nena) (?:ha )?desaparecid|no encontramos a (?:nuestr|mi) |"
      "(?:tochter|sohn|kind) (?:ist )?verschwunden|finden (?:unsere?n?|meine?n?) "
      "(?:tochter|sohn|kind) nicht|(?:figli[oa]|bambin[oa]) (?:(?:è|e) )?scompars|"
      "non troviamo (?:più )?(?:nostr|mi)[oa] (?:figli|bambin)|"
      "(?:filh[oa]|crian(?:ç|c)a) (?:[^ ]+ )?desapareceu|n(?:ã|a)o encontr(?:amos|o) (?:o |a )?"
      "(?:nosso|nossa|meu|minha) (?:filh|crian)");
  // Tobacco smoke is a complaint, not a fire, unless flames or an alarm are named too.
  static const RE2 tobacco(
      "smok(?:ing|ed|er|ers)\\b|cigar|vap(?:e|ing)|fumando|fumaban|fumeur|fumé dans|geraucht|"
      "zigarett|fumato|sigarett|fumaram|cigarro");
  static const RE2 real_fire(
      "\\bfire\\b|flames?|alarm|fuego|llamas|feu\\b|flammes|feuer|"
      "flammen|fiamme|incendi|inc(?:ê|e)ndio|chamas");
  std::string t = core::Utf8Lower(text);
  // Sparkling water ("agua con gas", "Wasser mit Gas") is an order, not a gas leak.
  static const RE2 sparkling(
      "(?:aguas?|acque|acqua|(?:á|a)guas?|wasser|eaux?|waters?|mineral|botellas?|bottiglie|"
      "garrafas?|flaschen?) (?:con|com|mit|avec|with) (?:gas|g(?:á|a)s|gaz)\\b|"
      "\\b(?:sin|sem|ohne|senza) (?:gas|g(?:á|a)s)\\b");
  // A carbon monoxide alarm that goes off is a gas emergency; one asked about is a thing in
  // the room ("is there a carbon monoxide detector?").
  static const RE2 co_going_off(
      "(?:carbon monoxide|\\bco\\b|co-melder|monoxyde|mon(?:ó|o)xido|kohlenmonoxid|monossido)"
      "[^.!?]{0,30}(?:going off|went off|goes off|beeping|sounding|ringing|piept|schl(?:ä|a)gt an|"
      "suena|sonando|sonne|sonnant|suona|suonando|apita|tocando)");
  static const RE2 co_device(
      "(?:carbon monoxide|\\bco|kohlenmonoxid|monoxyde de carbone|mon(?:ó|o)xido de carbono|"
      "monossido di carbonio)[- ]?(?:detector|alarm|monitor|melder)s?|(?:d(?:é|e)tecteur|detector|"
      "rilevatore|detetor)e?s? (?:de |di )?(?:monoxyde|mon(?:ó|o)xido|monossido)");
  if (RE2::PartialMatch(t, co_going_off)) return "emergency.gas";
  std::string no_drinks = t;
  RE2::GlobalReplace(&no_drinks, sparkling, " ");
  RE2::GlobalReplace(&no_drinks, co_device, " ");
  if (RE2::PartialMatch(no_drinks, gas)) return "emergency.gas";
  // A smoke detector named is a thing in the room ("no smoke detector in the room?"), not
  // smoke; with an alarm going off the other patterns still see it.
  static const RE2 detector(
      "smoke (?:detector|alarm)s?|d(?:é|e)tecteurs? de fum(?:é|e)e|detectores? de humo|"
      "rauchmelder|rilevatori? di fumo|detectores? de fuma(?:ç|c)a");
  std::string no_detectors = t;
  RE2::GlobalReplace(&no_detectors, detector, " ");
  if (RE2::PartialMatch(no_detectors, fire) &&
      (!RE2::PartialMatch(t, tobacco) || RE2::PartialMatch(t, real_fire)))
    return "emergency.fire";
  if (RE2::PartialMatch(t, flood)) return "emergency.flood";
  if (RE2::PartialMatch(t, medical) || RE2::PartialMatch(t, unresponsive))
    return "emergency.medical";
  if (RE2::PartialMatch(t, security)) return "emergency.security";
  return std::nullopt;
}

bool HumanRequestRule(const std::string& text) {
  static const RE2 re(
      "(?:(?:call|ring|phone) (?:me )?(?:on )?my (?:mobile|cell|cellphone|phone number)|"
      "ll(?:á|a)m(?:e|en)(?:me)? (?:al|a mi) (?:m(?:ó|o)vil|celular)|"
      "appelez(?:-moi)? (?:sur )?mon portable|ruf(?:en sie)? (?:mich )?(?:auf dem|auf meinem) "
      "handy(?: an)?|chiamate(?:mi)? (?:sul|al) (?:mio )?cellulare|"
      "lig(?:uem|ue)(?:-me)? para o (?:meu )?(?:telem(?:ó|o)vel|celular))"
      // "call my mobile when the taxi is here" asks for a message, not for a person.
      "(?:$|[.!,;?]| please| por favor| s'il| bitte| per favore| now| asap| instead| i'?m| "
      "estoy| je suis| ich bin| sono| estou)|"
      "(?:talk|speak|chat) (?:to|with) (?:a |an |some |your |the )?(?:real |actual |live |duty )?"
      "(?:person|human|someone|somebody|agent|manager|staff|receptionist|people|front desk|"
      "reception)|real person|"
      "real human|human being|not a bot|stop the bot|live agent|(?:need|want|get) a human|"
      "^\\W*(?:a |an )?(?:representative|agent|operator|human|person)\\W*$|"
      "who (?:can|could) i (?:actually |really )?(?:talk|speak) (?:to|with)|"
      "\\bescalate (?:this|it|my|the)\\b|complain(?:t)? (?:to|with) (?:a |an |the |your )?"
      "(?:person|human|manager|supervisor|someone|somebody)|"
      "^\\W*(?:help|ayuda|socorro|aiuto|hilfe|au secours|(?:à|a) l'aide)\\W*!\\W*$|"
      "^\\W*(?:help|ayuda|socorro|aiuto|hilfe)[ ,]+(?:quick|fast|now|asap|urgent|r(?:á|a)pido|"
      "vite|schnell|subito)\\W*$|(?:i|we) (?:want|would like|wish) to (?:make a )?complain\\b|"
      "quiero (?:poner|hacer) una (?:queja|reclamaci(?:ó|o)n)|je (?:veux|voudrais) (?:faire une "
      "(?:r(?:é|e)clamation|plainte)|me plaindre)|ich m(?:ö|o)chte mich beschweren|vorrei fare "
      "un reclamo|quero fazer uma reclama(?:ç|c)(?:ã|a)o|"
      "(?:manager|supervisor|someone|somebody|a person|staff member)[^.!?]{0,24}(?:reach out to|"
      "contact|get in touch with) me|(?:chiamatemi|chiamami|richiamatemi|ll(?:á|a)menme|"
      "ll(?:á|a)mame|llamadme|appelez-moi|rappelez-moi|rufen sie mich|ruft mich|liguem-me|"
      "me liguem|ligue-me)(?:$|[ ,.!]+(?:in camera|en la habitaci|dans (?:la|ma) chambre|im "
      "zimmer|no quarto|al |sul |au |auf |please|por favor|s'il vous|bitte|per favore|subito|"
      "ahora|maintenant|sofort|agora|[0-9]))|ligar para o (?:quarto|meu|n(?:ú|u)mero)|"
      "llamar a (?:la|mi) habitaci|appeler (?:la|ma) chambre|chiamare in camera|"
      "(?:don'?t|do not|won'?t|not|never|stop|tired of|done) (?:want (?:to )?|wanna )?(?:chat|talk|"
      "speak)(?:ing)? (?:to|with) a (?:machine|computer|robot|bot)\\b|call me back|"
      "transferir (?:esta )?conversa|hablar con (?:una |alguien|un )?"
      "(?:persona|humano|agente|alguien|recepci)|parler (?:à|a|avec) (?:une |un |quelqu)"
      "|(?:mit|zu) (?:einem|einer) (?:echten |richtigen )?(?:menschen|person|mitarbeiter(?:in)?) "
      "(?:sprechen|reden|chatten)|ich (?:will|m(?:ö|o)chte|brauche) einen menschen|echte person|"
      "parlare con (?:una |un |qualcuno)|falar com (?:uma |um |algu(?:é|e)m)|pessoa real|"
      "persona real|vraie personne|persona vera|"
      "(?:talk|speak|chat) (?:to|with) (?:a |an |your |the )?(?:boss|supervisor|operator|"
      "duty manager|representative|customer service)|"
      "(?:get|put|transfer|forward|connect|pass) me (?:to|through to|with|on to) (?:a |an |your "
      "|the )?(?:supervisor|manager|boss|human|person|operator|someone|somebody|reception|"
      "front desk|customer service|representative|agent)|"
      "(?:get|give) me (?:a |an |the |your )?(?:supervisor|manager|human|real person|operator)|"
      "(?:bot|robot|machine|automated|automatic)\\w* (?:doesn'?t|does not|don'?t|can'?t|cannot) "
      "(?:understand|help)|stop (?:replying|answering) automatically|"
      "\\bun humain|(?:un |une )?(?:(?:ê|e)tre humain|personne r(?:é|e)elle)|"
      "quelqu'un de (?:r(?:é|e)el|vrai)|(?:passer|transf(?:é|e)rer|mettre en relation avec) "
      "(?:le |la |un |une |au )?(?:responsable|directeur|manager|superviseur|service client)|"
      "parler (?:au|à un|a un|à la|a la) (?:responsable|directeur|manager|superviseur|"
      "service client)|besoin d'(?:une personne|un humain)|\\bun humano|"
      "persona de verdad|(?:p(?:á|a)same|p(?:á|a)senme|p(?:á|a)sadme|comun(?:í|i)(?:c|qu)[ae]me|"
      "transfi(?:é|e)r[ae]me) con|hablar con (?:el|la|un|una) (?:gerente|encargad|responsable|"
      "supervisor)|atenci(?:ó|o)n al cliente|(?:echten|richtigen) menschen|mit "
      "(?:dem|der|einem|einer) "
      "(?:chef|vorgesetzten|manager|kundenservice|kundendienst)|mich (?:[^ ]+ )?(?:an|mit) "
      "(?:den|die|"
      "der|dem) (?:[^ ]+ )?(?:weiterleiten|verbinden|durchstellen)|kundenservice|kundendienst|"
      "(?:vorrei|voglio|parlare con|passatemi|mi passi) (?:un |un'|l')?operat(?:ore|rice)\\b|"
      "servizio clienti|persona reale|essere umano|"
      "(?:passatemi|mi passate|mi passi|passami|mi pu(?:ò|o)i? passare) (?:il |la |un |una )?"
      "(?:responsabile|direttore|manager|reception|receptionist|qualcuno|operatore|collega|"
      "persona|capo)|"
      "(?:parlare|parlo) con (?:il|la|un|una) (?:responsabile|direttore|manager|capo)|"
      "(?:falar com|quero|chame|chamar|preciso de) (?:um |uma |o |a )?atendente|atendimento (?:ao "
      "cliente|humano)|(?:me )?transfer(?:ir|am|e)(?:-me)? para "
      "(?:o |a )?"
      "(?:atendimento|gerente|recep|respons)|"
      "falar com (?:o|a|um|uma) (?:gerente|respons(?:á|a)vel|supervisor)|pessoa de verdade|"
      "\\bser humano|jef[ae] de (?:sala|recepci(?:ó|o)n|turno)|^\\W*op(?:é|e)rateur\\W*$|(?:parler "
      "(?:à|a)|passez-moi|je veux) "
      "(?:un |l')op(?:é|e)rateur|"
      "je veux (?:la r(?:é|e)ception|le responsable|un responsable)|keinen? (?:chat)?bot\\b|"
      "pas (?:un|une|de|avec un) (?:robot|bot)\\b|pas (?:à |avec )?une machine(?:$|[.!,])|no "
      "(?:quiero )?(?:un )?(?:robot|bot)\\b|"
      "non (?:voglio )?(?:un )?(?:robot|bot)\\b|n(?:ã|a)o (?:quero )?(?:um "
      ")?(?:robô|robo\\b|bot\\b)|"
      "(?:someone|somebody|alguien|algu(?:é|e)m|quelqu'un|jemand|qualcuno) "
      "(?:from|at|of|do|de|del|dal|della|vom|von der|an der) (?:the )?(?:hotel|reception|"
      "recep|rezeption|front desk)[^ ]* (?:(?:can|could|pode|puede|peut|kann|pu(?:ò|o)) )?"
      "(?:(?:call|ring|phone) (?:me|us)(?:$|[.!,?]| back| please| now| asap| on| in| when| as| "
      "about)|ligar(?:-me| para mim)|me ligar|llamarme|llamarnos|me llame|m'appeler|nous "
      "appeler|me rappeler|(?:mich|uns) (?:zur(?:ü|u)ck)?(?:rufen|anrufen)|zur(?:ü|u)ckrufen|"
      "chiamarmi|chiamarci|mi (?:chiami|richiami))");
  return Match(text, re);
}

bool RudeStaffRule(const std::string& text) {
  static const RE2 re(
      "\\brude\\b|impolite|insult|yelled at|shouted at|disrespect|unfriendly|"
      "grosero|maleducad|mal educad|impoli|unh(?:ö|o)flich|scortese|maleducat|"
      "mal-educad|grossier");
  return Match(text, re);
}

bool SafetyHazardRule(const std::string& text) {
  static const RE2 re(
      "bed "
      "?bugs?|cockroach|\\broach|\\brats?\\b|\\bmice\\b|\\bmouse\\b|\\bmou?ld\\b|mildew|insects?|"
      "\\bfleas?\\b|pulgas?\\b|\\bpuces?\\b|fl(?:ö|o)he|\\bpulci\\b|\\bpulgas\\b|"
      "injur|hurt|cut myself|exposed wire|electric shock|shocked me|food poisoning|sick from|"
      "chinches|cucaracha|moho|punaises|cafards|moisissure|bettwanzen|kakerlake|schimmel|"
      "cimici|scarafagg|muffa|percevejo|barata|bolor");
  return Match(text, re);
}

bool DangerRule(const std::string& text) {
  static const RE2 re(
      "danger|unsafe|not safe|could (?:fall|hurt|get hurt)|(?:almost|nearly) (?:fell|fall)|"
      "(?:fire|emergency) (?:exit|escape|door)|peligr|inseguro|(?:casi|por poco) (?:se|me|nos) "
      "(?:cae|caigo|caemos|ca(?:í|i)|cay(?:ó|o))|salida de emergencia|puerta cortafuegos|"
      "dangereu|(?:a|ai|avons|ont) (?:failli|presque) tomber|sortie de secours|porte coupe-feu|"
      "gef(?:ä|a)hr|unsicher|(?:fast|beinahe) (?:hingefallen|gefallen|gest(?:ü|u)rzt)|"
      "notausgang|brandschutzt(?:ü|u)r|pericol|(?:quasi|per poco) (?:cad|cadd)|"
      "uscita di emergenza|porta tagliafuoco|perig|quase ca(?:i|iu|(?:í|i)mos)|"
      "sa(?:í|i)da de emerg(?:ê|e)ncia|porta corta-fogo");
  return Match(text, re);
}

bool BillingDisputeRule(const std::string& text) {
  static const RE2 re(
      "charged (?:me )?twice|double charged|overcharg|wrong charge|"
      "(?:complaint|complain|queja|reclamaci(?:ó|o)n|plainte|r(?:é|e)clamation|beschwerde|"
      "beschweren|reclamo|reclama(?:ç|c)(?:ã|a)o) (?:\\w+ ){0,3}(?:bill|invoice|charges?|factura|"
      "cuenta|facture|note|rechnung|conto|fattura|conta)\\b|"
      "(?:charge|fee|bill|invoice)s? (?:is|are|was) wrong|refund|cobrado dos veces|"
      "cobro|factur(?:é|e) deux fois|doppelt berechnet|addebitato due volte|"
      "cobrado duas vezes|not authori[sz]ed|didn'?t order|never ordered");
  return Match(text, re);
}

bool PersonalStayRule(const std::string& text) {
  static const RE2 re(
      "\\b(?:my|our)\\s+(?:\\w+\\s+)?(?:bill|balance|invoice|folio|receipt|reservation|"
      "booking|stay|charges|account|payment|deposit|confirmation|room rate|rate)\\b|"
      "\\b(?:do|have) (?:i|we) (?:owe|paid)|\\bdid (?:i|we) pay\\b|\\bi owe\\b|confirmation "
      "(?:number|code)|"
      "booking (?:number|reference)|\\bbalance\\b|"
      "\\b(?:mi|nuestra|nuestro)\\s+(?:reserva|factura|cuenta|saldo|estancia)|"
      "\\b(?:ma|mon|notre)\\s+(?:réservation|facture|note|séjour|solde)|"
      "\\b(?:meine|meiner|unsere|unserer)\\s+(?:buchung|rechnung|reservierung)|"
      "\\b(?:la mia|il mio|la nostra|il nostro)\\s+(?:prenotazione|conto|fattura|soggiorno)|"
      "\\b(?:a minha|minha|a nossa|nossa)\\s+(?:reserva|conta|fatura|estadia)");
  return Match(text, re);
}

bool HotelTopicRule(const std::string& text) {
  // Things of a stay that people outside a hotel rarely ask an assistant about.
  static const RE2 re(
      "wi-?fi|wlan|\\bnetwork|password|contraseña|mot de passe|passwort|check.?in|check.?out|"
      "\\bdeposit|city tax|tourist tax|taxa tur|tasa tur|taxe de s(?:é|e)jour|kurtaxe|"
      "tassa di soggiorno|breakfast|desayuno|petit.d(?:é|e)j|fr(?:ü|u)hst(?:ü|u)ck|colazione|"
      "caf(?:é|e) da manh|pequeno.almo|\\bmenus?\\b|men(?:ú|u) infantil|\\bpool\\b|piscin|"
      "schwimmbad|\\bgym\\b|gimnasio|fitness|\\bspa\\b|sauna|\\blifts?\\b|elevator|ascensor|"
      "ascenseur|aufzug|ascensore|elevador|parking|parkplatz|parcheggio|estacionamento|"
      "aparcamiento|shuttle|reception|recepci|rezeption|lost (?:and found|property)|"
      "objetos perdidos|objets trouv|fundsachen|oggetti smarriti|achados e perdidos|\\brooms?\\b|"
      "habitaci(?:ó|o)n|chambre|zimmer|(?:in|la|della|nostra|mia) camera\\b|\\bquarto|hotel|"
      "h(?:ô|o)tel|booking|"
      "reserva|r(?:é|e)servation|buchung|prenotazione|\\bfolio|\\bamex\\b|wheelchair|"
      "silla de ruedas|fauteuil roulant|rollstuhl|sedia a rotelle|cadeira de rodas|balcon|"
      "balkon|varanda|lactos|lattosio|gluten|kids club|mini.?club|postal code|c(?:ó|o)digo postal|"
      "code postal|postleitzahl|\\bcap\\b|minibar|housekeeping|concierge|conserje|portier|"
      "luggage|equipaje|bagages|gep(?:ä|a)ck|bagagli|bagagem|towels?|toallas?|serviettes?|"
      "handt(?:ü|u)ch|asciugaman|toalhas?|\\bpets?\\b|mascota|animaux|haustier|animali|"
      "animais|perros?\\b|chiens?\\b|\\bhunde?\\b|\\bcani\\b|il (?:mio |nostro )?cane\\b|"
      "\\bc(?:ã|a)es\\b|cachorro|laundry|lavander(?:í|i)a|blanchisserie|w(?:ä|a)scherei|"
      "lavanderia");
  return Match(text, re);
}

bool PoliteActionRule(const std::string& text) {
  static const RE2 re(
      "\\b(?:could|can|would|will) (?:we|you|i) (?:please |kindly )?(?:move|change|switch|swap|"
      "upgrade|arrange|organi[sz]e|book|reserve|send|bring|fix|repair|replace|clean|prepare|"
      "set up|get us|get me)\\b|\\b(?:we|i)(?:'d| would) like to (?:move|change|switch|swap)\\b");
  return Match(text, re);
}

bool InformationQuestionRule(const std::string& text) {
  // Asks whether something exists, is allowed or how it is ("do the rooms have a fridge?",
  // "¿hay sitio para un minibús?", "c'è un ferro da stiro in camera?"), after an optional
  // greeting; a question mark or a question word first. "Can you / could we ..." and
  // "is it possible to ..." are not in it: those ask for an action.
  static const RE2 re(
      "^\\W*(?:(?:hi|hello|hey|hola|buenas|bonjour|salut|hallo|guten tag|ciao|salve|buongiorno|"
      "ol(?:á|a)|oi|bom dia|boa tarde)\\W+)?(?:do you have|do you offer|do (?:the|your) rooms have|"
      "do (?:\\w+ )?(?:members|kids|children|guests|pets|dogs|babies|infants|students|seniors)\\b|"
      "does (?:the|my|our) room have|is there|are there|what time|when (?:is|does|do|are)|where "
      "(?:is|are|can|do)|how (?:much|long|far|do|does|many)|which|will the|does the|is the|are "
      "the|wie (?:viel|lange|weit|funktioniert|stelle|komme)|wann|wo (?:ist|sind|kann|gibt)|gibt "
      "es|"
      "habt ihr|haben sie|ist (?:das|der|die)|hay|ten(?:é|e)is|tienen|cu(?:á|a)ndo|d(?:ó|o)nde|"
      "c(?:ó|o)mo|qu(?:é|e) (?:hora|precio)|cu(?:á|a)nto|y a-t-il|il y a|avez-vous|"
      "est-ce qu'il y a|quand|o(?:ù|u) (?:est|sont|se)|comment|quel(?:le)?s? |c'(?:è|e)|ci sono|"
      "avete|a che ora|quando|dove|quanto|quale|h(?:á|a) |t(?:ê|e)m |voc(?:ê|e)s t(?:ê|e)m|"
      "onde|quanto|qual )");
  static const RE2 action(
      "borrow|lend|bring|send|prestar|pr(?:ê|e)ter|emprunter|leihen|prestare|emprestar|"
      "apportez|traer|trazer|portare|bringen|schicken|mandar|envoyer|inviare");
  // Openers that ask for a fact whether or not a question mark follows (chat guests often
  // leave it out): "what's the price of a day ticket", "how much is the shuttle".
  static const RE2 fact(
      "^\\W*(?:(?:hi|hello|hey|hola|bonjour|hallo|ciao|ol(?:á|a))\\W+)?(?:what(?:'s| is| are) the "
      "(?:price|prices|cost|fare|fares|charge|fee|fees|rate|rates)\\b|how much (?:is|are|does|do|"
      "would)\\b|what time (?:is|does|do|are)\\b|until when\\b|how long (?:is|are|does|do)\\b)");
  std::string t = core::Utf8Lower(text);
  return (t.find('?') != std::string::npos || RE2::PartialMatch(t, fact)) &&
         (RE2::PartialMatch(t, re) || RE2::PartialMatch(t, fact)) &&
         !RE2::PartialMatch(t, action) && !RequestCueRule(text);
}

bool RequestCueRule(const std::string& text) {
  static const RE2 re(
      "\\b(?:can|could|would|will) (?:you|i|we) (?:please |kindly )?(?:have|get|bring|send|book|"
      "order|arrange|fix|switch)\\b|\\b(?:i|we)(?:'d| would) like\\b|\\b(?:i|we) need\\b|"
      "\\bplease (?:bring|send|book|order|fix)|\\bsend (?:up|me|us)\\b|\\bbring (?:me|us|up)\\b|"
      "\\bbook me\\b|\\bme (?:puede|podr(?:í|i)a|podr(?:í|i)as|pueden|podr(?:í|i)an|trae|traen|"
      "sub(?:í|i)s|suben|manda|mandan)\\b|\\bquisiera\\b|\\bnecesit(?:o|amos)\\b|"
      "tr(?:á|a)ig(?:a|an)me|traedme|\\bpourr(?:iez|ais)-vous\\b|\\bpouvez-vous\\b|"
      "\\bje voudrais\\b|\\bj'aimerais\\b|\\bil me faut\\b|\\bapportez\\b|\\benvoyez\\b|"
      "\\bk(?:ö|oe)nn(?:t|en|tet|test)? (?:sie|ihr|du)\\b|\\bk(?:ö|oe)nnte ich\\b|"
      "\\bich h(?:ä|ae)tte gern|\\bich br(?:ä|ae)uchte\\b|\\b(?:ich|wir) brauchen?\\b|"
      "\\bbringen sie\\b|\\bschicken sie\\b|\\bpotete\\b|\\bpotreste\\b|"
      "\\b(?:mi|ci) porta(?:te)?\\b|\\bvorrei\\b|\\b(?:mi|ci) serve\\b|portate(?:ci|mi)|"
      "\\bpodem\\b|\\bpoderiam\\b|\\bpode me\\b|\\bqueria\\b|\\bgostaria\\b|"
      "\\bprecis(?:o|amos)\\b|\\btraga(?:m)?\\b|\\bmandem\\b");
  return Match(text, re);
}

bool FollowUpRule(const std::string& text) {
  static const RE2 re(
      "^\\W*(?:and|what about|how about|y|et|und|e|ed|und was ist mit|et pour|e quanto a|"
      "e per|e para|y para|y en|y el|y la|et le|et la|und am|und der|und die|und das|e il|e la|"
      "e o|e a)\\b");
  std::string lower = core::Utf8Lower(text);
  int words = 0;
  bool in_word = false;
  for (char c : lower) {
    bool w = !std::isspace(static_cast<unsigned char>(c));
    if (w && !in_word) ++words;
    in_word = w;
  }
  return words <= 7 && RE2::PartialMatch(lower, re);
}

std::optional<std::string> OfferFor(const std::string& quote) {
  static const RE2 bookable(
      "\\b(?:can|may|should|must) be (?:booked|reserved|arranged|requested|ordered)|"
      "\\b(?:can|will) (?:book|arrange|reserve)\\b|(?:concierge|reception|front "
      "desk|we|staff|team) "
      "(?:happily |gladly )?books\\b|"
      "(?:puede|pueden|se puede|se pueden|debe|deben) (?:ser )?(?:reservar|reservad|organizar|"
      "solicitar|pedir)|se recomienda reservar|peu(?:t|vent) (?:être|etre) (?:réserv|reserv|"
      "organis|demand)|(?:kann|können|sollte|sollten) (?:\\S+ )*(?:gebucht|reserviert|"
      "organisiert|angefragt) werden|(?:può|possono|pu(?:ò|o)) essere (?:prenotat|organizzat|"
      "richiest)|(?:pode|podem|deve|devem) ser (?:reservad|marcad|organizad|pedid|solicitad)");
  static const RE2 negated(
      "cannot|can'?t|not be|no (?:se )?(?:puede|pueden)|ne peu(?:t|vent) pas|nicht|non (?:può|"
      "possono)|n(?:ã|a)o (?:pode|podem)");
  std::string t = core::Utf8Lower(quote);
  if (!RE2::PartialMatch(t, bookable) || RE2::PartialMatch(t, negated)) return std::nullopt;
  // Food to the room is ordered with its details, not accepted with a yes.
  static const RE2 room_service(
      "room service|in-room dining|servicio de habitaci|service en chambre|zimmerservice|"
      "servizio in camera|servi(?:ç|c)o de quarto");
  if (RE2::PartialMatch(t, room_service)) return std::nullopt;
  // The service named first is the one offered: "the shuttle leaves from the restaurant
  // entrance" offers the shuttle.
  struct Kind {
    const char* intent;
    RE2 re;
  };
  static const Kind kinds[] = {
      {"request.dining.reservation",
       RE2("(\\btables?\\b|restaurant|brunch|dinner|\\bmesas?\\b|tisch|tavol|cena\\b|jantar)")},
      {"request.laundry", RE2("(laundry|lavander|blanchisserie|w(?:ä|a)sche|lavanderia)")},
      {"request.housekeeping",
       RE2("(housekeeping|towel|pillow|blanket|toiletr|crib|\\bcot\\b|limpieza|m(?:é|e)nage)")},
      {"request.concierge",
       RE2("(concierge|conserje|portier|spa\\b|massage|treatment|tour|ticket|excursion|shuttle|"
           "taxi|transfer|babysit|bicycle|bike|tuk)")},
      {"request.front_desk",
       RE2("(front desk|reception|recepci|r(?:é|e)ception|rezeption|receção|check-?(?:in|out))")},
  };
  const char* best = "request.concierge";
  size_t best_at = std::string::npos;
  for (const auto& k : kinds) {
    re2::StringPiece m;
    if (RE2::PartialMatch(t, k.re, &m)) {
      size_t at = static_cast<size_t>(m.data() - t.data());
      if (at < best_at) {
        best_at = at;
        best = k.intent;
      }
    }
  }
  return std::string(best);
}

namespace {

// Words that say yes to an offer. "Weak" ones (ok, great, perfect) also close a conversation:
// followed by nothing but thanks they acknowledge, they do not accept.
constexpr const char* kStrongYes =
    "yes|yeah|yep|yup|sure|go ahead|please do|do it|book it|absolutely|of course|"
    "that would be (?:great|lovely|perfect)|oui|volontiers|avec plaisir|ja|gerne|gern|certo|"
    "volentieri|sim|com certeza|sí|sì|claro que s(?:í|i)";
constexpr const char* kWeakYes =
    "ok|okay|alright|fine|cool|sounds good|perfect|great|claro|vale|dale|perfecto|d'accord|"
    "parfait|klar|perfekt|va bene|perfetto|pode ser|perfeito";
constexpr const char* kThanks =
    "thanks|thank you|thx|ty|cheers|so much|a lot|gracias|muchas|merci|beaucoup|danke|vielen|"
    "dank|grazie|mille|obrigad[oa]|muito|obg|bye|goodbye|see you|adi(?:ó|o)s|au revoir|"
    "tsch(?:ü|u)ss|tchau";
constexpr const char* kPlease = "please|pls|por favor|s'il vous pla(?:î|i)t|bitte|per favore";

std::string Alt(std::initializer_list<const char*> parts) {
  std::string out;
  for (const char* p : parts) out += (out.empty() ? "" : "|") + std::string(p);
  return "(?:" + out + ")";
}

}  // namespace

bool BareAcknowledgementRule(const std::string& text) {
  static const RE2 re("^\\W*" + Alt({kStrongYes, kWeakYes, kPlease, "si"}) + "(?:\\W+" +
                      Alt({kStrongYes, kWeakYes, kThanks, kPlease}) + ")*\\W*$");
  std::string lower = core::Utf8Lower(text);
  return lower.size() <= 80 && RE2::FullMatch(lower, re);
}

bool BareRefusalRule(const std::string& text) {
  static const RE2 re(
      "^\\W*(?:actually |oh |ah )?(?:no|nope|nah|non|nein|n(?:ã|a)o)(?:\\W+(?:thanks|thank you|"
      "thx|gracias|merci|danke|grazie|obrigad[oa]|obg|that'?s all|i'?m good|all good|it'?s fine|"
      "c'est bon|ça va|va bene|est(?:á|a) bien|tudo bem|schon gut|alles gut))*\\W*$");
  std::string lower = core::Utf8Lower(text);
  return lower.size() <= 60 && RE2::FullMatch(lower, re);
}

bool TheftRule(const std::string& text) {
  static const RE2 re(
      "\\bstole\\b|\\bstolen\\b|\\btheft\\b|\\brobbed\\b|missing from (?:my|our) (?:room|safe)|"
      "taken from (?:my|our) (?:room|safe)|rob(?:ó|aron|ado)|me han robado|hurt(?:o|ó)|vol(?:é|e)|"
      "on m'a vol|gestohlen|geklaut|diebstahl|rubat|furto|roubad|roubaram|furtad");
  return Match(text, re);
}

bool AcceptanceRule(const std::string& text) {
  // A yes word first, then at most a few details ("yes please, for 2 people"). Not an
  // acceptance: a question after it ("ok, and what time is breakfast?"), a no or a later
  // ("ok, no thanks", "sure, but not now", "ok, I'll book it myself"), something else added
  // ("great, and two towels to 412" is a new request), or a weak yes with only thanks.
  // Unaccented "si" is also "if" ("si llego tarde"): a yes only alone or before please/thanks.
  static const RE2 yes("^\\W*(?:" + Alt({kStrongYes, kWeakYes}) + "(?:\\W|$)|" + Alt({kPlease}) +
                       "\\W*$|si(?:\\W*$|[,.!]|\\s+" + Alt({kPlease, kThanks}) + "))");
  static const RE2 refusal(
      "(?:^|[^a-zà-ÿ])(?:no|not|nope|never|don'?t|won'?t|nicht|nein|non|pas|n(?:ã|a)o|nao|"
      "instead|but|mas|pero|mais|aber|ma|per(?:ò|o))(?:[^a-zà-ÿ.]|$)|not now|maybe later|"
      "another time|ahora no|pas maintenant|nicht jetzt|non ora|agora n(?:ã|a)o|(?:book|do|"
      "arrange|handle|sort|organi[sz]e) it (?:myself|ourselves)|"
      // "and" with a new request or question after it: a new message, not details.
      "(?:^|[^a-zà-ÿ])(?:and|also|y|et|und|e|plus) (?:can|could|would|please|send|bring|i need|"
      "we need|another|what|when|where|how|is there|do you|puedes|pueden|podr(?:í|i)as|pouvez|"
      "pourriez|k(?:ö|o)nnen|k(?:ö|o)nntet|potete|podem|podiam)(?:[^a-zà-ÿ]|$)");
  static const RE2 weak_thanks("^\\W*" + Alt({kWeakYes}) + "(?:\\W+" + Alt({kWeakYes}) + ")*\\W+" +
                               Alt({kThanks}) + "(?:\\W+" + Alt({kWeakYes, kThanks}) + ")*\\W*$");
  std::string lower = core::Utf8Lower(text);
  return lower.size() <= 80 && lower.find('?') == std::string::npos &&
         RE2::PartialMatch(lower, yes) && !RE2::PartialMatch(lower, refusal) &&
         !RE2::FullMatch(lower, weak_thanks);
}

std::optional<int> QuantityChangeRule(const std::string& text) {
  // The number ends the message ("make it three please"), so that "actually one more thing"
  // or "actually two more pillows" are not read as a new quantity.
  static const RE2 re(
      "^\\W*(?:(?:ok(?:ay)?|sorry|oh|wait|no)[, ]+)*(?:make (?:it|that|them)|change (?:it|that) "
      "to|actually|rather|mejor|que sean|plutôt|finalement|lieber|doch|meglio|facciamo|afinal|"
      "melhor)\\s+(\\d+|one|two|three|four|five|six|uno|una|dos|tres|cuatro|cinco|un|une|deux|"
      "trois|quatre|cinq|ein|eine|einen|zwei|drei|vier|fünf|due|tre|quattro|cinque|um|uma|dois|"
      "duas|três|quatro)(?:\\s+(?:please|instead|then|thanks|por favor|s'il vous plaît|bitte|"
      "per favore|por favor))?\\W*$");
  std::string word;
  if (!RE2::PartialMatch(core::Utf8Lower(text), re, &word)) return std::nullopt;
  static const std::map<std::string, int> n = {
      {"one", 1},    {"uno", 1},    {"una", 1},  {"un", 1},      {"une", 1},    {"ein", 1},
      {"eine", 1},   {"einen", 1},  {"um", 1},   {"uma", 1},     {"two", 2},    {"dos", 2},
      {"deux", 2},   {"zwei", 2},   {"due", 2},  {"dois", 2},    {"duas", 2},   {"three", 3},
      {"tres", 3},   {"trois", 3},  {"drei", 3}, {"tre", 3},     {"três", 3},   {"four", 4},
      {"cuatro", 4}, {"quatre", 4}, {"vier", 4}, {"quattro", 4}, {"quatro", 4}, {"five", 5},
      {"cinco", 5},  {"cinq", 5},   {"fünf", 5}, {"cinque", 5},  {"six", 6}};
  if (auto it = n.find(word); it != n.end()) return it->second;
  if (word.size() > 2) return std::nullopt;
  int v = std::stoi(word);
  if (v < 1 || v > 20) return std::nullopt;
  return v;
}

std::vector<StatedPreference> StatedPreferences(const std::string& text) {
  struct Rule {
    const RE2* re;
    StatedPreference pref;
  };
  // Each rule says the guest's own wish in the six languages; "prefer/like/want/usually"
  // words or a first-person statement are part of the pattern, so that a question ("is there
  // a high floor?") is no preference.
  static const RE2 high_floor(
      "(?:prefer|like|love|want|would like|request|usually (?:take|get|have)|ask for)\\w* (?:a |"
      "the )?(?:room )?(?:on )?(?:a |the )?(?:high|higher|upper|top) floor|"
      "(?:prefiero|me gusta|quisiera) (?:una )?(?:habitación )?(?:en )?(?:una |un )?(?:planta|"
      "piso) alto?a?|"
      "je préfère (?:une chambre )?(?:à |en )?(?:un )?étage élevé|"
      "(?:ich bevorzuge|ich möchte|ich hätte gern) (?:ein )?(?:zimmer )?(?:in )?(?:einem )?"
      "(?:hohen|oberen) stock|preferisco (?:una camera )?(?:a un |ai )?piani? alti?|"
      "prefiro (?:um quarto )?(?:num |em )?andar alto");
  static const RE2 low_floor(
      "(?:prefer|like|want|would like|request|need)\\w* (?:a |the )?(?:room )?(?:on )?(?:a |the )?"
      "(?:low|lower|ground|first) floor|prefiero (?:una )?(?:habitación )?(?:en )?(?:un "
      ")?(?:planta "
      "baja|piso bajo)|"
      "je préfère (?:une chambre )?(?:au )?rez-de-chaussée");
  static const RE2 feather_free(
      "no feather|allergic to feathers?|feather[- ]free|without feathers|hypoallergenic pillow|"
      "sin plumas|alérgic[oa] a las plumas|sans plumes|allergique aux plumes|ohne federn|"
      "federallergie|senza piume|allergic[oa] alle piume|sem penas|alérgic[oa] a penas");
  static const RE2 vegetarian(
      "\\bi(?:'m| am) (?:a )?vegetarian|\\bwe(?:'re| are) vegetarians?|soy vegetarian[oa]|"
      "je suis végétarien|ich bin vegetarier|sono vegetarian[oa]|sou vegetarian[oa]");
  static const RE2 vegan(
      "\\bi(?:'m| am) (?:a )?vegan|\\bwe(?:'re| are) vegans?|soy vegan[oa]|je suis végan|"
      "ich bin veganer|sono vegan[oa]|sou vegan[oa]");
  static const RE2 gluten(
      "\\bi(?:'m| am) (?:a )?(?:coeliac|celiac|gluten[- ]intolerant)|\\bi (?:can'?t|cannot|don'?t) "
      "eat gluten|soy celíac[oa]|je suis cœliaque|ich bin zöliakie|sono celiac[oa]|sou celíac[oa]");
  static const RE2 quiet(
      "(?:prefer|like|want|would like|need)\\w* (?:a )?quiet(?:er)? room|"
      "(?:prefiero|quisiera) una habitación tranquila|je préfère une chambre calme|"
      "(?:ich bevorzuge|ich möchte) ein ruhiges zimmer|preferisco una camera tranquilla|"
      "prefiro um quarto (?:calmo|sossegado)");
  static const Rule rules[] = {
      {&high_floor, {"room", "floor", "high", "a high floor"}},
      {&low_floor, {"room", "floor", "low", "a low floor"}},
      {&feather_free, {"room", "pillow", "feather_free", "feather-free pillows"}},
      {&vegetarian, {"dining", "diet", "vegetarian", "vegetarian meals"}},
      {&vegan, {"dining", "diet", "vegan", "vegan meals"}},
      {&gluten, {"dining", "gluten", "free", "gluten-free meals"}},
      {&quiet, {"room", "location", "quiet", "a quiet room"}},
  };
  std::vector<StatedPreference> out;
  // A wish denied is none ("I don't prefer a high floor", "no quiero un piso alto").
  static const RE2 denied(
      "(?:don'?t|do not|didn'?t|never|no|nicht|non|n(?:ã|a)o|ne) (?:really |realmente |"
      "vraiment |wirklich |davvero )?(?:prefer|like|want|need|quiero|prefiero|pr(?:é|e)f(?:è|e)re|"
      "veux|m(?:ö|o)chte|will|bevorzuge|voglio|preferisco|quero|prefiro)\\w*[^.!?,;]*");
  std::string lower = core::Utf8Lower(text);
  RE2::GlobalReplace(&lower, denied, " ");
  for (const auto& r : rules) {
    if (!RE2::PartialMatch(lower, *r.re)) continue;
    // One value per key (a high and a low floor in one message: the first said wins).
    bool seen = false;
    for (const auto& p : out) seen = seen || (p.category == r.pref.category && p.key == r.pref.key);
    if (!seen) out.push_back(r.pref);
  }
  return out;
}

bool RepeatClaimRule(const std::string& text) {
  static const RE2 re(
      "(?:second|third|fourth|fifth|2nd|3rd|4th|5th) time|"
      "(?:asked|told you|called|complained) (?:[^ ]+ )?(?:twice|three times|"
      "already|before|several times|many times|again)|still (?:not|hasn'?t|"
      "haven'?t|isn'?t|no one|nobody)|nobody came|no one came|nobody has come|"
      "otra vez|de nuevo|encore une fois|de nouveau|toujours pas|schon wieder|immer noch nicht|"
      "ancora una volta|di nuovo|outra vez|de novo|ainda n(?:ã|a)o");
  return Match(text, re);
}

bool FaultReportRule(const std::string& text) {
  static const RE2 re(
      "\\b(?:is|are|'s|seems|seem) (?:broken|not working|out of order|leaking|blocked|clogged|"
      "dead)|(?:does|do)n'?t (?:work|turn on|switch on|flush|drain|lock)|"
      "(?:does|do) not (?:work|turn on|flush|drain)|won'?t (?:work|turn on|flush|drain|lock|"
      "open|close)|stopped working|keeps (?:beeping|leaking|dripping|flickering)|"
      "no funciona|est(?:á|a) roto|ne (?:marche|fonctionne) (?:pas|plus)|est cass(?:é|e)|"
      "funktioniert nicht|ist kaputt|geht nicht|non funziona|(?:è|e) rotto|"
      "n(?:ã|a)o funciona|est(?:á|a) (?:quebrad|avariad)|"
      // Faults told by what they do: stuck, loose, fallen off, blown, tripping, dripping, no
      // hot water or power, in the six languages. Stuck, blocked and burnt only of things
      // ("we're stuck in traffic", "ma carte est bloquée", "pele queimada do sol" are not).
      "(?:isn'?t|aren'?t|is not|are not|'s not|'re not) (?:\\w+ )?working|"
      "\\b(?:doors?|windows?|drawers?|locks?|handles?|curtains?|blinds?|shutters?|safe|toilet|"
      "sink|drain|shower|bath|tub|tap|faucet|wardrobe|zip|it|they)\\b[^.!?,]{0,30}\\b(?:is|are|"
      "'s|'re) (?:still )?(?:stuck|jammed|blocked|clogged)\\b|"
      "\\b(?:is|are|'s|'re) (?:still )?(?:loose|wobbly|flickering|dripping|leaking)\\b|"
      "\\bis (?:not|n'?t) (?:cooling|heating|draining|flushing)\\b|"
      "\\b(?:has|have|'s) (?:fallen|come) off(?:$|[.!,]| again| the wall| its)|"
      "\\b(?:came|fell|come|fallen) off (?:the |its )?(?:wall|hinges?|rail|track|frame|ceiling)|"
      "\\boff (?:its|the) hinges?|\\b(?:bulb|fuse|light) (?:has |is )?(?:blown|gone out|burnt "
      "out|burned out)|\\b(?:electricity|power|breaker|fuse) (?:keeps )?trip|\\bno (?:hot "
      "water|water pressure|electricity|signal|dial tone)\\b|\\bno power(?:$|[.!,]| in| at| "
      "since| anywhere| for)|\\bsmall leak|\\bleak(?:s|ing)? (?:under|from|in)\\b|"
      "(?:desag(?:ü|u)e|lavabo|v(?:á|a)ter|inodoro|ducha|ba(?:ñ|n)era|fregadero|cerradura|"
      "puerta|ventana|persiana|caj(?:ó|o)n|caja fuerte|grifo)[^.!?,]{0,30}(?:atascad|bloquead)|"
      "se ha fundido|est(?:á|a) fundid|\\bgotea|sin agua caliente|no enfr(?:í|i)a|"
      "no calienta|est(?:á|a) suelt|"
      "(?:est|sont) coinc(?:é|e)|(?:porte|fen(?:ê|e)tre|volet|tiroir|serrure|lavabo|(?:é|e)vier|"
      "douche|baignoire|toilettes|wc|coffre|store)s?[^.!?,]{0,30}(?:est|sont) bloqu(?:é|e)|"
      "(?:ampoule|fusible|lampe|lumi(?:è|e)re)[^.!?,]{0,30}grill(?:é|e)|\\bfuit\\b|"
      "(?:pas|plus) d'eau chaude|ne fait pas de froid|ne chauffe pas|pas de tonalit|"
      "\\b(?:klemmt|tropft|leckt)\\b|ist locker|durchgebrannt|kein (?:warmes wasser|strom|"
      "signal)|keinen strom|k(?:ü|u)hlt nicht|heizt nicht|"
      "(?:porta|finestra|tapparella|serranda|cassetto|serratura|lavandino|scarico|doccia|water|"
      "wc|cassaforte)[^.!?,]{0,30}(?:è|e) bloccat|si (?:è|e) fulminat|perde acqua|\\bgocciola|"
      "senza acqua calda|non (?:scarica|raffredda|scalda)|"
      "emperrad|(?:l(?:â|a)mpada|fus(?:í|i)vel)[^.!?,]{0,30}(?:queimad|fundid)|"
      "est(?:á|a) a pingar|\\bvaza\\b|sem (?:água|agua) quente|n(?:ã|a)o (?:gela|aquece)");
  return Match(text, re);
}

bool DispleasureRule(const std::string& text) {
  // Words of displeasure that praise does not use (noise words are left out: "not a sound
  // all night" is praise).
  static const RE2 re(
      "worst|terrible|awful|horrible|horrendous|disgust|unacceptable|ridiculous\\b|\\brude\\b|"
      "🙄|😒|😤|😠|😡|🤬|"
      "ignor|"
      "filthy|\\bdirty|\\bstains?\\b|stained|cockroach|\\brats?\\b|bed ?bugs|mou?ld\\b|"
      "stinks?\\b|unfriendly|disappoint(?:ed|ing|ment)|waste of|never again|refund|overcharg|cut "
      "(?:our|my|it) "
      "\\w+ short|\\bni caso|infierno|p(?:é|e)sim|asqueros|sucio|sucia|mancha|cucarach|"
      "groser|decepci|inadmisible|inacceptable|d(?:é|e)gueulas|(?:est|sont|c'est|tr(?:è|e)s|trop|"
      "vraiment) sales?\\b|taches?\\b|d(?:é|e)çu|"
      "scandal|lamentable|schrecklich|furchtbar|schmutzig|dreckig|fleck|entt(?:ä|a)usch|"
      "unversch(?:ä|a)mt|unzumutbar|katastroph|pessim|orribil|sporc|macchi[ae]\\b|delus|vergogn|"
      "schifo|horr(?:í|i)vel|sujo|suja|nojent|decepcion|grossa|grosseir|absurd(?:o|e|a)?\\b|assurd["
      "oa]\\b");
  // Praise that denies displeasure: "never disappoints", "not dirty at all".
  static const RE2 denied(
      "(?:never|not|n'?t|without|nothing) (?:\\w+ ){0,2}(?:disappoint\\w*|bad|dirty|rude|"
      "terrible|awful|horrible)");
  std::string t = core::Utf8Lower(text);
  RE2::GlobalReplace(&t, denied, " ");
  return RE2::PartialMatch(t, re);
}

std::optional<std::string> GreetingOrFarewellRule(const std::string& text) {
  // Leave-taking, and greeting, that "ciao" and "salut" (both hello and goodbye) do not tell.
  static const RE2 farewell(
      "\\b(?:bye|goodbye|farewell|adieu|so long|see you|see ya|take care|have a (?:good|nice|"
      "great) (?:day|evening|night|shift|trip)|good night|until next time)\\b|"
      "adi(?:ó|o)s|hasta (?:luego|pronto|la pr(?:ó|o)xima|ma(?:ñ|n)ana)|que (?:tengas|tenga|"
      "teng(?:á|a)is) (?:un )?buen|au revoir|(?:à|a) (?:bient(?:ô|o)t|plus|la prochaine)|"
      "bonne (?:soir(?:é|e)e|journ(?:é|e)e|nuit|continuation)|tsch(?:ü|u)ss|auf wiedersehen|"
      "bis (?:bald|morgen|dann|zum n(?:ä|a)chsten)|sch(?:ö|o)nen (?:abend|tag)|gute nacht|"
      "arrivederci|a presto|ci vediamo|buona (?:serata|giornata|notte|continuazione)|buonanotte|"
      "buon (?:turno|lavoro|viaggio)|tchau|at(?:é|e) (?:logo|j(?:á|a)|breve|(?:à|a) pr(?:ó|o)xima)|"
      "boa (?:viagem|continua)|bom (?:turno|trabalho)");
  // Back again, or a hello that asks how things are.
  static const RE2 greeting(
      "\\b(?:hello|hi|hey|hiya|howdy|good (?:morning|afternoon|evening))\\b|i'?m back|"
      "back again|hola|buenas|buenos d(?:í|i)as|de nuevo por aqu|bonjour|bonsoir|re-?bonjour|"
      "\\bhallo\\b|guten (?:morgen|tag|abend)|servus|moin|wieder da|buongiorno|buonasera|salve|"
      "eccomi|di nuovo|tutto a posto|come va|ol(?:á|a)|\\boi\\b|bom dia|boa tarde|de novo|"
      "tudo bem");
  std::string t = core::Utf8Lower(text);
  const bool bye = RE2::PartialMatch(t, farewell), hello = RE2::PartialMatch(t, greeting);
  if (bye && !hello) return "farewell";
  if (hello && !bye) return "greeting";
  return std::nullopt;
}

bool PestRule(const std::string& text) {
  static const RE2 re(
      "bed ?bugs?|cockroach|\\broach(?:es)?\\b|\\brats?\\b|\\bmice\\b|\\bmouse\\b|\\bfleas?\\b|"
      "\\bants\\b|\\bmou?ld\\b|mildew|chinches|cucarach|\\bratas?\\b|ratones?|pulgas|hormigas|"
      "moho|punaises|cafards|\\bsouris\\b|\\bpuces\\b|fourmis|moisissure|bettwanzen|kakerlake|"
      "ratten|\\bm(?:ä|a)use|fl(?:ö|o)he|ameisen|schimmel|cimici|scarafagg|\\bratt[io]\\b|"
      "\\btopi\\b|\\bpulci\\b|formiche|muffa|percevejo|formigas|bolor");
  // A pest as a subject of talk ("tell me about rats", "flea medicine for the cat") is none.
  static const RE2 other(
      "flea (?:medicine|treatment|collar|market)|(?:about|facts?|funny|joke)[^.!?]{0,20}(?:rats?|"
      "mice|cockroach)|computer mouse|mouse (?:pad|button|click)|mickey|march(?:é|e) aux puces|"
      "mercatino delle pulci|mercado de pulgas|flohmarkt|feira da ladra");
  return MatchUnless(text, re, {&other});
}

bool NoiseRule(const std::string& text) {
  // Noise that disturbs, six languages; denied ("no noise at all", "pas un bruit") it is none.
  static const RE2 re(
      "\\b(?:noise|noisy|loud|partying|drums?|snoring|barking|drilling|construction work|"
      "jackhammer\\w*|shouting|yelling|banging|thumping|sirens?)\\b|music (?:from|next door|"
      "upstairs|downstairs|all night|until|till|blasting)|ruido|m(?:ú|u)sica (?:alta|a tope)|"
      "(?:est(?:á|a)n|siguen|montan) de fiesta|taladr|ronc(?:a|an|ando)|\\bbruit|bruyant|tapage|"
      "perceuse|ronfl|\\bl(?:ä|a)rm|(?:zu|sehr|so|total|extrem) laut|bohr|baustelle|schnarch|"
      "rumor|musica alta|fanno festa|trapano|russa (?:tutta|forte|tantissimo)|russano|barulh|"
      "m(?:ú|u)sica alta|obras (?:ao lado|no pr(?:é|e)dio|de manh(?:ã|a))|ressona");
  static const RE2 denied(
      "\\b(?:no|not a|not any|without|zero) (?:noise|sound)|\\bquiet\\b|sin ruido|ning(?:ú|u)n "
      "ruido|pas (?:de|un) bruit|aucun bruit|kein(?:en)? l(?:ä|a)rm|nessun rumore|senza rumore|"
      "sem barulho|nenhum barulho");
  // Asked about ("is it ok to play music on the balcony"), it is a question.
  static const RE2 asked(
      "(?:^|[.!?] *)(?:is|are|can|could|may|do|does|will|would|what|where|when|how|which|who)\\b|"
      "\\?");
  return MatchUnless(text, re, {&denied, &asked});
}

bool GratitudeRule(const std::string& text) {
  static const RE2 re(
      "\\b(?:thanks?|thank you|grateful|appreciate)\\b|gracias|agradezc|agradecid|\\bmerci\\b|"
      "remercie|reconnaissant|\\bdanke|dankbar|bedanke|grazie|ringrazi|grat[oa]\\b|obrigad|"
      "agrade(?:ç|c)o");
  // Words that ask for a person: then it is no thanks alone.
  static const RE2 person(
      "\\b(?:person|human|someone|somebody|staff|manager|reception|talk|speak|call|colleague|"
      "agent|team|supervisor)\\b|coll(?:è|e)gue|kolleg|collega|colega|"
      "persona|humano|alguien|hablar|llam|personne|quelqu'un|parler|appel|mensch|jemand|"
      "sprechen|anruf|qualcuno|parlare|chiam|pessoa|algu(?:é|e)m|falar|lig(?:ar|ue)");
  return MatchUnless(text, re, {&person});
}

bool ContrastRule(const std::string& text) {
  // "Lovely room, but...": what follows the praise or the thanks is the message. Not the
  // Italian "ma", which is the French "my".
  static const RE2 re(
      "\\b(?:but|however|although|though|except|apart from)\\b|\\bpero\\b|sin embargo|"
      "\\bmais\\b|cependant|\\baber\\b|jedoch|allerdings|per(?:ò|o)\\b|tuttavia|\\bmas\\b|"
      "por(?:é|e)m|contudo");
  return Match(text, re);
}

bool HelpWordRule(const std::string& text) {
  static const RE2 re(
      "\\b(?:help|urgent|urgently|emergency|hurry|asap|police|ambulance|doctor)\\b|"
      "ayuda|socorro|auxilio|urgente|emergencia|r(?:á|a)pido|\\baide\\b|au secours|urgence|"
      "\\bvite\\b|\\bhilfe\\b|dringend|notfall|schnell|aiuto|emergenza|\\bpresto\\b|ajuda|"
      "emerg(?:ê|e)ncia|depressa");
  // Help thanked for ("thanks for your help", "danke für die Hilfe", "grazie per l'aiuto").
  static const RE2 thanked(
      "(?:for|f(?:ü|u)r|per|por|pour|pela|pelo) (?:the |your |all |die |deine |ihre |eure |l'|"
      "la |tu |su |sua |vossa |a |votre |toute |tutto |todo )?(?:kind )?(?:help|hilfe|aiuto|"
      "ayuda|aide|ajuda)");
  std::string t = core::Utf8Lower(text);
  RE2::GlobalReplace(&t, thanked, " ");
  return RE2::PartialMatch(t, re);
}

bool PraiseRule(const std::string& text) {
  // Words of praise that complaints rarely use unironically, six languages. Sarcasm
  // ("thanks for the warm welcome, said no one") is left to the displeasure words and the
  // model.
  static const RE2 re(
      "\\b(?:amazing|wonderful|fantastic|excellent|outstanding|superb|stunning|gorgeous|"
      "breathtaking|magnificent|incredible|perfect|delicious|spotless|heavenly|heaven|"
      "brilliant|exceptional|impeccable|loved (?:it|the|our|every)|"
      "best (?:hotel|stay|breakfast|view|service|bed|room)|10 ?/ ?10|ten out of ten|"
      "highly recommend)\\b|"
      "maravillos|espectacular|incre(?:í|i)ble|estupend|precios[oa]|exquisit|impecable|"
      "magn(?:í|i)fic|fant(?:á|a)stic|\\bgenial\\b|nos ha encantado|me ha encantado|"
      "magnifique|merveill|superbe|parfait|formidable|g(?:é|e)nial|d(?:é|e)licieu|"
      "splendide|sublime|impeccable|au top|tout est top|on a ador|j'ai ador|"
      "wunderbar|wundersch(?:ö|o)n|traumhaft|fantastisch|hervorragend|ausgezeichnet|"
      "perfekt|herrlich|lecker|\\bklasse\\b|spitze|der hammer|der wahnsinn|ein traum|"
      "meraviglios|stupend|splendid|fantastic|perfett|ottim[oaie]|squisit|eccellent|"
      "bellissim|incantevol|da sogno|"
      "maravilhos|espetacular|incr(?:í|i)vel|perfeit|excelente|deliciosa|delicioso|"
      "impec(?:á|a)vel|de tirar o f(?:ô|o)lego|tudo de bom|adoramos|\\bamei\\b|adorei");
  return Match(text, re);
}

bool StronglyNegativeRule(const std::string& text) {
  static const RE2 re(
      "worst|disgusting|furious|outrag|appalling|horrendous|pathetic|"
      "ridiculous|never (?:again|coming back|stay)|lawyer|sue you|"
      "bad review|tripadvisor|\\bfuck|\\bshit|\\bcrap\\b|\\bwtf\\b|"
      "p(?:é|e)simo|asqueroso|horrible servicio|inadmissible|inacceptable|"
      "unversch(?:ä|a)mt|skandal|vergognoso|schifo|p(?:é|e)ssimo|nojento");
  return Match(text, re);
}

LexiconHit DepartmentLexicon(const std::string& text) {
  struct Dept {
    const char* name;
    RE2 re;
  };
  static const Dept depts[] = {
      {"housekeeping",
       RE2("(towels?|pillows?|blankets?|sheets|linens?|toiletries|shampoo|soap|toilet paper|"
           "housekeeping|clean(?:ing|ed)?|tidy|crib|cot\\b|\\bcunas?\\b|berço|berco|babybett|"
           "\\bculla\\b|"
           "lit (?:bébé|bebe|parapluie)|iron\\b|hangers?|bathrobes?|slippers|"
           "laundry|washed|dry.?clean|pressed|turndown|do not disturb|don'?t "
           "clean|toallas?|almohadas?|"
           "mantas?|limpi|serviettes?|oreillers?|couvertures?|ménage|nettoy|handt(?:ü|u)ch|kissen|"
           "decken?|reinig|putz|asciugaman|cuscin|coperte|pulizia|pulire|toalhas?|travesseiros?|"
           "cobertores?|limpeza|lavander|blanchisserie|w(?:ä|a)sche|toothbrush|toothpaste|razor|"
           "shaving|lotion|conditioner|tissues|cotton (?:buds|pads)|sewing kit|hair ?dryer|"
           "\\bfan\\b|humidifier|extra bed|rollaway|bed (?:guard|rail)|duvet|mattress|robes?\\b|"
           "cepillo de dientes|pasta de dientes|secador|ventilador|pañuelos|cama extra|"
           "brosse (?:à|a) dents|dentifrice|s(?:è|e)che-cheveux|ventilateur|mouchoirs|"
           "lit suppl(?:é|e)mentaire|zahnb(?:ü|u)rste|zahnpasta|f(?:ö|oe)hn|haartrockner|"
           "taschent(?:ü|u)cher|zustellbett|spazzolino|dentifricio|\\bphon\\b|asciugacapelli|"
           "ventilatore|fazzoletti|letto aggiunt|escova de dentes|pasta de dentes|ventoinha|"
           "len(?:ç|c)os|corkscrew|bottle opener|sacacorchos|tire-bouchon|korkenzieher|cavatappi|"
           "saca-rolhas|extension "
           "(?:cord|lead)|alargador|rallonge|verl(?:ä|a)ngerungskabel|prolunga|"
           "extens(?:ã|a)o el|\\bferro\\b|t(?:á|a)bua de passar|plancha\\b|fer (?:à|a) repasser|"
           "b(?:ü|u)geleisen|ferro da stiro|coffee pods|capsules|c(?:á|a)psulas|kapseln|"
           "(?:wine )?glasses|copas|\\bverres|gl(?:ä|a)ser|bicchieri|\\bcopos|don'?t "
           "(?:come|enter)|"
           "no vengan|no entren|ne pas d(?:é|e)ranger|nicht st(?:ö|o)ren|non disturbare|"
           "n(?:ã|a)o perturb|skip (?:our|the) room|sauter notre chambre|femme de chambre|"
           "faire la chambre|vider la poubelle|\\bbins?\\b|poubelle|m(?:ü|u)ll)")},
      {"maintenance",
       RE2("(broken|not working|doesn'?t work|won'?t (?:work|turn|open|close|flush|stop)|stopped "
           "working|leak(?:s|ing)?|dripp|clogged|flush|toilet|shower|hot water|air "
           "?con(?:ditioning)?|"
           "\\bac\\b|a/c|heating|heater|radiator|\\btv\\b|television|remote|light ?bulb|lights?\\b|"
           "socket|outlet|\\bsafe\\b|locked|door|window|fridge|no funciona|roto|fuga|aire "
           "acondicionado|ducha|ne (?:marche|fonctionne) "
           "pas|cass(?:é|e)|fuite|douche|climatisation|"
           "chauffage|kaputt|funktioniert nicht|undicht|dusche|klimaanlage|heizung|non "
           "funziona|rotto|"
           "perde|doccia|condizionatore|n(?:ã|a)o funciona|quebrad|vazamento|chuveiro|ar "
           "condicionado|smoke (?:detector|alarm) (?:is )?beep|beeping|\\bblinds?\\b|jammed|stuck|"
           "durchgebrannt|bulb|desag(?:ü|u)e|atascad|bouch(?:é|e)|verstopft|intasat|entupid|"
           "fait pas de froid|no enfr(?:í|i)a|k(?:ü|u)hlt nicht|non raffredda|n(?:ã|a)o gela)")},
      {"room_service",
       RE2("(room service|sandwich|burger|pizza|coffee|\\btea\\b|wine|champagne|prosecco|beer|"
           "\\bcoke\\b|soda|bottle|cappuccin|espresso|drinks?\\b|snacks?|food|hungry|order "
           "(?:some|a|an)|"
           "servicio de habitaci|café|vino|cerveza|service en "
           "chambre|boissons?|vin\\b|zimmerservice|"
           "kaffee|wein|bier|servizio in camera|caff(?:è|e)|vino|birra|servi(?:ç|c)o de "
           "quarto|vinho|"
           "cerveja|breakfast in (?:bed|the room|our room|my room)|herbal tea|tisane|infusi|juice|"
           "zumo|\\bjus\\b|\\bsaft\\b|succo|\\bsuco|cheese|queso|fromage|k(?:ä|a)se|formaggi|"
           "queijo|dessert|ice cream|fries|salad|omelet|pancakes|desayuno en|petit.d(?:é|e)jeuner "
           "en chambre|fr(?:ü|u)hst(?:ü|u)ck aufs zimmer|colazione in camera|caf(?:é|e) da "
           "manh(?:ã|a) "
           "no "
           "quarto|pasta\\b|burgers?|sopa|soup|chicken|frango|pollo|poulet|h(?:ä|a)hnchen|tiramis|"
           "postre|leche caliente|warm milk|lait chaud|warme milch|latte caldo|leite quente|"
           "caraffa|carafe|jarra|steak|nuggets|kids menu|sushi|(?:dinner|lunch) (?:in|to) "
           "(?:the|my|"
           "our) room|cena in camera|cena en la habitaci|d(?:î|i)ner en chambre|abendessen aufs "
           "zimmer|"
           "jantar no quarto|bouteille de|botella de|bottiglia di|garrafa de|flasche)")},
      {"concierge",
       RE2("(taxi|\\bcab\\b|uber|car rental|rent a "
           "car|tickets?|tours?\\b|excursion|flowers|bouquet|"
           "cake|birthday|anniversary|proposal|celebrat|massage|spa appointment|book (?:a|us a) "
           "table|"
           "table for|restaurant reservation|airport transfer|shuttle|flores|pastel|tarta|cumplea|"
           "fleurs|g(?:â|a)teau|anniversaire|billets?|blumen|kuchen|geburtstag|karten|fiori|torta|"
           "compleanno|biglietti|bolo|anivers(?:á|a)rio|bilhetes|ingressos|tee time|golf|"
           "balloon|boat trip|day trip|guided|chauffeur|limo|private (?:car|driver|transfer)|"
           "bike rental|rent (?:bikes|a bike|a scooter)|theatre|theater|concert|museum "
           "pass|cooking "
           "class|sign us up|rose petals|rosenbl(?:ä|a)tter|p(?:é|e)tales|p(?:é|e)talos|petali|"
           "antrag|proposal)")},
      {"front_desk",
       RE2("(key ?card|room key|\\bkeys?\\b|check.?in early|early check.?in|late "
           "check.?out|check.?out "
           "late|extend|extra night|another night|room change|change (?:my|our|the) room|another "
           "room|"
           "move (?:to|rooms)|luggage|bags\\b|suitcase|storage|\\blost\\b|left (?:my|our)|forgot|"
           "found|invoice|receipt|folio|copy of (?:my|the) bill|wake.?up|boarding pass|print|llave|"
           "tarjeta|equipaje|factura|olvid|clé|bagages|facture|oubli|schlüssel|gepäck|rechnung|"
           "vergessen|chiave|bagagli|fattura|dimenticat|chave|bagagem|fatura|esqueci|locked "
           "(?:myself|ourselves|us) out|key is inside|cl(?:é|e) magn(?:é|e)tique|cart(?:ã|a)o de "
           "acesso|tarjeta de acceso|upgrade|aufbewahren|koffer|alargar|prolonger|verl(?:ä|a)ngern|"
           "prolungare|prolongar|wake.?up call|llamada de las)")},
  };
  std::string t = core::Utf8Lower(text);
  LexiconHit best;
  for (const auto& d : depts) {
    re2::StringPiece input(t);
    int n = 0;
    std::string m;
    while (RE2::FindAndConsume(&input, d.re, &m) && n < 10) ++n;
    if (n > best.hits) best = {d.name, n};
  }
  return best;
}

bool EntertainmentRule(const std::string& text) {
  // A verb of telling or writing, then within a few words a joke, poem, riddle or song ("a
  // story": "tell me the story of the castle" asks about a sight).
  static const RE2 re(
      "(?:^|[\\s,;:¡¿'\"(])(?:tell|write|compose|sing|make up|cu(?:é|e)nta(?:me|nos)?|dime|"
      "escr(?:í|i)be(?:me|nos)?|c(?:á|a)nta(?:me|nos)?|raconte(?:-moi|-nous)?|(?:é|e)cris(?:-moi)?|"
      "dis-moi|chante(?:-moi)?|erz(?:ä|a)hl(?:e)?|schreib(?:e)?|sag|sing(?:e)?|raccont(?:a|ami|aci)"
      "|"
      "scrivi(?:mi|ci)?|dimmi|canta(?:mi)?|conta(?:-me)?|conte(?:-me)?|escreve(?:-me)?|"
      "escreva(?:-me)?|diz-me|me conta|me diz)\\b[^.?!]{0,25}?\\b(?:jokes?|poems?|riddles?|songs?|"
      "limericks?|haikus?|puns?|a (?:short |funny |bedtime )?story|chistes?|poemas?|"
      "adivinanzas?|canci(?:ó|o)n|un cuento|blagues?|po(?:è|e)mes?|devinettes?|chansons?|"
      "une histoire|witze?|gedichte?|r(?:ä|a)tsel|lied|eine geschichte|barzellett[ae]|poesi[ae]|"
      "indovinell[oi]|canzon[ei]|una storia|piadas?|anedotas?|adivinhas?|can(?:ç|c)(?:ã|a)o|"
      "uma hist(?:ó|o)ria)\\b|"
      // German puts the verb last: "kannst du mir ein Gedicht über Katzen schreiben".
      "\\b(?:witze?|gedichte?|r(?:ä|a)tsel|lied|eine geschichte)\\b[^.?!]{0,30}?\\b(?:schreiben|"
      "erz(?:ä|a)hlen|singen|dichten|ausdenken)\\b");
  return Match(text, re);
}

}  // namespace jack::ai
