#include "ai/retrieval.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include <libstemmer.h>

#include "ai/embedding.hpp"
#include "ai/training_data.hpp"
#include "core/resources.hpp"
#include "core/strings.hpp"
#include "db/repositories.hpp"

namespace jack::ai {
namespace {

const std::set<std::string>& StopWords() {
  static const std::set<std::string> s = {
      // en
      "a", "an", "the", "is", "are", "was", "be", "do", "does", "did", "can", "could", "would",
      "will", "i", "me", "my", "we", "our", "us", "you", "your", "it", "its", "it's", "this",
      "that", "there", "here", "what", "what's", "whats", "when", "where", "which", "who", "how",
      "why", "to", "of", "in", "on", "at", "for", "from", "by", "with", "and", "or", "any", "some",
      "please", "pls", "plz", "hi", "hello", "hey", "thanks", "thank", "have", "has", "get", "got",
      "know", "tell", "much", "many", "is", "there", "about", "like", "want", "need", "hotel",
      "anything", "something", "just", "also", "up", "out", "if", "so", "not", "good", "place",
      "around", "nearby", "near", "am", "im", "i'm", "until", "till", "time", "<num>", "u", "ur",
      "yours", "guys", "y'all", "still", "should", "may", "might", "shall",
      // English grammar and time words no hotel page needs to hold to answer: absent from
      // the knowledge base they would weigh most (retrieval weighs words by rarity).
      "each", "every", "per", "all", "other", "another", "more", "most", "very", "too", "than",
      "then", "them", "they", "their", "these", "those", "one", "who", "whom", "whose", "into",
      "off", "again", "ever", "really", "exactly", "usually", "currently", "right", "now", "today",
      "tonight", "tomorrow", "yesterday", "okay", "ok", "yes", "let", "let's", "we'd", "i'd",
      "you're", "we're", "don't", "doesn't", "isn't", "aren't", "can't", "cannot", "kind", "sort",
      "possible", "able", "way", "ways", "anyone", "someone", "somewhere", "anywhere", "thing",
      "things", "stuff", "being", "been", "were", "had", "going", "gonna", "wanna", "wondering",
      "wonder", "curious", "quick", "question", "questions", "info", "information", "currently",
      "also", "either", "both", "such", "lot", "lots", "bit", "guest", "guests",
      // Asking for advice is the question's kind, not its topic: "can you recommend a seafood
      // restaurant" must not choose the sentence that says booking is "recommended".
      "recommend", "recommendation", "recommendations", "suggest", "suggestion", "suggestions",
      "advise", "best", "decent", "recomendar", "recomienda", "recomiendas", "recomendación",
      "recomendação", "recomenda", "sugerir", "recommander", "recommandez", "conseiller",
      "conseillez", "empfehlen", "empfehlung", "consigliare", "consigliate", "consigli",
      // es
      "el", "la", "los", "las", "un", "una", "es", "son", "de", "del", "en", "y", "o", "que", "qué",
      "a", "por", "para", "con", "se", "su", "mi", "hay", "hora", "horas", "cuándo", "dónde",
      "cómo", "cuál", "está", "están", "puedo", "pueden", "puede", "favor", "hola", "gracias",
      // fr
      "le", "les", "est", "sont", "du", "des", "et", "ou", "quel", "quelle", "quels", "à", "au",
      "aux", "pour", "avec", "je", "nous", "vous", "il", "y", "a", "où", "quand", "comment",
      "heure", "ce", "c'est", "l", "d", "s'il", "plaît", "merci", "bonjour",
      // de
      "der", "die", "das", "ist", "sind", "ein", "eine", "und", "oder", "wann", "wo", "wie", "was",
      "bis", "ich", "wir", "sie", "es", "im", "am", "um", "zu", "mit", "für", "muss", "kann",
      "können", "bitte", "danke", "hallo", "uhr", "gibt",
      // it
      "il", "lo", "gli", "è", "sono", "di", "e", "che", "per", "con", "quando", "dove", "come",
      "ci", "c'è", "mi", "a", "che", "ora", "grazie", "ciao",
      // pt
      "o", "os", "as", "é", "são", "do", "da", "dos", "das", "no", "na", "em", "que", "quando",
      "onde", "como", "um", "uma", "obrigado", "olá", "horas",
      // More grammar of the five languages: pronouns, determiners, prepositions, forms of be,
      // have, can, want, must, do and go, and words of place and time that English has in
      // the list above ("trouve", "queda", "fica": "is"). Not the words that are also an English
      // or a hotel word ("sea", "solo", "bin", "van", "sim", "font", "pendant", "tan", "eu",
      // "war"), have two meanings ("temps", "tempo": time or weather; "été": summer or been;
      // "porta": door or brings; "mai": never or May; "sera": will be or evening) or that a
      // glossary translates ("partir": leave, "lejos": far, "nächste": nearest).
      "unos", "unas", "esos", "esas", "estos", "estas", "aquel", "ella", "ellos", "ellas",
      "nosotros", "vuestro", "vuestra", "tu", "tus", "mí", "ti", "sin", "según", "durante", "tras",
      "luego", "entonces", "cuando", "donde", "porque", "pues", "aunque", "mientras", "cada",
      "otro", "otra", "otros", "otras", "mismo", "misma", "tanto", "mucho", "mucha", "muchos",
      "muchas", "poco", "poca", "pocos", "pocas", "todo", "toda", "todos", "todas", "nada", "nadie",
      "siempre", "nunca", "ahora", "hoy", "ayer", "bien", "mal", "así", "sólo", "queda", "quedan",
      "estaba", "era", "fue", "fueron", "será", "sería", "han", "he", "había", "hemos", "habéis",
      "hacemos", "hacen", "hago", "vas", "dé", "decir", "conseguir", "pasar", "poner", "llevar",
      "ver", "encuentra", "encuentran", "ubicado", "cuanto", "cuantos", "cuanta", "cuánto",
      "quisiera", "podrías", "ningún", "ninguna", "cerca", "ces", "cet", "cette", "ceux", "celle",
      "celui", "leur", "leurs", "sa", "ses", "ta", "tes", "lui", "elle", "elles", "ils", "eux",
      "moi", "toi", "par", "sans", "vers", "dès", "selon", "trouve", "trouvent", "situé", "située",
      "était", "serait", "fais", "faites", "allons", "allez", "vont", "peuvent", "veut", "voulons",
      "voulez", "veulent", "devons", "devez", "doivent", "sait", "savez", "connaissez", "connais",
      "beaucoup", "peu", "trop", "plus", "moins", "toutes", "rien", "jamais", "toujours",
      "maintenant", "aujourd'hui", "demain", "encore", "déjà", "seulement", "oui", "quelque",
      "quelques", "chaque", "autre", "autres", "même", "eines", "keinen", "meinem", "meiner",
      "deinem", "dein", "deine", "seine", "ihrem", "ihren", "unserem", "unseren", "beim", "ans",
      "ins", "durch", "gegen", "ohne", "über", "unter", "zwischen", "wegen", "während", "seit",
      "ab", "sich", "sollte", "sollten", "sollen", "würde", "würden", "wäre", "wären", "waren",
      "wird", "werden", "wurde", "hatte", "hatten", "mag", "geben", "nur", "viele", "wenig", "alle",
      "alles", "jede", "jeder", "jedes", "etwas", "nichts", "immer", "nie", "jetzt", "heute",
      "gestern", "warum", "weshalb", "welchen", "beste", "besten", "dello", "degli", "allo", "agli",
      "dallo", "dalla", "dai", "dagli", "dalle", "nello", "nei", "negli", "nelle", "sullo", "sui",
      "sugli", "sulle", "col", "coi", "tra", "fra", "senza", "verso", "mie", "tuo", "tua", "suo",
      "sua", "loro", "questo", "questa", "questi", "queste", "quello", "quella", "quelli", "vi",
      "io", "lei", "noi", "voi", "erano", "sarà", "sarebbe", "possono", "deve", "dovete", "vuole",
      "vogliamo", "volete", "faccio", "facciamo", "fate", "fanno", "andiamo", "andate", "vanno",
      "trova", "trovo", "trovano", "appena", "troppo", "più", "meno", "tutto", "tutti", "tutte",
      "niente", "sempre", "adesso", "oggi", "ieri", "soltanto", "sì", "umas", "nas", "às", "pelos",
      "pelas", "com", "sem", "estes", "esse", "essa", "esses", "essas", "aquele", "aquela", "isto",
      "isso", "aquilo", "minhas", "teu", "seu", "seus", "suas", "dele", "dela", "eles", "elas",
      "nós", "ele", "ela", "foi", "seria", "tinha", "devemos", "quer", "vão", "fazem", "há",
      "havia", "algum", "alguma", "alguns", "algumas", "nenhum", "nenhuma", "muita", "muitos",
      "muitas", "pouco", "pouca", "menos", "tudo", "agora", "hoje", "ontem", "lá", "só", "apenas",
      "fica", "ficam", "demora", "puis",
      // Forms of have, be, can, want, must, know, give, go and do, and more grammar of the
      // five languages: matched by their stems they would find any page that uses the verb.
      "tiene", "tienen", "tengo", "tenemos", "tener", "tienes", "hay", "habrá", "ser", "estar",
      "estoy", "estamos", "puedes", "podemos", "podría", "podrían", "poder", "quiero", "queremos",
      "quería", "querer", "debo", "debemos", "hace", "hacer", "sé", "saber", "sabe", "dar", "ir",
      "voy", "vamos", "algún", "alguna", "alguno", "algo", "este", "esta", "esto", "ese", "esa",
      "eso", "mis", "sus", "nuestro", "nuestra", "usted", "ustedes", "vosotros", "les", "nos", "me",
      "te", "le", "lo", "al", "muy", "más", "también", "pero", "si", "sí", "cuál", "cual", "cuáles",
      "quién", "cuánta", "cuántos", "cuántas", "ahí", "allí", "aquí", "ya", "todavía", "aún",
      // "until" of the five languages, as "until" and "till" above.
      "até", "fino", "finché", "jusqu", "jusque", "jusqu'au", "sobre", "entre", "hasta", "desde",
      "hola", "buenas", "avez", "avons", "ai", "as", "ont", "être", "suis", "sommes", "êtes",
      "peut", "peux", "pouvez", "pouvons", "pourrais", "pourriez", "veux", "voudrais", "voudrions",
      "vouloir", "dois", "doit", "faut", "fait", "faire", "sais", "savoir", "va", "vais", "aller",
      "mon", "ma", "mes", "votre", "vos", "notre", "nos", "un", "une", "dans", "sur", "sous", "pas",
      "ne", "aussi", "mais", "si", "qui", "quoi", "combien", "est-ce", "qu'il", "qu'on", "on",
      "ici", "là", "très", "tout", "tous", "toute", "chez", "depuis", "jusqu'à", "habe", "hat",
      "haben", "hast", "habt", "bist", "seid", "sein", "kann", "kannst", "könnt", "könnte",
      "könnten", "will", "wollen", "möchte", "möchten", "muss", "müssen", "soll", "darf", "dürfen",
      "weiß", "wissen", "geht", "gehen", "mache", "macht", "machen", "mein", "meine", "meinen",
      "unser", "unsere", "ihr", "ihre", "euer", "eure", "den", "dem", "des", "einen", "einem",
      "einer", "auf", "aus", "bei", "nach", "von", "vom", "zum", "zur", "auch", "noch", "schon",
      "aber", "wenn", "ob", "welche", "welcher", "welches", "wer", "wieviel", "viel", "hier",
      "dort", "da", "sehr", "nicht", "kein", "keine", "man", "mir", "mich", "uns", "euch", "ho",
      "hai", "ha", "abbiamo", "avete", "hanno", "avere", "sono", "siamo", "siete", "essere",
      "posso", "puoi", "può", "possiamo", "potete", "potrei", "potreste", "voglio", "vorrei",
      "vorremmo", "devo", "dobbiamo", "sapete", "sai", "fa", "vado", "andare", "mio", "mia", "miei",
      "nostro", "nostra", "vostro", "vostra", "un", "uno", "una", "del", "della", "dei", "delle",
      "nel", "nella", "al", "alla", "sul", "sulla", "da", "anche", "ancora", "già", "ma", "se",
      "quale", "quali", "chi", "quanti", "quante", "qui", "qua", "lì", "molto", "non", "tenho",
      "tem", "têm", "temos", "ter", "sou", "somos", "ser", "estou", "estamos", "posso", "pode",
      "podem", "podemos", "poderia", "quero", "queremos", "queria", "gostaria", "devo", "preciso",
      "sei", "sabe", "faz", "fazer", "vou", "vai", "ir", "meu", "minha", "meus", "nosso", "nossa",
      "vocês", "você", "ao", "aos", "à", "pelo", "pela", "num", "numa", "também", "ainda", "já",
      "mas", "se", "qual", "quais", "quem", "quanto", "quantos", "quantas", "aqui", "aí", "ali",
      "muito", "não", "oi"};
  return s;
}

// Hotel words of the five other languages, to the English words the knowledge base uses.
const std::map<std::string, std::string>& Glossary() {
  static const std::map<std::string, std::string> g = {
      {"desayuno", "breakfast"},
      {"petit-déjeuner", "breakfast"},
      {"déjeuner", "lunch"},
      {"frühstück", "breakfast"},
      {"colazione", "breakfast"},
      {"pequeno-almoço", "breakfast"},
      {"café", "breakfast"},
      {"piscina", "pool"},
      {"piscine", "pool"},
      {"schwimmbad", "pool"},
      {"pool", "pool"},
      {"gimnasio", "gym"},
      {"salle", "gym"},
      {"fitness", "gym"},
      {"palestra", "gym"},
      {"ginásio", "gym"},
      {"fitnessstudio", "gym"},
      {"fitnessraum", "gym"},
      {"aparcamiento", "parking"},
      {"estacionamiento", "parking"},
      {"parking", "parking"},
      {"stationnement", "parking"},
      {"parkplatz", "parking"},
      {"parcheggio", "parking"},
      {"estacionamento", "parking"},
      {"garagem", "parking"},
      {"garage", "parking"},
      {"contraseña", "password"},
      {"clave", "password"},
      {"passe", "password"},
      {"passwort", "password"},
      {"kennwort", "password"},
      {"senha", "password"},
      {"wlan", "wifi"},
      {"wi-fi", "wifi"},
      {"wifi", "wifi"},
      {"perros", "dog"},
      {"perro", "dog"},
      {"mascotas", "pet"},
      {"chiens", "dog"},
      {"chien", "dog"},
      {"animaux", "pet"},
      {"hunde", "dog"},
      {"hund", "dog"},
      {"haustiere", "pet"},
      {"cani", "dog"},
      {"cane", "dog"},
      {"animali", "pet"},
      {"cães", "dog"},
      {"cão", "dog"},
      {"animais", "pet"},
      {"restaurante", "restaurant"},
      {"ristorante", "restaurant"},
      {"restaurant", "restaurant"},
      {"cena", "dinner"},
      {"dîner", "dinner"},
      {"abendessen", "dinner"},
      {"jantar", "dinner"},
      {"almuerzo", "lunch"},
      {"pranzo", "lunch"},
      {"mittagessen", "lunch"},
      {"almoço", "lunch"},
      {"bar", "bar"},
      {"terraza", "rooftop"},
      {"terrasse", "rooftop"},
      {"terrazza", "rooftop"},
      {"spa", "spa"},
      {"masaje", "massage"},
      {"massaggio", "massage"},
      {"massagem", "massage"},
      {"aeropuerto", "airport"},
      {"aéroport", "airport"},
      {"flughafen", "airport"},
      {"aeroporto", "airport"},
      {"taxi", "taxi"},
      {"táxi", "taxi"},
      {"estación", "station"},
      {"gare", "station"},
      {"bahnhof", "station"},
      {"stazione", "station"},
      {"estação", "station"},
      {"metro", "metro"},
      {"métro", "metro"},
      {"playa", "beach"},
      {"plage", "beach"},
      {"strand", "beach"},
      {"spiaggia", "beach"},
      {"praia", "beach"},
      {"farmacia", "pharmacy"},
      {"pharmacie", "pharmacy"},
      {"apotheke", "pharmacy"},
      {"farmácia", "pharmacy"},
      {"cajero", "atm"},
      {"geldautomat", "atm"},
      {"bancomat", "atm"},
      {"multibanco", "atm"},
      {"equipaje", "luggage"},
      {"maletas", "luggage"},
      {"bagages", "luggage"},
      {"gepäck", "luggage"},
      {"bagagli", "luggage"},
      {"bagagem", "luggage"},
      {"malas", "luggage"},
      {"lavandería", "laundry"},
      {"blanchisserie", "laundry"},
      {"wäscherei", "laundry"},
      {"lavanderia", "laundry"},
      {"ascensor", "elevator"},
      {"ascenseur", "elevator"},
      {"aufzug", "elevator"},
      {"fahrstuhl", "elevator"},
      {"ascensore", "elevator"},
      {"elevador", "elevator"},
      {"lift", "elevator"},
      {"fumar", "smoking"},
      {"fumer", "smoking"},
      {"rauchen", "smoking"},
      {"fumare", "smoking"},
      {"cancelación", "cancellation"},
      {"annulation", "cancellation"},
      {"stornierung", "cancellation"},
      {"cancellazione", "cancellation"},
      {"cancelamento", "cancellation"},
      {"niños", "children"},
      {"enfants", "children"},
      {"kinder", "children"},
      {"bambini", "children"},
      {"crianças", "children"},
      {"tiempo", "weather"},
      {"météo", "weather"},
      {"wetter", "weather"},
      {"meteo", "weather"},
      {"clima", "weather"},
      {"enchufe", "plug"},
      {"prise", "plug"},
      {"steckdose", "plug"},
      {"presa", "plug"},
      {"tomada", "plug"},
      {"caja", "safe"},
      {"coffre", "safe"},
      {"tresor", "safe"},
      {"cassaforte", "safe"},
      {"cofre", "safe"},
      {"entrada", "check-in"},
      {"salida", "check-out"},
      {"arrivée", "check-in"},
      {"départ", "check-out"},
      {"auschecken", "check-out"},
      {"einchecken", "check-in"},
      {"abreise", "check-out"},
      {"anreise", "check-in"},
      {"partenza", "check-out"},
      {"arrivo", "check-in"},
      {"checkout", "check-out"},
      {"checkin", "check-in"},
      {"abre", "open"},
      {"abierto", "open"},
      {"ouvert", "open"},
      {"geöffnet", "open"},
      {"aperto", "open"},
      {"aberto", "open"},
      {"fecha", "close"},
      {"cierra", "close"},
      {"ferme", "close"},
      {"schließt", "close"},
      {"chiude", "close"},
      {"precio", "price"},
      {"prix", "price"},
      {"preis", "price"},
      {"prezzo", "price"},
      {"preço", "price"},
      {"cuesta", "price"},
      {"coûte", "price"},
      {"kostet", "price"},
      {"costa", "price"},
      {"custa", "price"},
      {"cost", "price"},
      {"fee", "price"},
      {"much", "price"},
      {"casco", "old"},
      {"vieille", "old"},
      {"altstadt", "old"},
      {"centro", "centre"},
      {"centre", "centre"},
      {"zentrum", "centre"},
      {"accesible", "accessible"},
      {"accessible", "accessible"},
      {"barrierefrei", "accessible"},
      {"accessibile", "accessible"},
      {"acessível", "accessible"},
      {"silla", "wheelchair"},
      {"rollstuhl", "wheelchair"},
      {"fauteuil", "wheelchair"},
      {"teléfono", "phone"},
      {"téléphone", "phone"},
      {"telefon", "phone"},
      {"telefono", "phone"},
      {"telefone", "phone"},
      {"emergencia", "emergency"},
      {"urgence", "emergency"},
      {"notfall", "emergency"},
      {"emergenza", "emergency"},
      {"emergência", "emergency"},
      {"brunch", "brunch"},
      {"fado", "fado"},
      {"dogs", "dog"},
      {"pets", "pet"},
      {"heated", "heated"},
      {"climatizada", "heated"},
      {"chauffée", "heated"},
      {"beheizt", "heated"},
      {"riscaldata", "heated"},
      {"aquecida", "heated"},
      {"weekends", "weekend"},
      {"weekend", "weekend"},
      {"fin", "weekend"},
      {"wochenende", "weekend"},
      {"gym", "gym"},
      {"workout", "gym"},
      {"exercise", "gym"},
      {"internet", "wifi"},
      {"wireless", "wifi"},
      {"car", "parking"},
      {"park", "parking"},
      {"check", "check"},
      {"leave", "check-out"},
      {"arrive", "check-in"},
      {"towels", "towel"},
      {"swim", "pool"},
      {"swimming", "pool"},
      // Compounds (the words are split at the hyphen; looked up as pairs first).
      {"petit-déjeuner", "breakfast"},
      {"pequeno-almoço", "breakfast"},
      {"wi-fi", "wifi"},
      {"check-in", "check-in"},
      {"check-out", "check-out"},
      {"electric-car", "charging"},
      {"cash-machine", "atm"},
      {"cash-machines", "atm"},
      {"city-tax", "tax"},
      {"tourist-tax", "tax"},
      {"room-service", "room service"},
      // English words guests use for what a hotel's pages call otherwise.
      {"kids", "children"},
      {"kid", "children"},
      {"toddler", "children"},
      {"toddlers", "children"},
      {"cot", "crib"},
      {"cots", "crib"},
      {"babysitter", "babysitting"},
      {"nanny", "babysitting"},
      {"cigarette", "smoking"},
      {"cigarettes", "smoking"},
      {"smoke", "smoking"},
      {"vape", "vaping"},
      {"suitcase", "luggage"},
      {"suitcases", "luggage"},
      {"bags", "luggage"},
      {"baggage", "luggage"},
      {"puppy", "dog"},
      {"kilos", "kg"},
      {"kilo", "kg"},
      {"kilograms", "kg"},
      {"levy", "tax"},
      {"cashpoint", "atm"},
      {"penalty", "fee"},
      {"fine", "fee"},
      {"charger", "charging"},
      {"subway", "metro"},
      {"tube", "metro"},
      {"underground", "metro"},
      {"cab", "taxi"},
      {"uber", "taxi"},
      {"supper", "dinner"},
      {"elevators", "elevator"},
      {"lifts", "elevator"},
      // Days of the weekend: the pages speak of "weekends" (the day's own word is kept too).
      {"saturday", "weekend"},
      {"sunday", "weekend"},
      {"sábado", "weekend"},
      {"domingo", "weekend"},
      {"samedi", "weekend"},
      {"dimanche", "weekend"},
      {"samstag", "weekend"},
      {"sonntag", "weekend"},
      {"sabato", "weekend"},
      {"domenica", "weekend"},
  };
  return g;
}

// The glossary files (data/glossary/<language>.tsv: "word<TAB>english", a word pair joined
// by a hyphen): a guest's word of that language to the word an English page uses for it;
// en.tsv holds the English words guests use that pages say otherwise ("telly" → "tv").
const std::map<std::string, std::string>& GlossaryFile(const std::string& language) {
  static const auto files = [] {
    std::map<std::string, std::map<std::string, std::string>> out;
    for (const char* lang : {"en", "es", "fr", "de", "it", "pt"}) {
      auto& words = out[lang];
      auto bytes = core::FindResource(std::string("glossary/") + lang + ".tsv");
      if (!bytes) continue;
      std::istringstream in{std::string(*bytes)};
      for (std::string line; std::getline(in, line);) {
        auto tab = line.find('\t');
        if (line.empty() || line[0] == '#' || tab == std::string::npos) continue;
        std::string word = core::Utf8Lower(core::Trim(line.substr(0, tab)));
        std::string english = core::Utf8Lower(core::Trim(line.substr(tab + 1)));
        if (!word.empty() && !english.empty() && word != english) words.emplace(word, english);
      }
    }
    return out;
  }();
  static const std::map<std::string, std::string> none;
  auto it = files.find(language);
  return it == files.end() ? none : it->second;
}

// Snowball's stemmer for a language (en, es, fr, de, it, pt), one per thread (a stemmer keeps
// state between calls); null for another language.
sb_stemmer* StemmerFor(const std::string& language) {
  static const std::map<std::string, const char*> names = {{"en", "english"}, {"es", "spanish"},
                                                           {"fr", "french"},  {"de", "german"},
                                                           {"it", "italian"}, {"pt", "portuguese"}};
  struct Stemmers {
    std::map<std::string, sb_stemmer*> by_language;
    ~Stemmers() {
      for (auto& [lang, s] : by_language)
        if (s) sb_stemmer_delete(s);
    }
  };
  thread_local Stemmers cache;
  auto it = cache.by_language.find(language);
  if (it != cache.by_language.end()) return it->second;
  auto n = names.find(language);
  sb_stemmer* s = n == names.end() ? nullptr : sb_stemmer_new(n->second, "UTF_8");
  cache.by_language[language] = s;
  return s;
}

// Snowball's stem of a word of five letters or more ("verlorenen", "verloren": "verlor"),
// else the word.
std::string SnowballStem(const std::string& w, const std::string& language) {
  sb_stemmer* stemmer = StemmerFor(language);
  if (!stemmer || w.size() < 5) return w;
  const sb_symbol* out = sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(w.data()),
                                         static_cast<int>(w.size()));
  if (!out) return w;
  return std::string(reinterpret_cast<const char*>(out),
                     static_cast<size_t>(sb_stemmer_length(stemmer)));
}

// Stems shorter than this (in bytes) say too little: "tomar" and "tomada" (socket) share
// "tom", "mesas" and "mes" (month) "mes", "fahren" and "Fähre" (ferry) nearly.
constexpr size_t kGlossaryStemBytes = 6;

// A language's glossary by the Snowball stems of its single words, for the forms it does not
// list ("handicapées" by "handicapé", "verlorenen" by "verloren"). Stems that two words of
// different English share are left out (English compared by its own stem: "item" and
// "items" are one). Built once, for the five languages, on first use.
const std::map<std::string, std::string>& GlossaryByStem(const std::string& language) {
  static const auto all = [] {
    std::map<std::string, std::map<std::string, std::string>> by_language;
    for (const char* lang : {"es", "fr", "de", "it", "pt"}) {
      auto& out = by_language[lang];
      std::set<std::string> ambiguous;
      for (const auto& [word, english] : GlossaryFile(lang)) {
        if (word.find('-') != std::string::npos) continue;
        std::string stem = SnowballStem(word, lang);
        if (stem.size() < kGlossaryStemBytes) continue;
        auto [at, fresh] = out.emplace(stem, english);
        if (!fresh && SnowballStem(at->second, "en") != SnowballStem(english, "en"))
          ambiguous.insert(stem);
      }
      for (const auto& stem : ambiguous) out.erase(stem);
    }
    return by_language;
  }();
  static const std::map<std::string, std::string> none;
  auto it = all.find(language);
  return it == all.end() ? none : it->second;
}

// The English word for a guest's word (or hyphen-joined pair): the curated list above first,
// then the glossary of the guest's language, then the English one, then another form of a
// word of the guest's language's glossary; null when none knows it.
const std::string* Translate(const std::string& word, const std::string& language) {
  if (auto g = Glossary().find(word); g != Glossary().end()) return &g->second;
  if (language != "en") {
    const auto& own = GlossaryFile(language);
    if (auto g = own.find(word); g != own.end()) return &g->second;
  }
  const auto& en = GlossaryFile("en");
  if (auto g = en.find(word); g != en.end()) return &g->second;
  if (language != "en" && word.size() >= kGlossaryStemBytes &&
      word.find('-') == std::string::npos) {
    const auto& stems = GlossaryByStem(language);
    if (auto g = stems.find(SnowballStem(word, language)); g != stems.end()) return &g->second;
  }
  return nullptr;
}

// Topic words per intent, added to the query with a lower weight.
const std::map<std::string, std::vector<std::string>>& IntentTopics() {
  static const std::map<std::string, std::vector<std::string>> t = {
      {"inquiry.wifi", {"wifi", "password", "internet"}},
      {"inquiry.checkin", {"check-in", "arrival"}},
      {"inquiry.checkout", {"check-out"}},
      {"inquiry.parking", {"parking", "garage"}},
      {"inquiry.pets", {"pet", "dog"}},
      {"inquiry.policy", {"policy"}},
      {"inquiry.amenity", {}},
      {"inquiry.dining", {"restaurant", "breakfast", "menu"}},
      {"inquiry.local", {}},
      {"inquiry.transport", {"airport", "taxi", "transport"}},
      {"inquiry.directions", {"floor", "lobby"}},
      {"inquiry.accessibility", {"accessible", "accessibility"}},
      {"inquiry.contact", {"phone", "contact", "email"}},
  };
  return t;
}

// The part of a word that its other forms share, searched as a prefix (the knowledge's words
// are matched from their start): "charging" → "charg" (charge, charged), "restaurants" →
// "restaurant". Snowball's stem when it is a prefix of the word and keeps four letters;
// a stem that rewrites the word's end ("city" → "citi") is cut back to what the two share.
std::string Stem(const std::string& w, const std::string& language) {
  std::string plain = w;
  if (plain.size() > 4 && plain.back() == 's' && plain[plain.size() - 2] != 's') plain.pop_back();
  if (!StemmerFor(language) || w.size() < 5) return plain;
  const std::string stem = SnowballStem(w, language);
  size_t common = 0;
  while (common < stem.size() && common < w.size() && stem[common] == w[common]) ++common;
  while (common > 0 && (static_cast<unsigned char>(w[common]) & 0xC0) == 0x80) --common;
  if (common < 4) return plain;
  return w.substr(0, common);
}

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(ModelText(text));
  std::vector<std::string> out;
  std::string w;
  while (in >> w) {
    // strip leading/trailing apostrophes and split elisions (l'hôtel → hôtel)
    auto ap = w.find('\'');
    if (ap != std::string::npos && ap <= 2 && ap + 1 < w.size()) w = w.substr(ap + 1);
    if (w.size() == 1 && !std::isalnum(static_cast<unsigned char>(w[0]))) continue;
    out.push_back(w);
  }
  return out;
}

