#include "ai/entities.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <memory>

#include "core/strings.hpp"
#include "core/time.hpp"

namespace jack::ai {
namespace {

struct ItemWord {
  const char* pattern;  // RE2, matched on lower-cased text at word boundaries
  const char* canonical;
};

// Items guests ask for, in the six languages, with the canonical English singular.
const std::vector<ItemWord>& ItemWords() {
  static const std::vector<ItemWord> w = {
      {"bath ?towels?|towels?|toallas?|serviettes?(?: de "
       "bain)?|handt(?:ü|u)ch(?:er)?|badet(?:ü|u)ch(?:er)?|asciugamani|asciugamano|toalhas?",
       "towel"},
      {"pillows?|almohadas?|oreillers?|kopfkissen|kissen|cuscini|cuscino|travesseiros?|almofadas?",
       "pillow"},
      {"blankets?|mantas?|cobijas?|couvertures?|decken?|coperte|coperta|cobertores?", "blanket"},
      {"toilet ?paper|toilet rolls?|loo roll|papel higi(?:é|e)nico|papier "
       "toilette|toilettenpapier|klopapier|carta igienica",
       "toilet_paper"},
      {"shampoos?|champ(?:ú|u)|champoing|shampooing", "shampoo"},
      {"conditioner|acondicionador|apr(?:è|e)s-shampooing|sp(?:ü|u)lung|balsamo|condicionador",
       "conditioner"},
      {"soaps?|jab(?:ó|o)n|savon|seife|sapone|sabonete", "soap"},
      {"toiletries|amenities kit|art(?:í|i)culos de aseo", "toiletries"},
      {"cribs?|cots?|cunas?|lit (?:bébé|bebe|parapluie)|babybett|kinderbett|culla|berço|berco",
       "crib"},
      {"irons?|ironing board|plancha|fer (?:à|a) repasser|b(?:ü|u)geleisen|ferro da stiro|ferro de "
       "engomar|ferro de passar",
       "iron"},
      {"hangers?|perchas?|cintres?|kleiderb(?:ü|u)gel|grucce|gruccia|cabides?", "hanger"},
      {"bathrobes?|robes?|albornoz|peignoirs?|bademantel|accappatoi[oi]|roup(?:ã|a)o", "bathrobe"},
      {"slippers|zapatillas|chaussons|pantoffeln|hausschuhe|ciabatte|chinelos", "slippers"},
      {"toothbrush(?:es)?|cepillo de dientes|brosse (?:à|a) "
       "dents|zahnb(?:ü|u)rste|spazzolino|escova de dentes",
       "toothbrush"},
      {"toothpaste|pasta de dientes|dentifrice|zahnpasta|dentifricio|pasta de dentes",
       "toothpaste"},
      {"sheets|bed linen|linens?|s(?:á|a)banas|draps|bettw(?:ä|a)sche|lenzuola|len(?:ç|c)(?:ó|o)is",
       "linen"},
      {"extra bed|rollaway|cama supletoria|lit d'appoint|zustellbett|letto aggiuntivo|cama extra",
       "extra_bed"},
      {"water bottles?|bottles? of water|agua|eau|wasser|acqua|(?:á|a)gua", "water"},
      {"hair ?dryer|secador|s(?:è|e)che-cheveux|f(?:ö|o)hn|haartrockner|asciugacapelli",
       "hair_dryer"},
      {"cappuccinos?|cappuccini", "cappuccino"},
      {"coffees?|caf(?:é|e)s?|kaffee", "coffee"},
      // Only the accented "té" / "thé": unaccented they are "te" (Spanish "you") and "the".
      {"teas?|té|thé", "tea"},
      {"club sandwich(?:es)?|sandwich(?:es)?|s(?:á|a)ndwich|bocadillos?|panini|tramezzin[oi]",
       "sandwich"},
      {"burgers?|hamburgers?|hamburguesas?", "burger"},
      {"pizzas?", "pizza"},
      {"cokes?|coca-cola|sodas?", "soda"},
      {"beers?|cervezas?|bi(?:è|e)res?|biere|birre|cervejas?", "beer"},
      {"prosecco|champagne|cava|sekt", "sparkling_wine"},
      {"wine|vino|vin|wein|vinho", "wine"},
      {"glasses|vasos|copas|verres|gl(?:ä|a)ser|bicchieri|copos", "glass"},
      {"ice|hielo|gla(?:ç|c)ons|eisw(?:ü|u)rfel|ghiaccio|gelo", "ice"},
      {"breakfast|desayuno|petit[- ]d(?:é|e)jeuner|fr(?:ü|u)hst(?:ü|u)ck|colazione|pequeno[- "
       "]almo(?:ç|c)o",
       "breakfast"},
      {"flowers|flores|fleurs|blumen|fiori", "flowers"},
      {"cake|tarta|pastel|g(?:â|a)teau|kuchen|torte|torta|bolo", "cake"},
      {"adapters?|adaptador|adaptateur|adapter|adattatore", "adapter"},
      {"chargers?|cargador|chargeur|ladeger(?:ä|a)t|caricatore|carregador", "charger"},
      {"umbrellas?|paraguas|parapluie|regenschirm|ombrello|guarda-chuva", "umbrella"},
  };
  return w;
}

const std::map<std::string, int>& NumberWords() {
  static const std::map<std::string, int> m = {
      {"a", 1},       {"an", 1},     {"one", 1},    {"two", 2},   {"three", 3}, {"four", 4},
      {"five", 5},    {"six", 6},    {"seven", 7},  {"eight", 8}, {"nine", 9},  {"ten", 10},
      {"couple", 2},  {"pair", 2},   {"few", 3},    {"un", 1},    {"una", 1},   {"uno", 1},
      {"dos", 2},     {"tres", 3},   {"cuatro", 4}, {"cinco", 5}, {"une", 1},   {"deux", 2},
      {"trois", 3},   {"quatre", 4}, {"cinq", 5},   {"ein", 1},   {"eine", 1},  {"einen", 1},
      {"zwei", 2},    {"drei", 3},   {"vier", 4},   {"fünf", 5},  {"due", 2},   {"tre", 3},
      {"quattro", 4}, {"um", 1},     {"uma", 1},    {"dois", 2},  {"duas", 2},  {"três", 3},
      {"quatro", 4},  {"some", 0},   {"more", 0},   {"extra", 0}, {"más", 0},   {"plus", 0},
      {"noch", 0},    {"altri", 0},  {"altre", 0},  {"mais", 0}};
  return m;
}

std::string Pad2(int v) {
  char b[8];
  std::snprintf(b, sizeof b, "%02d", v);
  return b;
}

// The word just before byte offset `pos` in `s` (skipping "of", "more", "extra" fillers).
std::optional<int> QuantityBefore(const std::string& s, size_t pos, std::string& matched) {
  std::vector<std::string> words;
  size_t end = pos;
  for (int k = 0; k < 4 && end > 0; ++k) {
    while (end > 0 && s[end - 1] == ' ') --end;
    size_t start = end;
    while (start > 0 && s[start - 1] != ' ') --start;
    if (start == end) break;
    words.push_back(s.substr(start, end - start));
    end = start;
  }
  for (const auto& w : words) {
    if (!w.empty() && std::all_of(w.begin(), w.end(), ::isdigit) && w.size() <= 2) {
      matched = w;
      return std::stoi(w);
    }
    auto it = NumberWords().find(w);
    if (it != NumberWords().end()) {
      if (it->second > 0) {
        matched = w;
        return it->second;
      }
      continue;  // filler such as "more", "extra"
    }
    if (w == "of" || w == "de" || w == "bath" || w == "clean" || w == "fresh" || w == "new" ||
        w == "big" || w == "large" || w == "small" || w == "additional" || w == "spare" ||
        w == "feather" || w == "foam" || w == "synthetic")
      continue;
    break;
  }
  return std::nullopt;
}

}  // namespace

Entities ExtractEntities(const std::string& raw, const std::string& today, int weekday) {
  Entities out;
  std::string s = core::Utf8Lower(raw);

  // Items and their quantities.
  std::string padded = " " + s + " ";
  static const std::vector<std::unique_ptr<RE2>> item_res = [] {
    std::vector<std::unique_ptr<RE2>> v;
    for (const auto& iw : ItemWords())
      v.push_back(
          std::make_unique<RE2>(std::string("(?:^|[^\\pL])(") + iw.pattern + ")(?:[^\\pL]|$)"));
    return v;
  }();
  for (size_t ii = 0; ii < ItemWords().size(); ++ii) {
    const auto& iw = ItemWords()[ii];
    re2::StringPiece input(padded), m;
    if (RE2::PartialMatch(input, *item_res[ii], &m)) {
      size_t pos = static_cast<size_t>(m.data() - padded.data());
      // skip items already covered ("bath towels" vs "towels")
      bool dup = std::any_of(out.items.begin(), out.items.end(),
                             [&](const ItemRequest& r) { return r.item == iw.canonical; });
      if (dup) continue;
      ItemRequest ir{iw.canonical, 1, std::string(m.data(), m.size())};
      std::string qword;
      if (auto q = QuantityBefore(padded, pos, qword)) {
        ir.quantity = *q;
        out.all.push_back({"quantity", "", *q, qword});
      }
      out.items.push_back(ir);
      out.all.push_back({"item", ir.item, 0, ir.text});
    }
  }
  // Drinks and glasses are often named together; water is also "hot water" (a maintenance issue).
  if (std::any_of(out.items.begin(), out.items.end(), [](auto& i) { return i.item == "water"; })) {
    static const RE2 hot(
        "(hot|warm|cold|caliente|chaude|warmes|calda|quente)\\s+(water|agua|eau|wasser|acqua|água)|"
        "no (hot )?water|(water|eau|agua|wasser|acqua|água)\\s+(leak|fuite|fuga|tropft|perde)");
    if (RE2::PartialMatch(s, hot)) {
      out.items.erase(std::remove_if(out.items.begin(), out.items.end(),
                                     [](auto& i) { return i.item == "water"; }),
                      out.items.end());
      out.all.erase(std::remove_if(out.all.begin(), out.all.end(),
                                   [](auto& e) { return e.type == "item" && e.value == "water"; }),
                    out.all.end());
    }
  }

  // Room number.
  static const RE2 room_kw(
      "(?:room|rm|habitaci(?:ó|o)n|hab\\.?|chambre|zimmer|zi\\.|camera|stanza|quarto|suite|"
      "apartamento)\\s*(?:n(?:o|º|°|r)\\.?\\s*|number\\s*|#\\s*|número\\s*|numero\\s*)?(\\d{1,5}[a-"
      "z]?)\\b");
  static const RE2 room_hash("#(\\d{2,5})\\b");
  std::string room;
  re2::StringPiece sp(s);
  if (RE2::PartialMatch(sp, room_kw, &room) || RE2::PartialMatch(sp, room_hash, &room)) {
    out.room_number = room;
  } else {
    re2::StringPiece full;
    static const RE2 room_to_full(
        "((?:up "
        "to|to|in|into|for)\\s+#?(\\d{3,4})\\b(?:\\s*(?:am|pm|h\\b|:|o'clock|uhr|people|persons|"
        "guests|euros?|dollars?|min))?)");
    std::string whole, num;
    if (RE2::PartialMatch(sp, room_to_full, &whole, &num)) {
      bool timeish =
          whole.find("am") != std::string::npos || whole.find("pm") != std::string::npos ||
          whole.find(':') != std::string::npos || whole.find("people") != std::string::npos ||
          whole.find("h") == whole.size() - 1 || whole.find("uhr") != std::string::npos ||
          whole.find("o'clock") != std::string::npos || whole.find("euro") != std::string::npos ||
          whole.find("dollar") != std::string::npos || whole.find("min") != std::string::npos ||
          whole.find("guests") != std::string::npos || whole.find("persons") != std::string::npos;
      if (!timeish) out.room_number = num;
    }
  }
  if (out.room_number) out.all.push_back({"room_number", *out.room_number, 0, *out.room_number});

  // Time.
  static const RE2 t_colon("(?:^|[^\\d])(\\d{1,2})[:.h](\\d{2})\\s*(am|pm|a\\.m\\.|p\\.m\\.)?");
  static const RE2 t_ampm("(?:^|[^\\d:])(\\d{1,2})\\s*(am|pm|a\\.m\\.|p\\.m\\.|uhr|h\\b|o'clock)");
  static const RE2 t_at(
      "(?:\\bat|\\bby|\\bum|a las|alle|às|à|vers|pour)\\s+(\\d{1,2})\\b(?:[^:\\d]|$)");
  static const RE2 t_half(
      "half past (one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\\d{1,2})");
  static const RE2 t_quarter(
      "quarter (past|to) "
      "(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\\d{1,2})");
  static const std::map<std::string, int> hour_words = {
      {"one", 1},   {"two", 2},   {"three", 3}, {"four", 4}, {"five", 5},    {"six", 6},
      {"seven", 7}, {"eight", 8}, {"nine", 9},  {"ten", 10}, {"eleven", 11}, {"twelve", 12}};
  auto hour_of = [&](const std::string& w) {
    auto it = hour_words.find(w);
    return it != hour_words.end() ? it->second : std::atoi(w.c_str());
  };
  static const RE2 noon_re("\\bnoon\\b|midday|mediod(?:í|i)a|midi\\b|mittag|mezzogiorno|meio-dia");
  static const RE2 evening_re(
      "tonight|this evening|evening|noche|soir|abend|sera|noite|dinner|cena|dîner");
  bool evening = RE2::PartialMatch(s, evening_re);
  int hh = -1, mm = 0;
  std::string a, b, c;
  std::string time_text;
  if (RE2::PartialMatch(s, t_colon, &a, &b, &c)) {
    hh = std::atoi(a.c_str());
    mm = std::atoi(b.c_str());
    time_text = a + ":" + b + c;
    if ((c == "pm" || c == "p.m.") && hh < 12) hh += 12;
    if ((c == "am" || c == "a.m.") && hh == 12) hh = 0;
  } else if (RE2::PartialMatch(s, t_ampm, &a, &c)) {
    hh = std::atoi(a.c_str());
    time_text = a + c;
    if ((c == "pm" || c == "p.m.") && hh < 12) hh += 12;
    if ((c == "am" || c == "a.m.") && hh == 12) hh = 0;
    if (c != "am" && c != "a.m." && c != "pm" && c != "p.m." && evening && hh < 12) hh += 12;
  } else if (RE2::PartialMatch(s, t_half, &a)) {
    hh = hour_of(a);
    mm = 30;
    time_text = "half past " + a;
    if (evening && hh < 12) hh += 12;
  } else if (RE2::PartialMatch(s, t_quarter, &b, &a)) {
    hh = hour_of(a);
    mm = b == "past" ? 15 : 45;
    if (b == "to") hh = (hh + 23) % 24;
    time_text = "quarter " + b + " " + a;
    if (evening && hh < 12) hh += 12;
  } else if (RE2::PartialMatch(s, t_at, &a)) {
    hh = std::atoi(a.c_str());
    time_text = a;
    if (evening && hh < 12) hh += 12;
  } else if (RE2::PartialMatch(s, noon_re)) {
    hh = 12;
    time_text = "noon";
  }
  if (hh >= 0 && hh < 24 && mm >= 0 && mm < 60) {
    out.time = Pad2(hh) + ":" + Pad2(mm);
    out.all.push_back({"time", *out.time, 0, time_text});
  }

  // Date.
  auto today_days = core::DateToDays(today);
  if (today_days) {
    std::optional<int> offset;
    std::string dtext;
    static const RE2 d_today(
        "(today|tonight|this (?:morning|afternoon|evening)|hoy|esta noche|aujourd'hui|ce "
        "soir|heute|stasera|oggi|hoje|esta noite)");
    static const RE2 d_day_after(
        "(day after tomorrow|pasado "
        "ma(?:ñ|n)ana|apr(?:è|e)s-demain|(?:ü|u)bermorgen|dopodomani|depois de amanh(?:ã|a))");
    static const RE2 tomorrow1("(tomorrow|demain|domani|amanh(?:ã|a)|morgen)");
    static const RE2 tomorrow2("(ma(?:ñ|n)ana)\\b(?:\\s+(?:por|a|en)\\b)");
    static const RE2 tomorrow3("(?:para|hasta|de)\\s+(ma(?:ñ|n)ana)");
    std::string m1;
    if (RE2::PartialMatch(s, d_day_after, &m1)) {
      offset = 2;
      dtext = m1;
    } else if (RE2::PartialMatch(s, tomorrow1, &m1) || RE2::PartialMatch(s, tomorrow2, &m1) ||
               RE2::PartialMatch(s, tomorrow3, &m1)) {
      offset = 1;
      dtext = m1;
    } else if (RE2::PartialMatch(s, d_today, &m1)) {
      offset = 0;
      dtext = m1;
    } else {
      static const std::vector<std::pair<std::string, int>> days = {
          {"sunday|domingo|dimanche|sonntag|domenica", 0},
          {"monday|lunes|lundi|montag|luned(?:ì|i)|segunda", 1},
          {"tuesday|martes|mardi|dienstag|marted(?:ì|i)|ter(?:ç|c)a", 2},
          {"wednesday|mi(?:é|e)rcoles|mercredi|mittwoch|mercoled(?:ì|i)|quarta", 3},
          {"thursday|jueves|jeudi|donnerstag|gioved(?:ì|i)|quinta", 4},
          {"friday|viernes|vendredi|freitag|venerd(?:ì|i)|sexta", 5},
          {"saturday|s(?:á|a)bado|samedi|samstag|sabato", 6}};
      static const std::vector<std::unique_ptr<RE2>> day_res = [] {
        std::vector<std::unique_ptr<RE2>> v;
        for (const auto& [pat, wd] : days)
          v.push_back(std::make_unique<RE2>("\\b(" + pat + ")\\b"));
        return v;
      }();
      for (size_t di = 0; di < days.size(); ++di) {
        if (RE2::PartialMatch(s, *day_res[di], &m1)) {
          offset = (days[di].second - weekday + 7) % 7;
          dtext = m1;
          break;
        }
      }
    }
    if (offset) {
      out.date = core::DaysToDate(*today_days + *offset);
      out.all.push_back({"date", *out.date, 0, dtext});
    }
  }

  // Party size.
  static const RE2 party(
      "(?:table "
      "for|for|para|pour|f(?:ü|u)r|per)\\s+(\\d{1,2}|two|three|four|five|six|seven|eight|dos|tres|"
      "cuatro|deux|trois|quatre|zwei|drei|vier|due|tre|quattro|dois|duas|três)\\s*(people|persons|"
      "guests|adults|personas|personnes|personen|persone|pessoas|pax)?");
  std::string n, unit;
  if (RE2::PartialMatch(s, party, &n, &unit) &&
      (!unit.empty() || s.find("table") != std::string::npos ||
       s.find("mesa") != std::string::npos || s.find("tisch") != std::string::npos ||
       s.find("tavolo") != std::string::npos)) {
    int v = std::isdigit(static_cast<unsigned char>(n[0])) ? std::atoi(n.c_str()) : 0;
    if (!v) {
      auto it = NumberWords().find(n);
      if (it != NumberWords().end()) v = it->second;
    }
    if (v > 0) {
      out.party_size = v;
      out.all.push_back({"party_size", "", v, n});
    }
  }
  return out;
}

std::optional<std::string> RoomNumberAnswer(const std::string& raw) {
  std::string s = core::Utf8Lower(core::Trim(raw));
  static const RE2 re(
      "^(?:(?:it'?s|its|i'?m in|we'?re in|in|room|rm|my room is|the room "
      "is|habitaci(?:ó|o)n|chambre|zimmer|camera|quarto|es la|c'est la)\\s*)*"
      "(?:n(?:o|º|°|r)\\.?\\s*|#\\s*)?(\\d{1,5}[a-z]?)[.!]?$");
  std::string room;
  if (RE2::FullMatch(s, re, &room)) return room;
  return std::nullopt;
}

std::string EntitiesJson(const Entities& e) {
  boost::json::array arr;
  for (const auto& en : e.all) {
    boost::json::object o{{"type", en.type}, {"text", en.text}};
    if (en.type == "quantity" || en.type == "party_size") {
      o["value"] = en.number;
    } else {
      o["value"] = en.value;
    }
    arr.push_back(std::move(o));
  }
  return boost::json::serialize(arr);
}

}  // namespace jack::ai