// A term that ends in kWordForms matches the word and its inflections only ("bath~": "bath",
// "baths", not "bathroom"): the glossary's English words, which are whole words of the pages.
// Other terms match any word they start (the FTS prefix query's notion), as a guest's own
// stemmed words must ("cancel" → "cancellation").
constexpr char kWordForms = '~';

bool InflectionOf(std::string_view rest) {
  static const std::set<std::string_view> endings = {
      "",     "s",   "es",   "e",     "ed",     "d",      "ing",     "er",  "ers",   "ies",
      "y",    "ion", "ions", "ation", "ations", "ment",   "ments",   "ity", "ities", "able",
      "ible", "al",  "ly",   "led",   "ling",   "lation", "lations", "ted", "ting",  "ned",
      "ning", "red", "ring", "ged",   "ging",   "ped",    "ping"};
  return endings.count(rest) > 0;
}

bool ContainsTerm(const std::string& haystack_lower, const std::string& raw_term) {
  const bool forms = !raw_term.empty() && raw_term.back() == kWordForms;
  const std::string term = forms ? raw_term.substr(0, raw_term.size() - 1) : raw_term;
  if (term.empty()) return false;
  size_t pos = 0;
  while ((pos = haystack_lower.find(term, pos)) != std::string::npos) {
    if (pos == 0 || !std::isalnum(static_cast<unsigned char>(haystack_lower[pos - 1]))) {
      if (!forms) return true;
      size_t end = pos + term.size();
      while (end < haystack_lower.size() &&
             std::isalpha(static_cast<unsigned char>(haystack_lower[end])))
        ++end;
      if (InflectionOf(
              std::string_view(haystack_lower).substr(pos + term.size(), end - pos - term.size())))
        return true;
    }
    pos += 1;
  }
  return false;
}

// A glossary's English word as searched: a single word by its stem ("charge" finds
// "charging"), a phrase or hyphenated word as written.
std::string EnglishTerm(const std::string& english) {
  if (english.find_first_of(" -") != std::string::npos) return english;
  // Snowball cuts derivations too ("restaurant" → "restaur"): such a stem is no inflection of
  // the page's word, which is then searched whole.
  std::string stem = Stem(english, "en");
  if (!InflectionOf(std::string_view(english).substr(stem.size()))) stem = english;
  return stem + kWordForms;
}

struct Concept {
  std::vector<std::string> terms;  // alternatives
  double weight = 1.0;             // 0: a topic word of the intent, a bonus only
  int64_t df = -1;                 // active entries that hold it (-1: not counted)
  // What the question asks whether the hotel has ("is there a *scanner*"): an entry that
  // does not name it does not answer.
  bool asked_thing = false;
  // English, or a word a glossary translates: whether an entry names it can be told from the
  // text. A foreign word no glossary knows may be named in English: the vectors judge it.
  bool known = true;
  // What an English yes/no question is about ("is the *sauna* included"): as asked_thing, an
  // entry that does not name it does not answer.
  bool subject = false;
};

// The index in `words` of the thing a question asks whether the hotel has: the first word
// after "is there a", "do you have", "does the shuttle have", "gibt es ein"... that is no
// stop word; -1 for others.
int AskedThing(const std::vector<std::string>& words) {
  static const std::vector<std::vector<std::string>> openers = {
      {"is", "there"}, {"are", "there"}, {"you", "have"}, {"have"},
      {"hay"},         {"tienen"},       {"tiene"},       {"y", "a", "t", "il"},
      {"y", "a-t-il"}, {"avez", "vous"}, {"avez-vous"},   {"vous", "avez"},
      {"gibt", "es"},  {"haben", "sie"}, {"habt", "ihr"}, {"c'è"},
      {"ci", "sono"},  {"avete"},        {"há"},          {"têm"},
      {"tem"}};
  static const std::set<std::string> skip = {
      "a",        "an",       "any",       "some",     "un",        "une",       "una",
      "uno",      "ein",      "eine",      "einen",    "um",        "uma",       "des",
      "du",       "de",       "la",        "le",       "el",        "il",        "lo",
      "good",     "nice",     "buen",      "buena",    "bon",       "bonne",     "gutes",
      "guter",    "gute",     "buon",      "buona",    "bom",       "boa",       "there",
      "here",     "also",     "still",     "way",      "place",     "chance",    "possibility",
      "option",   "options",  "somewhere", "anywhere", "something", "anything",  "someone",
      "anyone",   "free",     "cheap",     "nearby",   "close",     "near",      "big",
      "small",    "little",   "other",     "another",  "more",      "extra",     "special",
      "public",   "private",  "gratis",    "gratuit",  "gratuite",  "kostenlos", "kostenlose",
      "gratuito", "gratuita", "libre",     "proper",   "real",      "decent",    "local",
      "service",  "servicio", "serviço",   "servizio", "dienst"};
  // "can I have a look": "have" asks what the hotel has only after "do" / "does".
  auto asks_has = [&](size_t i) {
    for (size_t k = 0; k < i; ++k)
      if (words[k] == "do" || words[k] == "does") return true;
    return false;
  };
  for (size_t i = 0; i < words.size(); ++i) {
    for (const auto& o : openers) {
      if (i + o.size() > words.size()) continue;
      bool match = true;
      for (size_t k = 0; k < o.size() && match; ++k) match = words[i + k] == o[k];
      if (!match) continue;
      // "do you have" is its own opener; "do I have enough time" asks of the guest.
      if (o[0] == "have" && o.size() == 1 &&
          (!asks_has(i) ||
           (i > 0 && (words[i - 1] == "you" || words[i - 1] == "i" || words[i - 1] == "we"))))
        continue;
      for (size_t j = i + o.size(); j < words.size(); ++j) {
        if (skip.count(words[j])) continue;
        // "is there 24h room service": a number is no thing
        if (std::any_of(words[j].begin(), words[j].end(),
                        [](char ch) { return ch >= '0' && ch <= '9'; }))
          continue;
        if (StopWords().count(words[j]) || words[j].size() < 3) return -1;
        return static_cast<int>(j);
      }
      return -1;
    }
  }
  return -1;
}

// The index in `words` of what an English yes/no question is about: "is the sauna included",
// "does the lift go down to the car park", "are the rooms air-conditioned" (the first word
// after the verb and "the"); -1 for others. An entry that does not name it does not answer.
int AskedSubject(const std::vector<std::string>& words) {
  if (words.size() < 3) return -1;
  static const std::set<std::string> verbs = {"is", "are", "does", "do", "will", "can", "was"};
  if (!verbs.count(words[0]) || (words[1] != "the" && words[1] != "your")) return -1;
  // "is the free shuttle running": the shuttle is what it is about.
  static const std::set<std::string> adjectives = {
      "free",   "main",  "indoor", "outdoor", "new",     "first", "big",
      "small",  "other", "extra",  "nearest", "closest", "local", "private",
      "public", "whole", "same",   "old",     "hotel's"};
  size_t k = 2;
  while (k + 1 < words.size() && adjectives.count(words[k])) ++k;
  const std::string& w = words[k];
  if (StopWords().count(w) || w.size() < 3 ||
      std::any_of(w.begin(), w.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    return -1;
  return static_cast<int>(k);
}

std::vector<Concept> Concepts(const std::string& text, const std::string& intent,
                              const std::string& language) {
  std::vector<Concept> out;
  std::set<std::string> seen;
  auto words = Words(text);
  const int asked = AskedThing(words);
  const int subject = language == "en" || language.empty() ? AskedSubject(words) : -1;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    Concept c;
    bool asked_here = static_cast<int>(i) == asked;
    bool subject_here = static_cast<int>(i) == subject;
    // A compound ("pequeno-almoço", "cash machine") before its parts.
    const std::string* english = nullptr;
    if (i + 1 < words.size()) english = Translate(w + "-" + words[i + 1], language);
    if (english) {
      c.terms.push_back(EnglishTerm(*english));
      ++i;
      asked_here = asked_here || static_cast<int>(i) == asked;
      subject_here = subject_here || static_cast<int>(i) == subject;
    } else {
      if (StopWords().count(w) || w.size() < 2) continue;
      english = Translate(w, language);
      // A word whose English is grammar ("morgen" → "tomorrow") says nothing of the topic.
      if (english && StopWords().count(*english)) continue;
      if (english) {
        c.terms.push_back(EnglishTerm(*english));
        // The language's glossary may know another English word than the curated list: both
        // are alternatives ("domenica": "weekend" of the breakfast page, "sunday" of a page
        // written in Spanish that names the day in its keywords).
        if (language != "en") {
          const auto& own = GlossaryFile(language);
          if (auto g = own.find(w);
              g != own.end() && g->second != *english && !StopWords().count(g->second))
            c.terms.push_back(EnglishTerm(g->second));
        }
        if (*english != w && w.size() >= 4) c.terms.push_back(Stem(w, language));
      } else {
        c.terms.push_back(Stem(w, language));
      }
    }
    c.asked_thing = asked_here || subject_here;
    c.subject = subject_here && !asked_here;
    c.known = language == "en" || english != nullptr;
    if (seen.insert(c.terms[0]).second) out.push_back(c);
  }
  auto t = IntentTopics().find(intent);
  if (t != IntentTopics().end()) {
    for (const auto& term : t->second) {
      if (seen.insert(term).second) out.push_back({{term}, 0.0});  // bonus only
    }
  }
  return out;
}

// Weighs each of the guest's concepts by how rare it is in the knowledge base (inverse
// document frequency): "iron" says more than "room". A word that no entry holds weighs most,
// so that a question about something the hotel never wrote about ("a helipad on the roof")
// is not answered with the entry that shares its commonest word. That holds in the five
// other languages too ("peluquería", "golfe"): their grammar is in the stop list and their
// hotel words in the glossaries, so a word neither knows is most likely a thing the hotel does
// not mention. Returns the number of active entries the weights were taken over.
Result<int64_t> WeighConcepts(db::Database& db, std::vector<Concept>& concepts) {
  JACK_TRY_ASSIGN(int64_t n, db::CountActiveKnowledge(db));
  for (auto& c : concepts) {
    if (c.weight <= 0) continue;
    std::string expr = FtsExpression(c.terms);
    if (expr.empty()) continue;
    JACK_TRY_ASSIGN(int64_t df, db::CountKnowledgeFts(db, expr));
    c.df = df;
    double idf = std::log((static_cast<double>(n) + 1.0) / (static_cast<double>(df) + 0.5));
    c.weight = std::max(idf, 0.1);
  }
  return n;
}

std::vector<std::string> SplitSentences(const std::string& content) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < content.size(); ++i) {
    char c = content[i];
    cur.push_back(c);
    bool end = (c == '.' || c == '!' || c == '?' || c == '\n') &&
               (i + 1 == content.size() || content[i + 1] == ' ' || content[i + 1] == '\n');
    // keep "5 p.m." and decimal numbers inside a sentence
    if (end && c == '.' && i >= 2 && content[i - 2] == '.') end = false;
    if (end) {
      auto t = core::Trim(cur);
      if (!t.empty()) out.emplace_back(t);
      cur.clear();
    }
  }
  auto t = core::Trim(cur);
  if (!t.empty()) out.emplace_back(t);
  return out;
}

// What kind of fact a question asks for, from its wording in the six languages.
enum class Cue { none, time, price, place };

// Whether the question, padded with spaces, holds one of `words` (each " word ").
bool HasAny(const std::string& padded, std::initializer_list<const char*> words) {
  for (const char* w : words)
    if (padded.find(w) != std::string::npos) return true;
  return false;
}

Cue QuestionCue(const std::string& question) {
  std::string q = " " + ModelText(question) + " ";
  auto has = [&](std::initializer_list<const char*> words) { return HasAny(q, words); };
  if (has({" what time ",      " when ",     " hours ",      " open ",         " opens ",
           " close ",          " closes ",   " until when ", " how late ",     " how early ",
           " qué hora ",       " que hora ", " cuándo ",     " horario ",      " quelle heure ",
           " quand ",          " horaires ", " wann ",       " wie viel uhr ", " wie spät ",
           " öffnungszeiten ", " che ora ",  " quando ",     " orari ",        " orario ",
           " que horas ",      " horário "}))
    return Cue::time;
  if (has({" how much ", " cost ",     " costs ",  " price ",   " prices ",  " fee ",
           " charge ",   " cuánto ",   " cuanto ", " precio ",  " combien ", " prix ",
           " tarif ",    " wie viel ", " kostet ", " preis ",   " quanto ",  " prezzo ",
           " preço ",    " custa ",    " fine ",   " penalty ", " pay "}))
    return Cue::price;
  if (has({" where ", " dónde ", " donde ", " où ", " wo ", " dove ", " onde ", " which floor "}))
    return Cue::place;
  return Cue::none;
}

// The question asks how many (spaces, degrees, kilos), not what something costs.
bool AsksCount(const std::string& question) {
  return HasAny(" " + ModelText(question) + " ",
                {" how many ", " combien de ", " wie viele ", " quanti ", " quante ", " cuántos ",
                 " cuántas ", " cuantos ", " quantos ", " quantas "});
}

// The question plainly asks for a price ("how much", "cost") or a clock time ("what time",
// "until when"): the words that set a cue also appear in questions that ask neither ("when can
// I pay by card", "where can I charge my phone", "is the pool open").
bool AsksExplicitly(Cue cue, const std::string& question) {
  std::string q = " " + ModelText(question) + " ";
  auto has = [&](std::initializer_list<const char*> words) { return HasAny(q, words); };
  if (cue == Cue::price)
    return has({" how much ", " cost", " price", " you charge ", " charge for ", " a charge ",
                " cuánto cuesta", " cuanto cuesta", " precio", " combien co", " prix ", " tarif",
                " kostet", " preis", " quanto costa", " prezzo", " quanto custa", " preço"});
  if (cue == Cue::time)
    return has({" what time ", " until when ", " how late ", " qué hora ", " que hora ",
                " quelle heure ", " wie spät ", " che ora ", " que horas ", " bis wann "});
  return false;
}

// Whether a sentence carries the kind of fact the cue asks for.
bool Answers(Cue cue, const std::string& lower_sentence) {
  const std::string& s = lower_sentence;
  auto any = [&](std::initializer_list<const char*> words) {
    for (const char* w : words)
      if (s.find(w) != std::string::npos) return true;
    return false;
  };
  switch (cue) {
    case Cue::time:
      for (size_t i = 1; i + 2 < s.size(); ++i)
        if (s[i] == ':' && std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
            std::isdigit(static_cast<unsigned char>(s[i + 1])))
          return true;
      return any({"noon", "midnight", "24 hours", " a.m.", " p.m.", "am ", "pm ", "meio-dia",
                  "mediodía", "midi", "mittag"});
    case Cue::price:
      return any({" eur", "€", "$", "£", "usd", "free of charge", "is free", "are free", "gratuit",
                  "gratis", "kostenlos", "costs", "cuesta", "coûte", "custa"});
    case Cue::place:
      return any({"floor", "level", "lobby", "next to", "walk", " km", "entrance", "behind",
                  "opposite", "planta", "étage", "stock", "piano", "andar"});
    case Cue::none:
      return false;
  }
  return false;
}

}  // namespace

std::vector<std::string> QueryTerms(const std::string& text, const std::string& intent) {
  std::vector<std::string> out;
  for (const auto& c : Concepts(text, intent, "en")) {
    for (const auto& t : c.terms) out.push_back(t);
  }
  return out;
}

std::string FtsExpression(const std::vector<std::string>& terms) {
  std::string out;
  std::set<std::string> seen;
  for (const auto& raw : terms) {
    // FTS5 tokenises on non-alphanumerics: "check-out" becomes the phrase "check out"
    std::string t;
    for (char c : raw) t.push_back(c == '-' ? ' ' : c);
    std::string q;
    for (char c : t) {
      if (c == '"' || c == kWordForms) continue;
      q.push_back(c);
    }
    if (q.empty() || !seen.insert(q).second) continue;
    if (!out.empty()) out += " OR ";
    out += "\"" + q + "\"" + (q.find(' ') == std::string::npos && q.size() >= 3 ? "*" : "");
  }
  return out;
}

std::string QuoteSentences(const std::string& content, const std::vector<std::string>& terms,
                           size_t max_chars, const std::string& question,
                           const std::vector<double>& weights) {
  auto sentences = SplitSentences(content);
  if (sentences.empty()) return {};
  const Cue cue = QuestionCue(question);
  std::vector<std::pair<double, size_t>> scored;
  for (size_t i = 0; i < sentences.size(); ++i) {
    std::string lower = core::Utf8Lower(sentences[i]);
    double s = 0;
    for (size_t k = 0; k < terms.size(); ++k) {
      const auto& t = terms[k];
      std::string tt = core::ReplaceAll(t, "-", " ");
      if (ContainsTerm(lower, tt) || ContainsTerm(lower, t))
        s += k < weights.size() ? weights[k] : 1.0;
    }
    // A sentence with the kind of fact asked for ("what time" → a time) answers better than
    // one that only names the topic. The entry as a whole is about the topic (it was found),
    // so such a sentence counts even when it names the topic in other words ("the fitness
    // centre is on level -1" for "where is the gym").
    if (Answers(cue, lower)) s += s > 0 ? 1.5 : 1.0;
    scored.push_back({s - 0.01 * static_cast<double>(i), i});  // earlier wins ties
  }
  std::sort(scored.begin(), scored.end(), std::greater<>());
  std::vector<size_t> chosen;
  size_t total = 0;
  double best = scored[0].first;
  for (const auto& [s, i] : scored) {
    if (!chosen.empty() && (s < 1 || s < best * 0.6)) break;
    if (total + sentences[i].size() + 1 > max_chars && !chosen.empty()) continue;
    chosen.push_back(i);
    total += sentences[i].size() + 1;
    if (chosen.size() == 3) break;
  }
  std::sort(chosen.begin(), chosen.end());
  std::string out;
  for (size_t i : chosen) {
    if (!out.empty()) out.push_back(' ');
    out += sentences[i];
  }
  if (out.size() > max_chars) {
    size_t cut = max_chars;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out = out.substr(0, cut) + "…";
  }
  return out;
}

std::vector<std::string> SplitClauses(const std::string& text) {
  std::vector<std::string> parts(1);
  std::istringstream words(core::ReplaceAll(core::ReplaceAll(text, ",", " , "), ";", " , "));
  for (std::string w; words >> w;) {
    std::string l = core::Utf8Lower(w);
    if (l == "," || l == "and" || l == "also" || l == "y" || l == "et" || l == "und" || l == "e" ||
        l == "plus") {
      if (!parts.back().empty()) parts.emplace_back();
      continue;
    }
    if (!parts.back().empty()) parts.back() += ' ';
    parts.back() += w;
  }
  if (parts.back().empty()) parts.pop_back();
  return parts;
}

Result<std::vector<RetrievedFact>> Retrieve(db::Database& db, const std::string& text,
                                            const std::string& intent, int limit,
                                            const std::string& language,
                                            const std::vector<float>* query_vector) {
  auto concepts = Concepts(text, intent, language);
  // Topic words of the intent find entries; the guest's own words choose the sentences.
  std::vector<std::string> terms;
  for (const auto& c : concepts)
    for (const auto& t : c.terms) terms.push_back(t);
  std::string expr = FtsExpression(terms);
  // The entries of the nearest chunks, best first, with their cosine (unit vectors).
  std::vector<std::pair<db::KnowledgeRow, double>> near;
  if (query_vector && !query_vector->empty()) {
    JACK_TRY_ASSIGN(int dims, db::EmbeddingTableDimensions(db));
    if (dims == static_cast<int>(query_vector->size())) {
      JACK_TRY_ASSIGN(auto chunks, db::NearestChunks(db, *query_vector, 12));
      std::set<std::string> seen;
      for (const auto& c : chunks) {
        if (!seen.insert(c.knowledge_id).second) continue;
        JACK_TRY_ASSIGN(auto row, db::FindKnowledge(db, c.knowledge_id));
        if (!row || row->status != "active") continue;
        near.emplace_back(std::move(*row), 1.0 - c.distance * c.distance / 2.0);
      }
    }
  }
  if (expr.empty() && near.empty()) return std::vector<RetrievedFact>{};
  JACK_TRY_ASSIGN(int64_t entries, WeighConcepts(db, concepts));
  // Asked whether the hotel has something no entry names: nothing here answers it.
  const bool by_meaning = !near.empty();
  for (auto& c : concepts) {
    c.asked_thing = c.asked_thing && (c.known || !by_meaning);
    // What a yes/no question is about is checked entry by entry (an entry's keywords may
    // name it where the full-text index does not: "wifi" for "Wi-Fi").
    if (c.asked_thing && !c.subject && c.df == 0) return std::vector<RetrievedFact>{};
  }
  // The sentence weights: the rarest concept of the question counts 1.
  std::vector<std::string> own_terms;
  std::vector<double> own_weights;
  double heaviest = 0;
  for (const auto& c : concepts) heaviest = std::max(heaviest, c.weight);
  for (const auto& c : concepts)
    for (const auto& t : c.terms)
      if (c.weight > 0) {
        own_terms.push_back(t);
        own_weights.push_back(c.weight / heaviest);
      }
  if (own_terms.empty()) own_terms = terms;
  std::vector<db::KnowledgeHit> fts_hits;
  if (!expr.empty()) {
    JACK_TRY_ASSIGN(fts_hits, db::SearchKnowledgeFts(db, expr, 12));
  }
  // One candidate list: the text's hits, then the entries only the vectors found.
  std::vector<db::KnowledgeHit> candidates = std::move(fts_hits);
  const size_t from_text = candidates.size();
  std::map<std::string, double> cosines;
  std::map<std::string, size_t> vector_rank;
  for (size_t i = 0; i < near.size(); ++i) {
    const auto& [row, cosine] = near[i];
    cosines[row.id] = cosine;
    vector_rank[row.id] = i + 1;
    bool known = false;
    for (size_t j = 0; j < from_text; ++j) known = known || candidates[j].row.id == row.id;
    if (!known) {
      db::KnowledgeHit h;
      h.row = row;
      h.bm25 = 0;
      candidates.push_back(std::move(h));
    }
  }
  auto* hits = &candidates;
  double total_weight = 0;
  for (const auto& c : concepts) total_weight += c.weight;
  const double specific_idf =
      std::log((static_cast<double>(entries) + 1.0) / (0.1 * static_cast<double>(entries) + 0.5));
  std::vector<RetrievedFact> out;
  const Cue cue = QuestionCue(text);
  const bool asks_count = AsksCount(text);
  const bool explicit_ask = AsksExplicitly(cue, text);
  // Of a question that asks two things ("is the pool heated and until what time is it
  // open?"), the clause that asks the kind: the price or time asked is that clause's thing's.
  // The first term of each of its concepts; empty when the question is one clause.
  std::set<std::string> cue_clause;
  if (explicit_ask) {
    const auto clauses = SplitClauses(text);
    if (clauses.size() > 1)
      for (const auto& clause : clauses)
        if (QuestionCue(clause) == cue) {
          for (const auto& c : Concepts(clause, "", language)) cue_clause.insert(c.terms[0]);
          break;
        }
  }
  std::vector<double> text_scores;  // before any cosine: the text's own ranking
  auto tt_of = [](const std::string& t) { return core::ReplaceAll(t, "-", " "); };
  for (size_t rank = 0; rank < hits->size(); ++rank) {
    auto& h = (*hits)[rank];
    std::string title = core::Utf8Lower(h.row.title);
    std::string body = core::Utf8Lower(h.row.content);
    std::string keywords = core::Utf8Lower(h.row.keywords.value_or(""));
    double matched = 0, topic = 0, title_hits = 0;
    int held = 0;
    bool specific = false, titled = false;
    // The rarest of the guest's concepts the entry holds, when not in its title: a price or
    // time asked must be in a sentence that names it ("how much is the Lisboa Card" is not
    // answered by the metro fare beside the sentence that names the card).
    // Equally rare concepts all count; words that ask the kind ("cost", "kostet") are none.
    std::vector<std::pair<const Concept*, bool>> held_concepts;  // with: in the title
    std::set<const Concept*> in_title_or_keywords;
    bool holds_asked_thing = true;
    // A page written in another language than the question's and than English (whose words
    // the guest's concepts carry) was found by its keywords; its sentences cannot be searched
    // for the guest's words.
    const std::string page_language = h.row.language.value_or("en");
    const bool written_otherwise =
        page_language != "en" && page_language != (language.empty() ? std::string("en") : language);
    for (const auto& c : concepts) {
      bool in_title = false, in_any = false, in_title_only = false;
      for (const auto& t : c.terms) {
        in_title_only = in_title_only || ContainsTerm(title, tt_of(t)) || ContainsTerm(title, t);
        std::string tt = core::ReplaceAll(t, "-", " ");
        bool tl = ContainsTerm(title, tt) || ContainsTerm(title, t) || ContainsTerm(keywords, t);
        bool bd = ContainsTerm(body, tt) || ContainsTerm(body, t);
        in_title = in_title || tl;
        in_any = in_any || tl || bd;
      }
      // What a yes/no question is about may be said otherwise on such a page ("can the
      // children join the cooking class" of the Portuguese page): not held against it.
      if (c.asked_thing && !in_any && !(c.subject && written_otherwise)) holds_asked_thing = false;
      if (in_title) in_title_or_keywords.insert(&c);
      if (in_any) {
        if (c.weight > 0) {
          bool asks_kind = false;
          for (const auto& t : c.terms)
            asks_kind = asks_kind || QuestionCue(core::ReplaceAll(t, "~", "")) != Cue::none;
          if (!asks_kind) held_concepts.push_back({&c, in_title_only});
          titled = titled || (in_title_only && !asks_kind);
          matched += c.weight;
          ++held;
          if (c.weight >= specific_idf - 1e-9) specific = true;
        } else {
          topic = 1;
        }
      }
      if (in_title && c.weight > 0) title_hits += 1;
    }
    double coverage = total_weight > 0 ? matched / total_weight : 0;
    if (!holds_asked_thing) coverage = 0;
    // The intent's topic and a title match add to what the guest's own words cover, in
    // proportion up to 70% coverage: an entry that holds one word of "is there a shuttle to the
    // football stadium" ("shuttle") must not pass the floor on its title and topic alone.
    double bonus = 0.15 * topic + (title_hits > 0 ? 0.15 : 0);
    bonus *= std::min(1.0, coverage / 0.7);
    double score = 0.7 * coverage + bonus;
    score = std::min(1.0, score);
    RetrievedFact f;
    f.concepts = held;
    f.specific = specific;
    f.titled = titled;
    f.quote = QuoteSentences(h.row.content, own_terms, 400, text, own_weights);
    // Places are named in too many ways to check ("in Intendente", "by the river"); a count
    // ("combien de degrés", "how many spaces") is answered by any number.
    f.holds_asked_kind = cue == Cue::none || cue == Cue::place || !explicit_ask;
    if (!f.holds_asked_kind) {
      // The clause's own things, when it names any. A clause that names none ("until what
      // time is it open", "what do you charge us") asks of the question's topic: an entry
      // whose title names any of the question's things is about it.
      const bool clause_names_none =
          !cue_clause.empty() &&
          std::none_of(held_concepts.begin(), held_concepts.end(),
                       [&](const auto& held) { return cue_clause.count(held.first->terms[0]); });
      if (!cue_clause.empty() && !clause_names_none)
        std::erase_if(held_concepts,
                      [&](const auto& held) { return !cue_clause.count(held.first->terms[0]); });
      double rarest = 0;
      for (const auto& [c, in_title] : held_concepts) rarest = std::max(rarest, c->weight);
      std::vector<const Concept*> focus;
      // An entry whose title names what is asked about is about it: any of its prices is.
      // Not one whose title names a commoner word of the question ("Spa" for the price of a
      // facial, "Tours and tickets" for an Oceanário ticket's: it gives neither).
      bool topic_in_title = false;
      for (const auto& [c, in_title] : held_concepts) {
        if (c->weight >= rarest - 1e-9) focus.push_back(c);
        if (c->weight >= rarest - 1e-9 || clause_names_none)
          topic_in_title = topic_in_title || in_title;
      }
      for (const auto& sentence : SplitSentences(f.quote)) {
        std::string lower = core::Utf8Lower(sentence);
        bool kind = Answers(cue, lower) || (cue == Cue::price && asks_count &&
                                            std::any_of(lower.begin(), lower.end(), [](char ch) {
                                              return ch >= '0' && ch <= '9';
                                            }));
        auto names = [&](const Concept* c) {
          for (const auto& t : c->terms)
            if (ContainsTerm(lower, tt_of(t)) || ContainsTerm(lower, t)) return true;
          return false;
        };
        // On a page in a third language, the sentence with the kind of fact asked stands when
        // the page's title or keywords name the rarest thing asked about ("cooking class" of
        // the Portuguese page; not "chef", which a private dinner shares).
        bool focus_in_keywords = false;
        for (const Concept* c : focus)
          focus_in_keywords = focus_in_keywords || in_title_or_keywords.count(c);
        bool names_focus =
            focus.empty() || topic_in_title || (written_otherwise && focus_in_keywords);
        for (const Concept* c : focus) names_focus = names_focus || names(c);
        if (kind && names_focus) {
          f.holds_asked_kind = true;
          break;
        }
      }
    }
    f.entry = std::move(h.row);
    f.score = score;
    f.fts_rank = h.bm25;
    text_scores.push_back(score);
    if (auto it = cosines.find(f.entry.id); it != cosines.end()) {
      f.cosine = it->second;
      // Not when it lacks the thing asked for: "is there a halal option at breakfast" is
      // close in meaning to the breakfast page, which does not answer it.
      if (it->second >= kVectorMatch && holds_asked_thing)
        f.score = std::max(f.score, std::min(1.0, it->second));
    }
    out.push_back(std::move(f));
  }
  if (near.empty()) {
    std::stable_sort(out.begin(), out.end(), [](const RetrievedFact& a, const RetrievedFact& b) {
      return a.score > b.score;
    });
  } else {
    // Reciprocal rank fusion of the two rankings: by score for the text (entries holding none
    // of the guest's words are not in it), by distance for the vectors.
    std::vector<size_t> text_order(out.size());
    for (size_t i = 0; i < out.size(); ++i) text_order[i] = i;
    std::stable_sort(text_order.begin(), text_order.end(),
                     [&](size_t a, size_t b) { return text_scores[a] > text_scores[b]; });
    std::vector<double> fused(out.size(), 0.0);
    for (size_t r = 0; r < text_order.size(); ++r)
      if (text_scores[text_order[r]] > 0) fused[text_order[r]] += 1.0 / (60.0 + double(r + 1));
    for (size_t i = 0; i < out.size(); ++i)
      if (auto it = vector_rank.find(out[i].entry.id); it != vector_rank.end())
        fused[i] += 1.0 / (60.0 + double(it->second));
    std::vector<size_t> order(out.size());
    for (size_t i = 0; i < out.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return fused[a] > fused[b]; });
    std::vector<RetrievedFact> sorted;
    for (size_t i : order) sorted.push_back(std::move(out[i]));
    out = std::move(sorted);
  }
  if (static_cast<int>(out.size()) > limit) out.resize(static_cast<size_t>(limit));
  return out;
}

Result<std::vector<SearchHit>> SearchKnowledge(db::Database& db, const Embedder& embedder,
                                               const std::string& query, int limit,
                                               const std::vector<float>* query_vector) {
  constexpr double kRrf = 60;
  constexpr int kCandidates = 20;
  std::map<std::string, SearchHit> hits;
  std::vector<std::string> order;  // first seen first, for a stable result
  auto terms = QueryTerms(query, "");
  if (auto expr = FtsExpression(terms); !expr.empty()) {
    JACK_TRY_ASSIGN(auto fts, db::SearchKnowledgeFts(db, expr, kCandidates));
    for (size_t i = 0; i < fts.size(); ++i) {
      auto& h = hits[fts[i].row.id];
      if (h.entry.id.empty()) order.push_back(fts[i].row.id);
      h.entry = fts[i].row;
      h.fts_rank = fts[i].bm25;
      h.score += 1.0 / (kRrf + static_cast<double>(i + 1));
    }
  }
  JACK_TRY_ASSIGN(int dims, db::EmbeddingTableDimensions(db));
  if (dims == embedder.dimensions() && !query.empty() && (query_vector || !embedder.remote())) {
    std::vector<std::vector<float>> vecs;
    if (query_vector) {
      vecs.push_back(*query_vector);
    } else {
      JACK_TRY_ASSIGN(vecs, embedder.Embed({query}));
    }
    if (vecs.size() == 1 && static_cast<int>(vecs[0].size()) == dims) {
      JACK_TRY_ASSIGN(auto near, db::NearestChunks(db, vecs[0], kCandidates * 2));
      int rank = 0;
      for (const auto& c : near) {
        auto it = hits.find(c.knowledge_id);
        if (it != hits.end() && it->second.vector_distance) continue;  // its best chunk counted
        ++rank;
        auto& h = hits[c.knowledge_id];
        if (h.entry.id.empty()) {
          JACK_TRY_ASSIGN(auto row, db::FindKnowledge(db, c.knowledge_id));
          if (!row || row->status != "active") {
            hits.erase(c.knowledge_id);
            continue;
          }
          h.entry = *row;
          order.push_back(c.knowledge_id);
        }
        h.vector_distance = c.distance;
        h.score += 1.0 / (kRrf + rank);
        if (rank >= kCandidates) break;
      }
    }
  }
  std::vector<SearchHit> out;
  for (const auto& id : order) out.push_back(std::move(hits[id]));
  std::stable_sort(out.begin(), out.end(),
                   [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
  if (static_cast<int>(out.size()) > limit) out.resize(static_cast<size_t>(limit));
  for (auto& h : out) {
    // The answering sentences, or the first one when the match was by meaning only.
    h.snippet = QuoteSentences(h.entry.content, terms, 200, query);
  }
  return out;
}

}  // namespace jack::ai
