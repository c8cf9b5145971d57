#include "ai/pipeline.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <set>
#include <sstream>

#include "ai/language.hpp"
#include "ai/rules.hpp"
#include "ai/templates.hpp"
#include "ai/training_data.hpp"
#include "core/ids.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "db/repositories.hpp"
#include "domain/conversations.hpp"
#include "domain/json_columns.hpp"
#include "domain/settings.hpp"
#include "domain/tasks.hpp"

namespace jack::ai {
namespace json = boost::json;
using domain::Ctx;

namespace {

std::string DepartmentFor(const std::string& intent, const std::string& text) {
  if (intent == "complaint.noise") {
    static const RE2 equipment(
        "air ?con|\\bac\\b|a/c|fan\\b|fridge|minibar|pipes?|heater|"
        "heating|radiator|elevator|lift|machine|generator|ventila|"
        "aire acondicionado|climatisation|klimaanlage|condizionatore");
    return RE2::PartialMatch(core::Utf8Lower(text), equipment) ? "maintenance" : "front_desk";
  }
  return DepartmentOfIntent(intent);
}

std::string PriorityFor(const std::string& intent, const std::string& department,
                        const std::string& text) {
  if (core::StartsWith(intent, "emergency")) return "urgent";
  if (core::StartsWith(intent, "complaint")) return "high";
  if (department == "maintenance") return "high";
  if (intent == "request.dnd") return "low";
  if (department == "front_desk") {
    static const RE2 room_change(
        "room change|change (?:my |our |the )?room|another room|"
        "different room|move (?:to|rooms)|quieter room|switch rooms?");
    if (RE2::PartialMatch(core::Utf8Lower(text), room_change)) return "high";
  }
  return "standard";
}

json::object Meta(const db::ConversationRow& c) {
  boost::system::error_code ec;
  auto v = json::parse(c.metadata, ec);
  if (ec || !v.is_object()) return {};
  return v.as_object();
}

int64_t MetaInt(const json::object& m, const char* k) {
  const auto* v = m.if_contains(k);
  return v && v->is_int64() ? v->as_int64() : 0;
}

std::set<std::string> TokenSet(const std::string& text) {
  std::istringstream in(ModelText(text));
  std::set<std::string> out;
  std::string w;
  while (in >> w) {
    if (w.size() > 2) out.insert(w);
  }
  return out;
}

double Jaccard(const std::set<std::string>& a, const std::set<std::string>& b) {
  if (a.empty() || b.empty()) return 0;
  size_t inter = 0;
  for (const auto& w : a) inter += b.count(w);
  return static_cast<double>(inter) / static_cast<double>(a.size() + b.size() - inter);
}

std::string LangName(const Templates& t, const std::string& reply_lang, const std::string& code) {
  std::string name = t.Render(reply_lang, "lang_" + code);
  return name.empty() ? code : name;
}

// "2 sandwiches", "2 glasses", "2 bottles of water": the plural of a canonical item name.
std::string EnglishPlural(const std::string& word) {
  static const std::set<std::string> uncounted = {"ice", "slippers", "toiletries", "flowers",
                                                  "linen"};
  if (word == "water") return "bottles of water";
  if (uncounted.count(word)) return word;
  auto ends = [&](std::string_view e) {
    return word.size() >= e.size() && word.compare(word.size() - e.size(), e.size(), e) == 0;
  };
  if (ends("ch") || ends("sh") || ends("s") || ends("x")) return word + "es";
  return word + "s";
}

std::string WhatText(const Entities& e, const std::string& lang) {
  if (e.items.empty()) {
    if (lang == "es") return "lo que ha pedido";
    if (lang == "fr") return "ce que vous avez demandé";
    if (lang == "de") return "das Gewünschte";
    if (lang == "it") return "quanto richiesto";
    if (lang == "pt") return "o que pediu";
    return "what you asked for";
  }
  std::vector<std::string> parts;
  for (const auto& i : e.items) {
    std::string word = i.text;
    if (lang == "en") {
      word = core::ReplaceAll(i.item, "_", " ");
      // "the towels": plural without a number.
      bool plural_word = i.text.size() > 1 && i.text.back() == 's' && i.text != word;
      if (i.quantity > 1 || plural_word) word = EnglishPlural(word);
    } else if (lang == "de" && !word.empty() && word[0] >= 'a' && word[0] <= 'z') {
      word[0] = static_cast<char>(word[0] - 'a' + 'A');  // German nouns are capitalised
    }
    parts.push_back(i.quantity > 1 ? std::to_string(i.quantity) + " " + word : word);
  }
  std::string sep = lang == "en"   ? " and "
                    : lang == "es" ? " y "
                    : lang == "fr" ? " et "
                    : lang == "de" ? " und "
                    : lang == "it" ? " e "
                                   : " e ";
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += (i + 1 == parts.size()) ? sep : ", ";
    out += parts[i];
  }
  return out;
}

// When the department words of `text` point to another department than the model's request,
// the model's best request of that department (among its top five) is taken instead.
void PreferDepartmentOfWords(Classification& c, const LexiconHit& lex) {
  if (c.family != "request" || lex.hits == 0 || lex.department == DepartmentOfIntent(c.intent))
    return;
  for (const auto& alt : c.top) {
    if (FamilyOf(alt.intent) == "request" && DepartmentOfIntent(alt.intent) == lex.department) {
      c.intent = alt.intent;
      return;
    }
  }
}

// The reply quoting a knowledge fact, with a word on its language when it is not the reply's.
std::string KnowledgeReply(const Templates& T, const std::string& reply_lang,
                           const RetrievedFact& f) {
  std::string entry_lang = f.entry.language.value_or("en");
  if (entry_lang == reply_lang) return T.Render(reply_lang, "kb_answer", {{"fact", f.quote}});
  return T.Render(reply_lang, "kb_answer_other_language",
                  {{"fact", f.quote}, {"language", LangName(T, reply_lang, entry_lang)}});
}

std::string EmergencyNumber(Ctx& ctx) {
  auto facts = Retrieve(ctx.db, "emergency number", "inquiry.contact", 3);
  if (facts) {
    static const RE2 number("\\b(112|911|999|000|110|118|119|100|101|102|15|17|18)\\b");
    for (const auto& f : *facts) {
      std::string n;
      if (RE2::PartialMatch(f.entry.content, number, &n)) return n;
    }
  }
  return domain::Setting(ctx, "hotel.emergency_number");
}

std::optional<std::string> DueAt(Ctx& ctx, const Entities& e) {
  if (!e.time) return std::nullopt;
  std::string zone = domain::Setting(ctx, "hotel.timezone");
  auto local = core::ToLocal(ctx.clock.Now(), zone);
  int minutes = std::stoi(e.time->substr(0, 2)) * 60 + std::stoi(e.time->substr(3, 2));
  std::string date = e.date.value_or(local.date);
  if (!e.date && minutes <= local.minutes) date = core::DaysToDate(*core::DateToDays(date) + 1);
  return core::FormatIso(core::FromLocal(date, minutes, zone));
}

struct Plan {
  std::string reply;  // text to send, empty for none
  bool reply_is_system = false;
  std::vector<db::TaskRow> new_tasks;
  std::vector<std::string> escalate;  // reasons
  bool awaiting_room = false;
  bool financial = false;  // the reply tells the guest's balance (messages.sensitivity)
  // "make it three": a pending task of this conversation and its new items (audited).
  std::optional<std::pair<db::TaskRow, std::string>> task_items;
};

}  // namespace

Result<std::shared_ptr<const Engine>> Engine::LoadEmbedded(std::shared_ptr<const Embedder> embedder,
                                                           std::shared_ptr<const ChatModel> chat) {
  auto c = IntentClassifier::LoadEmbedded();
  if (!c) return c.error();
  auto e = std::make_shared<Engine>();
  e->classifier = *c;
  e->embedder = embedder ? std::move(embedder) : std::make_shared<LocalHashEmbedder>();
  e->chat = std::move(chat);
  // Compile every static pattern now, not on the first guest's message.
  (void)e->classifier->Classify("warm up");
  (void)ExtractEntities("two towels to room 12 at 7am tomorrow, friday", "2026-01-01", 4);
  (void)EmergencyRule("warm up");
  (void)HumanRequestRule("warm up");
  (void)RudeStaffRule("warm up");
  (void)SafetyHazardRule("warm up");
  (void)BillingDisputeRule("warm up");
  (void)RepeatClaimRule("warm up");
  (void)StronglyNegativeRule("warm up");
  (void)FaultReportRule("warm up");
  (void)DangerRule("warm up");
  (void)PestRule("warm up");
  (void)NoiseRule("warm up");
  (void)DepartmentLexicon("warm up");
  (void)RoomNumberAnswer("412");
  (void)Templates::Embedded();
  return std::shared_ptr<const Engine>(e);
}

// A knowledge match this good (share of the question's weighted concepts, with the topic and
// title bonuses) makes a question a question about the hotel.
constexpr double kStrongKnowledge = 0.7;
// Half of the guest's weighted concepts held: enough to back an unsure reading of the model,
// not enough alone.
constexpr double kHalfKnowledge = 0.5;

// The model's best reading (of its top five) whose family is one of `families` and whose
// intent is none of `except`, or null.
static const IntentScore* BestReadingOf(const Classification& cls,
                                        std::initializer_list<std::string_view> families,
                                        std::initializer_list<std::string_view> except = {}) {
  for (const auto& alt : cls.top) {
    const std::string f = FamilyOf(alt.intent);
    if (std::find(families.begin(), families.end(), f) == families.end()) continue;
    if (std::find(except.begin(), except.end(), alt.intent) != except.end()) continue;
    return &alt;
  }
  return nullptr;
}

Analysis Analyse(Ctx& ctx, const Engine& engine, const std::string& text,
                 const std::string& fallback_language) {
  Analysis a;
  auto lang = DetectLanguage(text, fallback_language);
  a.language = lang.code;
  a.language_reliable = lang.reliable;
  auto cls = engine.classifier->Classify(text);
  a.intent = cls.intent;
  a.family = cls.family;
  a.confidence = cls.confidence;
  if (auto em = EmergencyRule(text)) {
    if (a.family != "emergency") a.intent = *em;
    a.family = "emergency";
    a.confidence = 1.0;
    a.rule = "emergency";
  } else if (HumanRequestRule(text)) {
    a.intent = "human_request";
    a.family = "human_request";
    a.confidence = 1.0;
    a.rule = "human_request";
  } else if (a.family == "emergency" && SafetyHazardRule(text)) {
    // Pests or mould that the model took for an emergency (no emergency words matched): a
    // health complaint, which escalates as such. Any other emergency of the model stands.
    a.intent = "complaint.safety";
    a.family = "complaint";
  } else if (a.family == "feedback" && DispleasureRule(text)) {
    // Displeasure is no compliment: the model's best complaint, else one about service.
    const auto* best = BestReadingOf(cls, {"complaint"});
    a.intent = best ? best->intent : "complaint.service";
    a.family = "complaint";
  } else if (TheftRule(text) && a.family != "emergency") {
    // Theft (by staff or anyone): a safety complaint, which a person takes over at once.
    a.intent = "complaint.safety";
    a.family = "complaint";
    a.confidence = std::max(a.confidence, 0.75);
    a.rule = "theft";
  } else if (a.family == "complaint" && !StatedPreferences(text).empty() &&
             !DispleasureRule(text) && !StronglyNegativeRule(text) && !SafetyHazardRule(text) &&
             !BillingDisputeRule(text) && !RudeStaffRule(text)) {
    // "I'm vegetarian and prefer a quiet room": a preference stated, not a complaint (the
    // model hears quiet rooms and diets in complaints); the best reading that is no
    // complaint, and the preference note answers it.
    if (const auto* best = BestReadingOf(cls, {"inquiry", "request", "greeting", "thanks"})) {
      a.intent = best->intent;
      a.family = FamilyOf(a.intent);
    }
  } else if (BillingDisputeRule(text) &&
             (a.family == "complaint" || ((a.family == "out_of_scope" || a.family == "inquiry") &&
                                          text.find('?') == std::string::npos))) {
    // A billing dispute stated, not asked about ("is there a refund policy?" stays a question).
    a.family = "complaint";
    a.intent = "complaint.billing";
  } else if (a.family == "complaint" && RudeStaffRule(text)) {
    a.intent = "complaint.service";
  }
  // "Tell me a joke": no department's work, whatever the model made of "tell me".
  if (a.rule.empty() && a.family != "emergency" && EntertainmentRule(text)) {
    a.intent = "out_of_scope";
    a.family = "out_of_scope";
    a.confidence = std::max(a.confidence, 0.75);
    a.rule = "entertainment";
  }
  // A question for information that the model took for a request: the model's best question
  // about the hotel (no task; below the threshold a person answers).
  if (a.rule.empty() && a.family == "request" && InformationQuestionRule(text)) {
    if (const auto* best = BestReadingOf(cls, {"inquiry"})) {
      a.intent = best->intent;
      a.family = "inquiry";
      a.confidence = best->probability;
    }
  }
  // Noise, or pests, told and not asked about ("sirens and traffic all night", "saw a rat in
  // the garden", "lovely room, but ants in the bathroom") that the model took for a question,
  // a request or a remark: a complaint (pests are a health hazard, which escalates).
  if (a.rule.empty() && (a.family == "inquiry" || a.family == "request" ||
                         a.family == "out_of_scope" || a.family == "feedback")) {
    // The rare words first: most messages name neither, and the guards cost more.
    const bool pest = PestRule(text), noise = !pest && NoiseRule(text);
    if ((pest || noise) && !InformationQuestionRule(text) && !RequestCueRule(text) &&
        (!PraiseRule(text) || ContrastRule(text)) && StatedPreferences(text).empty()) {
      a.intent = pest ? "complaint.safety" : "complaint.noise";
      a.family = "complaint";
      a.confidence = std::max(a.confidence, 0.75);
    }
  }
  // A greeting taken for a farewell or the other way round: the words decide.
  if (a.rule.empty() && (a.family == "greeting" || a.family == "farewell")) {
    if (auto which = GreetingOrFarewellRule(text)) {
      a.intent = *which;
      a.family = *which;
    }
  }
  // Thanks that the model took for a request for a person ("ich danke Ihnen für die Hilfe",
  // "vi ringrazio per l'aiuto": help is thanked for, not asked for) or for praise.
  if (a.rule.empty() && (a.family == "human_request" || a.family == "feedback") &&
      GratitudeRule(text) && text.find('?') == std::string::npos && !PraiseRule(text) &&
      !DispleasureRule(text) && !RequestCueRule(text) && !HelpWordRule(text) &&
      !ContrastRule(text)) {
    a.intent = "thanks";
    a.family = "thanks";
    a.confidence = std::max(a.confidence, 0.75);
  }
  // Praise that the model took for a question, for something outside the hotel, or (unsure)
  // for a request ("abbiamo passato un soggiorno splendido", "quiet, clean, great location"):
  // a compliment, when nothing in it asks, contrasts ("lovely room, but..."), reports a
  // fault, noise, pests, a danger or a billing dispute, displeases or calls for help. Never
  // an emergency or a request for a person that the model read: those stand.
  if (a.rule.empty() &&
      (a.family == "out_of_scope" || a.family == "inquiry" ||
       (a.family == "request" && a.confidence < 0.5)) &&
      PraiseRule(text) && text.find('?') == std::string::npos && !ContrastRule(text) &&
      !DispleasureRule(text) && !FaultReportRule(text) && !RequestCueRule(text) &&
      !StronglyNegativeRule(text) && !SafetyHazardRule(text) && !PestRule(text) &&
      !NoiseRule(text) && !DangerRule(text) && !BillingDisputeRule(text) && !RudeStaffRule(text) &&
      !RepeatClaimRule(text) && !HelpWordRule(text)) {
    a.intent = "feedback.compliment";
    a.family = "feedback";
  }
  // A fault told plainly ("the curtains are stuck", "la bombilla se ha fundido") that the
  // model took for a complaint about cleanliness, noise or service: a request for
  // maintenance. A complaint stays one when the guest is displeased, says it again, or names
  // a hazard or a danger; a safety complaint always does (it escalates: a loose railing is
  // not to be queued as a repair on the model's word alone).
  // Its department is maintenance, or the front desk when its words say so (key cards),
  // not housekeeping ("the wardrobe door has fallen off" names housekeeping's wardrobe).
  bool fault_told = false;
  if (a.rule.empty() && a.family == "complaint" && a.intent != "complaint.maintenance" &&
      a.intent != "complaint.safety" && FaultReportRule(text) && !DispleasureRule(text) &&
      !RepeatClaimRule(text) && !SafetyHazardRule(text) && !DangerRule(text) &&
      !StronglyNegativeRule(text)) {
    a.intent = "request.maintenance";
    a.family = "request";
    a.confidence = std::max(a.confidence, 0.75);
    fault_told = true;
  }
  // Two independent signals that agree are surer than either: when the department words of
  // the message point where the model's request or complaint points, combine them (noisy-OR,
  // the word list counted as a 60%-reliable witness).
  // When they disagree on the department of a request, the model's best intent of the
  // word list's department wins if the model ranks it among its top five.
  // "The TV is broken" read as a question about the TV: a fault report is a maintenance
  // request whatever the model thought it asked.
  // An unsure request or complaint that reports a fault is one for maintenance.
  if (a.rule.empty() &&
      (a.family == "inquiry" ||
       ((a.family == "request" || a.family == "complaint") && a.confidence < 0.7)) &&
      FaultReportRule(text)) {
    a.intent = a.family == "complaint" ? "complaint.maintenance" : "request.maintenance";
    a.family = FamilyOf(a.intent);
    a.confidence = std::max(a.confidence, 0.75);
  }
  // The model put it outside the hotel but ranked a request among its top five (3% or more),
  // and it asks for something that a department's words name ("can you bring some body
  // lotion", "mi portate una caraffa d'acqua"): a request of that department.
  if (a.rule.empty() && a.family == "out_of_scope") {
    double request_mass = 0;
    for (const auto& alt : cls.top)
      if (FamilyOf(alt.intent) == "request") request_mass += alt.probability;
    auto lex = DepartmentLexicon(text);
    if (request_mass >= 0.03 && lex.hits > 0 && RequestCueRule(text)) {
      a.intent = lex.department == "housekeeping"   ? "request.housekeeping"
                 : lex.department == "maintenance"  ? "request.maintenance"
                 : lex.department == "room_service" ? "request.room_service"
                 : lex.department == "concierge"    ? "request.concierge"
                                                    : "request.front_desk";
      a.family = "request";
      a.confidence = std::max(a.confidence, 0.75);
    }
  }
  if (a.rule.empty() && (a.family == "request" || a.family == "complaint")) {
    auto lex = DepartmentLexicon(text);
    if (fault_told) {
      if (lex.hits > 0 && lex.department == "front_desk") a.intent = "request.front_desk";
    } else if (a.family == "request") {
      Classification c = cls;
      c.intent = a.intent;
      c.family = a.family;
      PreferDepartmentOfWords(c, lex);
      a.intent = c.intent;
    }
    if (lex.hits > 0 && lex.department == DepartmentOfIntent(a.intent))
      a.confidence = 1.0 - (1.0 - a.confidence) * 0.4;
  }
  auto local = core::ToLocal(ctx.clock.Now(), domain::Setting(ctx, "hotel.timezone"));
  a.entities = ExtractEntities(text, local.date, local.weekday);
  const bool stay_data = a.intent == "inquiry.reservation" || a.intent == "inquiry.billing";
  if (a.family == "inquiry" && !stay_data) {
    auto facts = Retrieve(ctx.db, text, a.intent, 3, a.language);
    if (facts) a.facts = std::move(*facts);
  }
  // A question that the model took for one outside the hotel, or for one about the guest's
  // bill or booking when it names none ("do kids under four pay?"), or that it was unsure
  // of, is a question about the hotel when its knowledge answers it well: the knowledge is a
  // second witness (noisy-OR, as for the department words).
  if (a.rule.empty() && (a.family == "out_of_scope" || a.family == "inquiry")) {
    const bool rescue = (a.family == "out_of_scope" || stay_data) && !PersonalStayRule(text);
    if (rescue) {
      auto facts = Retrieve(ctx.db, text, "", 3, a.language);
      // Two of the guest's words at least: one ("where do eggs come from") is chance.
      // Or three of them at a lesser match, one of them in the entry's title ("the credit
      // limit on my Visa card" holds three words of the payment page, none its title's).
      if (facts && !facts->empty() && (*facts)[0].specific &&
          (((*facts)[0].score >= kStrongKnowledge && (*facts)[0].concepts >= 2) ||
           ((*facts)[0].score >= kHalfKnowledge && (*facts)[0].concepts >= 3 &&
            (*facts)[0].titled))) {
        a.facts = std::move(*facts);
        std::string intent = "inquiry.amenity";
        for (const auto& alt : cls.top) {
          if (FamilyOf(alt.intent) == "inquiry" && alt.intent != "inquiry.reservation" &&
              alt.intent != "inquiry.billing") {
            intent = alt.intent;
            break;
          }
        }
        a.intent = intent;
        a.family = "inquiry";
      }
    }
    // Still outside the hotel for the model, but a question about a stay's things with some
    // weight (2% of its top five) on a question about the hotel: a hotel question, which a
    // colleague answers when the knowledge does not.
    if (a.family == "out_of_scope" && rescue && HotelTopicRule(text)) {
      double inquiry_mass = 0;
      for (const auto& alt : cls.top)
        if (FamilyOf(alt.intent) == "inquiry") inquiry_mass += alt.probability;
      if (inquiry_mass >= 0.02) {
        const auto* best =
            BestReadingOf(cls, {"inquiry"}, {"inquiry.reservation", "inquiry.billing"});
        a.intent = best ? best->intent : "inquiry.amenity";
        a.family = "inquiry";
        auto facts = Retrieve(ctx.db, text, a.intent, 3, a.language);
        if (facts) a.facts = std::move(*facts);
      }
    }
    // The knowledge as a second witness that it is a question about the hotel, from half of
    // the guest's words held: a match near the floor (one or two common words) says little.
    const double floor = domain::GetSettingNumber(ctx, "ai.relevance_floor", 0.35);
    if (a.family == "inquiry" && !a.facts.empty() &&
        a.facts[0].score >= (stay_data ? kStrongKnowledge : kHalfKnowledge))
      a.confidence = 1.0 - (1.0 - a.confidence) * (1.0 - a.facts[0].score);
    // "Could we move to a quieter room?": worded as a question, but it asks the hotel to act
    // and nothing in the knowledge answers it. A department acts on it (the one whose words
    // it uses, else the front desk), where a hand-off would only say that someone will answer.
    if (a.family == "inquiry" && !stay_data && (a.facts.empty() || a.facts[0].score < floor) &&
        PoliteActionRule(text)) {
      auto lex = DepartmentLexicon(text);
      std::string intent = "request.front_desk";
      if (lex.hits > 0 && lex.department == "housekeeping") intent = "request.housekeeping";
      if (lex.hits > 0 && lex.department == "maintenance") intent = "request.maintenance";
      if (lex.hits > 0 && lex.department == "concierge") intent = "request.concierge";
      if (lex.hits > 0 && lex.department == "room_service") intent = "request.room_service";
      a.intent = intent;
      a.family = "request";
      a.facts.clear();
    }
  }
  // A question beside a request ("two towels and the wifi password please"), in either
  // order: each part of the message is classified on its own; the request makes its task and
  // the question, when the knowledge answers it well, is answered after the request's reply.
  if (a.rule.empty() && (a.family == "request" || a.family == "inquiry")) {
    const std::vector<std::string> parts = SplitClauses(text);
    if (parts.size() > 1) {
      // The question: the first part the model reads as a hotel question that the knowledge
      // answers well.
      std::optional<RetrievedFact> fact;
      size_t question = parts.size();
      for (size_t k = 0; k < parts.size() && !fact; ++k) {
        auto c = engine.classifier->Classify(parts[k]);
        if (c.family != "inquiry" || c.intent == "inquiry.reservation" ||
            c.intent == "inquiry.billing")
          continue;
        auto facts = Retrieve(ctx.db, parts[k], c.intent, 1, a.language);
        if (facts && !facts->empty() && (*facts)[0].score >= kStrongKnowledge &&
            (*facts)[0].specific && !(*facts)[0].quote.empty()) {
          fact = (*facts)[0];
          question = k;
        }
      }
      if (fact) {
        // The request: the rest of the message, read again without the question's words
        // (which pull the model elsewhere), its department words deciding between the
        // model's requests as for a whole message.
        std::string rest;
        for (size_t k = 0; k < parts.size(); ++k)
          if (k != question) rest += (rest.empty() ? "" : " ") + parts[k];
        auto c = engine.classifier->Classify(rest);
        PreferDepartmentOfWords(c, DepartmentLexicon(rest));
        if (c.family == "request" && c.confidence >= 0.7) {
          a.intent = c.intent;
          a.family = "request";
          a.confidence = std::max(a.confidence, c.confidence);
          a.facts.clear();
          a.side_fact = fact;
        } else if (a.family == "request") {
          a.side_fact = fact;
        }
        // The task's items, room and time are the request's, not the question's ("is the
        // pool open until 10?" sets no due time).
        if (a.side_fact) a.entities = ExtractEntities(rest, local.date, local.weekday);
      }
    }
  }
  return a;
}

void WarmUp(Ctx& ctx, const Engine& engine) {
  for (const char* text : {"what time is breakfast served?", "two towels to room 412 please",
                           "¿a qué hora abre la piscina?", "is the spa open on sunday"})
    (void)Analyse(ctx, engine, text, "en");
  (void)PersonalStayRule("warm up");
  (void)PoliteActionRule("warm up");
  (void)FollowUpRule("warm up");
  (void)QuantityChangeRule("warm up");
  (void)StatedPreferences("warm up");
}

bool WantsMeaningSearch(Ctx& ctx, const Engine& engine, const Analysis& a) {
  if (!engine.embedder || !engine.embedder->remote() || !a.rule.empty()) return false;
  if (a.family != "inquiry" || a.intent == "inquiry.reservation" || a.intent == "inquiry.billing")
    return false;
  const double floor = domain::GetSettingNumber(ctx, "ai.relevance_floor", 0.35);
  return a.facts.empty() || a.facts[0].score < floor;
}

Status SearchByMeaning(Ctx& ctx, Analysis& a, const std::string& text,
                       const std::vector<float>& query_vector) {
  JACK_TRY_ASSIGN(auto facts, Retrieve(ctx.db, text, a.intent, 3, a.language, &query_vector));
  // In the fused order, but a fact that clears the floor before one that does not: the reply
  // quotes the first.
  const double floor = domain::GetSettingNumber(ctx, "ai.relevance_floor", 0.35);
  std::stable_partition(facts.begin(), facts.end(),
                        [&](const RetrievedFact& f) { return f.score >= floor; });
  if (!facts.empty() && (a.facts.empty() || facts[0].score > a.facts[0].score)) {
    a.facts = std::move(facts);
    // The knowledge as a second witness that it is a hotel question, as in Analyse.
    if (a.facts[0].score >= kStrongKnowledge)
      a.confidence = 1.0 - (1.0 - a.confidence) * (1.0 - a.facts[0].score);
  }
  return {};
}

namespace {

// Families whose reply the model may write; the rest keep the local engine's.
bool ModelMayAnswer(const Analysis& a) {
  if (!a.rule.empty()) return false;
  if (a.family == "inquiry")
    return a.intent != "inquiry.reservation" && a.intent != "inquiry.billing" && !a.facts.empty();
  return a.family == "greeting" || a.family == "thanks" || a.family == "farewell" ||
         a.family == "feedback" || a.family == "out_of_scope";
}

const char* LanguageName(const std::string& code) {
  if (code == "es") return "Spanish";
  if (code == "fr") return "French";
  if (code == "de") return "German";
  if (code == "it") return "Italian";
  if (code == "pt") return "Portuguese";
  return "English";
}

}  // namespace

Result<std::optional<ChatRequest>> ModelPrompt(Ctx& ctx, const Engine& engine, const Analysis& a,
                                               const std::string& conversation_id,
                                               const std::string& content, bool verified) {
  if (!engine.chat || !ModelMayAnswer(a)) return std::optional<ChatRequest>();
  const double floor = domain::GetSettingNumber(ctx, "ai.relevance_floor", 0.35);
  if (a.family == "inquiry" && a.facts[0].score < floor) return std::optional<ChatRequest>();
  ChatRequest req;
  std::optional<db::ConversationRow> conv;
  std::optional<db::GuestRow> guest;
  std::optional<db::ReservationRow> reservation;
  if (!conversation_id.empty()) {
    JACK_TRY_ASSIGN(conv, db::FindConversation(ctx.db, conversation_id));
  }
  if (conv) {
    // The model is not asked where its answer would not be sent: staff own the conversation
    // (or it is reopened to them), or the local engine hands this message over anyway.
    bool closed = conv->state == "resolved" || conv->state == "abandoned";
    if (closed ? domain::Setting(ctx, "conversations.reopen_owner") == "staff"
               : !domain::AiOwns(*conv))
      return std::optional<ChatRequest>();
    if (a.family == "out_of_scope" && MetaInt(Meta(*conv), "oosStreak") >= 1)
      return std::optional<ChatRequest>();
  }
  if (a.confidence < domain::GetSettingNumber(ctx, "escalation.threshold", 0.7) && a.rule.empty() &&
      a.family != "out_of_scope")
    return std::optional<ChatRequest>();
  if (conv && conv->guest_id) {
    JACK_TRY_ASSIGN(guest, db::FindGuest(ctx.db, *conv->guest_id));
  }
  if (conv && conv->reservation_id && verified) {
    JACK_TRY_ASSIGN(reservation, db::FindReservation(ctx.db, *conv->reservation_id));
  }
  std::string lang = IsSupportedLanguage(a.language) ? a.language : "en";
  std::string sys;
  sys += "You are the concierge of " + domain::Setting(ctx, "hotel.name") +
         ", answering a guest in the hotel's web chat.\n";
  sys += "Rules:\n";
  sys +=
      "- Answer only from the hotel knowledge below. Never invent prices, times, policies, "
      "names or services that it does not state.\n";
  sys +=
      "- If the knowledge does not answer the question, or you are unsure, set handoff to "
      "true: a colleague will answer.\n";
  sys +=
      "- Do not promise actions (bookings, deliveries, refunds): the hotel's staff decide "
      "those.\n";
  sys += "- Reply in " + std::string(LanguageName(lang)) +
         ", warmly and briefly (at most three sentences). Quote facts as the knowledge states "
         "them, translated if needed.\n";
  sys +=
      "- Output one JSON object: {\"reply\": string, \"handoff\": boolean, \"reason\": "
      "string}.\n";
  if (guest) {
    sys += "\nGuest: " + guest->first_name;
    if (guest->vip_status && !guest->vip_status->empty()) sys += " (VIP)";
    if (guest->loyalty_tier) sys += ", loyalty tier " + *guest->loyalty_tier;
    sys += ".\n";
    if (guest->preferences != "[]" && guest->preferences != "{}")
      sys += "Known preferences (JSON): " + core::Utf8Prefix(guest->preferences, 1000) + "\n";
  }
  if (reservation)
    sys += "Stay: room " + reservation->room_number.value_or("not yet assigned") + ", " +
           reservation->room_type + ", " + reservation->arrival_date + " to " +
           reservation->departure_date + ".\n";
  if (!a.facts.empty()) {
    sys += "\nHotel knowledge (source title, then text):\n";
    for (const auto& f : a.facts) {
      if (f.score < floor) continue;
      sys += "[" + f.entry.title + "] " + core::Utf8Prefix(f.entry.content, 1500) + "\n";
    }
  }
  req.system = std::move(sys);
  if (conv) {
    JACK_TRY_ASSIGN(auto recent, db::RecentMessages(ctx.db, conv->id, 10));
    for (const auto& m : recent) {
      if (m.sensitivity) continue;  // balances and the like stay out of prompts
      req.messages.push_back(
          {m.direction == "inbound" ? "user" : "assistant", core::Utf8Prefix(m.content, 2000)});
    }
  }
  req.messages.push_back({"user", core::Utf8Prefix(content, 16000)});
  return std::optional<ChatRequest>(std::move(req));
}

std::string ConversationLanguage(Ctx& ctx, const db::ConversationRow& c) {
  json::object meta = Meta(c);
  if (const auto* ml = meta.if_contains("language"); ml && ml->is_string())
    return std::string(ml->as_string());
  if (c.guest_id) {
    auto g = db::FindGuest(ctx.db, *c.guest_id);
    if (g && *g && (*g)->language) return *(*g)->language;
  }
  return "en";
}

Result<PipelineOutcome> HandleInbound(Ctx& ctx, const Engine& engine, const InboundMessage& in) {
  auto started = std::chrono::steady_clock::now();
  const auto& T = Templates::Embedded();
  auto conv_r = db::FindConversation(ctx.db, in.conversation_id);
  if (!conv_r) return conv_r.error();
  if (!*conv_r) return Error::NotFound("conversation not found");
  PipelineOutcome out;
  out.conversation = **conv_r;
  auto& conv = out.conversation;
  std::optional<db::GuestRow> guest;
  if (conv.guest_id) {
    auto g = db::FindGuest(ctx.db, *conv.guest_id);
    if (g && *g) guest = **g;
  }
  std::optional<db::ReservationRow> reservation;
  if (conv.reservation_id) {
    auto r = db::FindReservation(ctx.db, *conv.reservation_id);
    if (r && *r) reservation = **r;
  }
  json::object meta = Meta(conv);
  bool ai_owned = domain::AiOwns(conv) || conv.state == "resolved" || conv.state == "abandoned";
  if ((conv.state == "resolved" || conv.state == "abandoned") &&
      domain::Setting(ctx, "conversations.reopen_owner") == "staff")
    ai_owned = false;  // reopened to its assignee, or to the staff queue
  std::string fallback_lang = guest && guest->language ? *guest->language : "en";
  if (const auto* ml = meta.if_contains("language"); ml && ml->is_string())
    fallback_lang = std::string(ml->as_string());
  bool is_text = in.content_type == "text" || !in.content.empty();
  Analysis a = in.analysis ? *in.analysis : Analyse(ctx, engine, in.content, fallback_lang);
  std::string reply_lang = IsSupportedLanguage(a.language)      ? a.language
                           : IsSupportedLanguage(fallback_lang) ? fallback_lang
                                                                : "en";

  // The inbound message row.
  db::MessageRow& msg = out.inbound;
  msg.direction = "inbound";
  msg.sender_type = "guest";
  if (guest) msg.sender_id = guest->id;
  msg.content = in.content;
  msg.content_type = in.content_type;
  msg.media = in.media_json;
  msg.channel_message_id = in.channel_message_id;
  msg.delivery_status = "delivered";
  msg.intent = a.intent;
  msg.confidence = a.confidence;
  msg.entities = EntitiesJson(a.entities);
  msg.id = core::NewId(ctx.clock.Now());
  msg.created_at = in.created_at.value_or(ctx.Now());

  Plan plan;
  std::string hotel = domain::Setting(ctx, "hotel.name");
  double threshold = domain::GetSettingNumber(ctx, "escalation.threshold", 0.7);
  double floor = domain::GetSettingNumber(ctx, "ai.relevance_floor", 0.35);
  std::optional<std::string> room = a.entities.room_number;
  if (!room && in.verified && reservation && reservation->room_number)
    room = reservation->room_number;
  bool vip = guest && ((guest->vip_status && !guest->vip_status->empty()) ||
                       (guest->loyalty_tier && *guest->loyalty_tier == "platinum"));
  // A VIP's unsure message goes to a person sooner (ai.md: VIP lowers the escalation bar).
  if (vip) threshold = std::min(0.9, threshold + 0.1);

  // Pending "which room?" question: a bare room number answers it.
  std::vector<std::string> pending_tasks;
  if (const auto* p = meta.if_contains("awaitingRoomTaskIds"); p && p->is_array()) {
    for (const auto& id : p->as_array())
      if (id.is_string()) pending_tasks.emplace_back(id.as_string());
  }
  auto bare_room = RoomNumberAnswer(in.content);
  if (!pending_tasks.empty() && (bare_room || a.entities.room_number)) {
    std::string r = bare_room ? *bare_room : *a.entities.room_number;
    for (const auto& id : pending_tasks) {
      auto t = db::FindTask(ctx.db, id);
      if (t && *t) {
        auto task = **t;
        task.room_number = r;
        task.updated_at = ctx.Now();
        out.tasks.push_back(task);
      }
    }
    meta.erase("awaitingRoomTaskIds");
    if (bare_room) {
      msg.intent = "request.room_number";
      msg.confidence = 1.0;
      plan.reply = T.Render(reply_lang, "room_noted", {{"room", r}});
    }
  }

  // The conversation so far: a follow-up question ("and on Sunday?") is asked again with
  // the guest's question before it; "make it three" changes the request just made. Neither
  // touches a message that a rule or the model took for an emergency, a hand-off request or
  // a complaint.
  const bool contextual = a.rule.empty() && a.family != "emergency" &&
                          a.family != "human_request" && a.family != "complaint";
  // An offer Jack made in its last reply ("Would you like me to arrange it?") holds for the
  // next message only, for 30 minutes: a yes makes the request it offered.
  std::string offer_about;
  if (const auto* o = meta.if_contains("offer"); o && o->is_object()) {
    const auto& offer = o->as_object();
    const auto* intent = offer.if_contains("intent");
    const auto* about = offer.if_contains("about");
    const auto* at = offer.if_contains("at");
    // The model may read an eager "yes please!!!" as a call for a person: a yes to the offer
    // is a yes whatever the model thought, short of a rule (emergency, hand-off) or a complaint.
    const bool may_accept = a.rule.empty() && a.family != "emergency" && a.family != "complaint";
    if (plan.reply.empty() && may_accept && ai_owned && intent && intent->is_string() && about &&
        about->is_string() && at && at->is_string() &&
        std::string(at->as_string()) >=
            core::FormatIso(ctx.clock.Now() - std::chrono::minutes(30)) &&
        AcceptanceRule(in.content)) {
      offer_about = std::string(about->as_string());
      a.intent = std::string(intent->as_string());
      a.family = "request";
      a.confidence = 1.0;
      auto local = core::ToLocal(ctx.clock.Now(), domain::Setting(ctx, "hotel.timezone"));
      a.entities = ExtractEntities(offer_about + " " + in.content, local.date, local.weekday);
      msg.intent = a.intent;
      msg.confidence = a.confidence;
    }
    meta.erase("offer");
  }
  // A bare "ok" or "yes please" with no offer to accept asks for nothing: an acknowledgement,
  // not a task the model might guess.
  if (offer_about.empty() && contextual &&
      (BareAcknowledgementRule(in.content) || BareRefusalRule(in.content))) {
    a.intent = a.family = "thanks";
    a.confidence = std::max(a.confidence, threshold);
    msg.intent = a.intent;
    msg.confidence = a.confidence;
  }
  if (plan.reply.empty() && contextual && ai_owned && offer_about.empty()) {
    auto recent = db::RecentMessages(ctx.db, conv.id, 6);
    std::optional<db::MessageRow> prev;
    if (recent) {
      for (auto it = recent->rbegin(); it != recent->rend(); ++it) {
        if (it->direction == "inbound" && it->intent) {
          prev = *it;
          break;
        }
      }
    }
    const std::string since = core::FormatIso(ctx.clock.Now() - std::chrono::minutes(30));
    if (prev && prev->created_at >= since) {
      const std::string& pi = *prev->intent;
      const std::string pf = FamilyOf(pi);
      // A follow-up adds a word of its own ("and thanks!" adds none, and is no question).
      if (pf == "inquiry" && pi != "inquiry.reservation" && pi != "inquiry.billing" &&
          (a.family == "inquiry" || a.family == "out_of_scope" || a.confidence < threshold) &&
          FollowUpRule(in.content) && !QueryTerms(in.content, "").empty()) {
        auto facts = Retrieve(ctx.db, prev->content + " " + in.content, pi, 3, a.language);
        if (facts && !facts->empty() && (*facts)[0].score >= floor) {
          a.intent = pi;
          a.family = "inquiry";
          a.facts = std::move(*facts);
          a.confidence = std::max(a.confidence, threshold);
        }
      } else if (pf == "request") {
        if (auto n = QuantityChangeRule(in.content)) {
          // The task the previous message made (or changed), while nobody has started on
          // it; one item.
          db::TaskFilter f;
          f.conversation_id = conv.id;
          f.status = "pending";
          f.limit = 50;
          auto tasks = db::ListTasks(ctx.db, f);
          const db::TaskRow* task = nullptr;
          if (tasks) {
            for (const auto& t : *tasks)
              if (std::max(t.created_at, t.updated_at) >= prev->created_at &&
                  (!task || t.created_at > task->created_at))
                task = &t;
          }
          boost::system::error_code ec;
          json::value items;
          if (task && task->items) items = json::parse(*task->items, ec);
          if (task && !ec && items.is_array() && items.as_array().size() == 1 &&
              items.as_array()[0].is_object() && items.as_array()[0].as_object().contains("item")) {
            auto& item = items.as_array()[0].as_object();
            item["quantity"] = *n;
            ItemRequest asked;
            asked.item = json::value_to<std::string>(item["item"]);
            asked.quantity = *n;
            asked.text = core::ReplaceAll(asked.item, "_", " ");
            // The guest's own word for it, in their language.
            auto local = core::ToLocal(ctx.clock.Now(), domain::Setting(ctx, "hotel.timezone"));
            for (const auto& i : ExtractEntities(prev->content, local.date, local.weekday).items)
              if (i.item == asked.item) asked.text = i.text;
            Entities what;
            what.items.push_back(asked);
            plan.task_items.emplace(*task, json::serialize(items));
            a.intent = pi;
            a.family = pf;
            a.confidence = 1.0;
            plan.reply =
                T.Render(reply_lang, "task_updated", {{"what", WhatText(what, reply_lang)}});
          }
        }
      }
      msg.intent = a.intent;
      msg.confidence = a.confidence;
    }
  }

  // Guest memory: a stated preference is kept on the guest, a newer statement replacing the
  // older one of the same key (ai.md). A message that only states it is answered with the
  // note; beside a request or a question, the note follows the reply.
  std::string noted;
  bool preferences_changed = false;
  if (guest && a.rule.empty() && a.family != "emergency" && a.family != "human_request") {
    auto stated = StatedPreferences(in.content);
    boost::system::error_code ec;
    json::value current = json::parse(guest->preferences, ec);
    if (!stated.empty() && !ec && current.is_array()) {
      json::array merged;
      for (const auto& p : current.as_array()) {
        bool replaced = false;
        if (p.is_object()) {
          for (const auto& n : stated) {
            const auto* c = p.as_object().if_contains("category");
            const auto* k = p.as_object().if_contains("key");
            replaced = replaced || (c && k && c->is_string() && k->is_string() &&
                                    c->as_string() == n.category && k->as_string() == n.key);
          }
        }
        if (!replaced) merged.push_back(p);
      }
      std::string what;
      for (const auto& n : stated) {
        merged.push_back(json::object{{"category", n.category},
                                      {"key", n.key},
                                      {"value", n.value},
                                      {"source", "stated"},
                                      {"confidence", 1.0}});
        // In the reply's language; the English label where a language lacks the words.
        std::string said = T.Render(reply_lang, "pref_" + n.key + "_" + n.value);
        if (said.empty()) said = n.label;
        what += (what.empty() ? "" : " " + T.Render(reply_lang, "word_and") + " ") + said;
      }
      auto canonical = domain::CanonicalPreferences(merged, "preferences");
      if (canonical) {
        guest->preferences = *canonical;
        preferences_changed = true;
        noted = T.Render(reply_lang, "preference_noted", {{"what", what}});
        const bool acted_on =
            (a.family == "request" || a.family == "complaint" ||
             (a.family == "inquiry" && !a.facts.empty() && a.facts[0].score >= floor)) &&
            a.confidence >= threshold;
        if (plan.reply.empty() && !acted_on) plan.reply = noted;
      }
    }
  }

  const bool handled = !plan.reply.empty();
  const std::string& fam = a.family;
  if (!handled) {
    bool low = a.confidence < threshold && a.rule.empty() && fam != "out_of_scope";
    if (fam != "out_of_scope") meta["oosStreak"] = 0;

    // Repeat of the same request after an answer.
    // An accepted offer is the offer's request, not a repeat of an earlier "yes please".
    if ((fam == "request" || fam == "complaint") && offer_about.empty()) {
      auto recent_r = db::RecentMessages(ctx.db, conv.id, 12);
      std::vector<db::MessageRow> recent = recent_r ? *recent_r : std::vector<db::MessageRow>{};
      auto mine = TokenSet(in.content);
      for (auto it = recent.rbegin(); it != recent.rend(); ++it) {
        if (it->direction != "inbound" || !it->intent) continue;
        if (FamilyOf(*it->intent) == fam && Jaccard(mine, TokenSet(it->content)) >= 0.5) {
          bool answered = std::any_of(recent.begin(), recent.end(), [&](const db::MessageRow& m) {
            return m.direction == "outbound" && m.created_at >= it->created_at;
          });
          if (answered) plan.escalate.push_back("repeat");
          break;
        }
      }
    }

    if (fam == "emergency") {
      std::string dep = "front_desk";
      db::TaskRow t;
      t.department = dep;
      t.type = domain::TaskTypeFor(dep);
      t.priority = "urgent";
      t.description = "EMERGENCY (" + a.intent + "): " + core::Utf8Prefix(in.content, 400);
      t.room_number = room;
      plan.new_tasks.push_back(t);
      bool hazard = a.intent == "emergency.flood" || a.intent == "emergency.gas";
      static const RE2 electrical(
          "spark|electric|short circuit|outlet|socket|wires?\\b|elevator|\\blift\\b|ascensor|"
          "ascenseur|aufzug|ascensore|elevador|"
          "chispa|étincelle|funken|scintill|fa(?:í|i)sca");
      if (hazard || RE2::PartialMatch(core::Utf8Lower(in.content), electrical)) {
        db::TaskRow m = t;
        m.department = "maintenance";
        m.type = "maintenance";
        plan.new_tasks.push_back(m);
      }
      plan.escalate.push_back("emergency");
      plan.reply = T.Render(reply_lang, "emergency", {{"emergency_number", EmergencyNumber(ctx)}});
    } else if (fam == "human_request") {
      plan.escalate.push_back("human_request");
      plan.reply = T.Render(reply_lang, "human_request");
    } else if (low) {
      plan.escalate.push_back("low_confidence");
    } else if (fam == "complaint") {
      std::string dep = DepartmentFor(a.intent, in.content);
      db::TaskRow t;
      t.department = dep;
      t.type = domain::TaskTypeFor(dep);
      t.priority = "high";
      t.description = "Complaint (" + a.intent + "): " + core::Utf8Prefix(in.content, 400);
      t.room_number = room;
      plan.new_tasks.push_back(t);
      if (a.intent == "complaint.billing" || BillingDisputeRule(in.content))
        plan.escalate.push_back("billing");
      if (RudeStaffRule(in.content)) plan.escalate.push_back("rude_staff");
      if (a.intent == "complaint.safety" || SafetyHazardRule(in.content))
        plan.escalate.push_back("safety");
      if (RepeatClaimRule(in.content)) plan.escalate.push_back("repeat");
      if (vip) plan.escalate.push_back("vip");
      if (StronglyNegativeRule(in.content) && plan.escalate.empty())
        plan.escalate.push_back("negative");
      plan.reply =
          T.Render(reply_lang, "complaint", {{"department", T.Render(reply_lang, "dept_" + dep)}});
      if (!room) plan.awaiting_room = true;
    } else if (fam == "request") {
      std::string dep = DepartmentFor(a.intent, in.content);
      db::TaskRow t;
      t.department = dep;
      t.type = domain::TaskTypeFor(dep);
      t.priority = PriorityFor(a.intent, dep, in.content);
      if (vip && t.priority == "standard") t.priority = "high";
      t.description = "Guest request (" + a.intent + "): " +
                      (offer_about.empty() ? core::Utf8Prefix(in.content, 400)
                                           : "\"" + core::Utf8Prefix(in.content, 60) +
                                                 "\" to Jack's offer after asking \"" +
                                                 core::Utf8Prefix(offer_about, 300) + "\"");
      t.room_number = room;
      t.due_at = DueAt(ctx, a.entities);
      if (!a.entities.items.empty()) {
        json::array items;
        for (const auto& i : a.entities.items)
          items.push_back(json::object{{"item", i.item}, {"quantity", i.quantity}});
        t.items = json::serialize(items);
      }
      plan.new_tasks.push_back(t);
      std::string room_part = room ? T.Render(reply_lang, "room_part", {{"room", *room}}) : "";
      std::string key;
      Vars vars{{"room_part", room_part}, {"what", WhatText(a.entities, reply_lang)}};
      if (a.intent == "request.housekeeping")
        key = "task_housekeeping";
      else if (a.intent == "request.laundry")
        key = "task_laundry";
      else if (a.intent == "request.dnd")
        key = "task_dnd";
      else if (a.intent == "request.maintenance")
        key = "task_maintenance";
      else if (a.intent == "request.room_service")
        key = "task_room_service";
      else if (a.intent == "request.dining.reservation")
        key = "task_dining_reservation";
      else if (a.intent == "request.concierge")
        key = "task_concierge";
      else if (a.intent == "request.wakeup") {
        key = a.entities.time ? "task_wakeup" : "task_wakeup_no_time";
        vars.push_back({"time", a.entities.time.value_or("")});
      } else
        key = "task_front_desk";
      plan.reply = T.Render(reply_lang, key, vars);
      if (a.side_fact) plan.reply += " " + KnowledgeReply(T, reply_lang, *a.side_fact);
      if (!room) {
        plan.awaiting_room = true;
        plan.reply += " " + T.Render(reply_lang, "ask_room");
      }
    } else if (fam == "inquiry") {
      if (a.intent == "inquiry.reservation" || a.intent == "inquiry.billing") {
        if (in.verified && reservation) {
          if (a.intent == "inquiry.billing") {
            char bal[32];
            std::snprintf(bal, sizeof bal, "%.2f", reservation->balance.value_or(0));
            std::string cur = domain::GetSettingOr(ctx, "hotel.currency", "");
            plan.reply = T.Render(reply_lang, "billing_details",
                                  {{"balance", cur.empty() ? bal : std::string(bal) + " " + cur}});
            plan.financial = true;
          } else {
            plan.reply = T.Render(reply_lang, "reservation_details",
                                  {{"confirmation", reservation->confirmation_number},
                                   {"room_type", reservation->room_type},
                                   {"room", reservation->room_number.value_or("-")},
                                   {"arrival", reservation->arrival_date},
                                   {"departure", reservation->departure_date}});
          }
        } else {
          plan.reply = T.Render(reply_lang, "verify_needed");
        }
      } else if (!a.facts.empty() && a.facts[0].score >= floor && !a.facts[0].quote.empty() &&
                 a.facts[0].holds_asked_kind) {
        plan.reply = KnowledgeReply(T, reply_lang, a.facts[0]);
        out.knowledge_answer = true;
        meta["unansweredStreak"] = 0;
        if (auto offer = ai_owned ? OfferFor(a.facts[0].quote) : std::nullopt) {
          plan.reply += " " + T.Render(reply_lang, "offer");
          meta["offer"] = json::object{
              {"intent", *offer}, {"about", core::Utf8Prefix(in.content, 300)}, {"at", ctx.Now()}};
        }
      } else {
        plan.escalate.push_back("no_answer");
        plan.reply = T.Render(reply_lang, "kb_not_found");
      }
    } else if (fam == "greeting") {
      std::string name = guest && guest->first_name != "Erased" && !guest->first_name.empty()
                             ? " " + guest->first_name
                             : "";
      plan.reply = T.Render(reply_lang, "greeting", {{"name_suffix", name}, {"hotel", hotel}});
    } else if (fam == "thanks") {
      plan.reply = T.Render(reply_lang, "thanks");
    } else if (fam == "farewell") {
      plan.reply = T.Render(reply_lang, "farewell");
    } else if (fam == "feedback") {
      plan.reply = T.Render(reply_lang, "compliment");
    } else {  // out_of_scope
      int64_t streak = MetaInt(meta, "oosStreak") + 1;
      meta["oosStreak"] = streak;
      if (streak >= 2)
        plan.escalate.push_back("out_of_scope_twice");
      else
        plan.reply = T.Render(reply_lang, "out_of_scope");
    }
  }
  if (!noted.empty() && plan.reply != noted && !plan.reply.empty() && plan.escalate.empty())
    plan.reply += " " + noted;
  if (!is_text && plan.reply.empty() && plan.escalate.empty()) plan.escalate.push_back("media");
  // The remote model's words replace the template's only where the local engine answered
  // without a task, a hand-off or data of the guest's stay; asking for a hand-off, it gets one.
  if (a.model_answer && ai_owned && !handled && ModelMayAnswer(a) && plan.escalate.empty() &&
      plan.new_tasks.empty() && !plan.financial && !plan.awaiting_room && !plan.reply.empty()) {
    if (a.model_answer->handoff) {
      plan.escalate.push_back("ai_handoff");
      out.knowledge_answer = false;
    } else {
      plan.reply = a.model_answer->reply;
    }
    meta.erase("offer");  // the model's words make no offer that a yes could accept
  }
  a.escalation_reasons = plan.escalate;

  // Who speaks: an escalation hands over with one acknowledgement; a staff-owned or escalated
  // conversation gets no AI reply at all (ai.md, Escalation policy).
  bool escalate_now = !plan.escalate.empty() && ai_owned;
  if (!ai_owned) {
    plan.reply.clear();
    // Emergencies still reach the departments when staff own the conversation.
    if (fam != "emergency") plan.new_tasks.clear();
    plan.awaiting_room = false;
  } else if (escalate_now) {
    plan.reply_is_system = true;
    // The guest reads the hand-over, not the offer: nothing is left to say yes to.
    meta.erase("offer");
    if (fam == "request") {
      // A request repeated after an answer: its task exists already; a person takes over.
      plan.new_tasks.clear();
      plan.awaiting_room = false;
      plan.reply.clear();
    }
    if (plan.reply.empty() || fam == "complaint")
      plan.reply = fam == "complaint" ? T.Render(reply_lang, "complaint_escalated")
                                      : T.Render(reply_lang, "handoff");
  }

  // Learned preferences (ai.md, Guest memory): an item the guest has now asked for in two
  // requests or more (any stay) is kept with source "learned", its confidence growing with
  // the count (0.5 at two, at most 0.9), and the quantity last asked as its value. A stated
  // or staff entry of the same key stands.
  if (guest && ai_owned && fam == "request" && !plan.new_tasks.empty() && plan.escalate.empty()) {
    boost::system::error_code ec;
    json::value current = json::parse(guest->preferences, ec);
    bool changed = false;
    for (const auto& item : a.entities.items) {
      if (ec || !current.is_array()) break;
      auto before = db::CountGuestItemTasks(ctx.db, guest->id, item.item);
      if (!before || *before < 1) continue;
      const double confidence =
          std::round(std::min(0.9, 0.1 + 0.2 * static_cast<double>(*before + 1)) * 100) / 100;
      json::array& prefs = current.as_array();
      json::object* same = nullptr;
      for (auto& p : prefs) {
        if (!p.is_object()) continue;
        const auto* c = p.as_object().if_contains("category");
        const auto* k = p.as_object().if_contains("key");
        if (c && k && c->is_string() && k->is_string() && c->as_string() == "requests" &&
            k->as_string() == item.item)
          same = &p.as_object();
      }
      if (same) {
        const auto* src = same->if_contains("source");
        if (!src || !src->is_string() || src->as_string() != "learned") continue;
        (*same)["value"] = std::to_string(item.quantity);
        (*same)["confidence"] = confidence;
      } else {
        prefs.push_back(json::object{{"category", "requests"},
                                     {"key", item.item},
                                     {"value", std::to_string(item.quantity)},
                                     {"source", "learned"},
                                     {"confidence", confidence}});
      }
      changed = true;
    }
    if (changed) {
      if (auto canonical = domain::CanonicalPreferences(current, "preferences")) {
        guest->preferences = *canonical;
        preferences_changed = true;
      }
    }
  }

  // Write everything in one transaction.
  auto write = [&]() -> Status {
    db::Transaction tx(ctx.db);
    JACK_TRY(tx.status());
    JACK_TRY(domain::AppendMessage(ctx, conv, msg, /*save=*/false));
    domain::Actor ai_actor = domain::Actor::System();
    for (auto& t : plan.new_tasks) {
      t.conversation_id = conv.id;
      JACK_TRY(domain::CreateTask(ctx, t, ai_actor));
      out.tasks.push_back(t);
    }
    for (auto& t : out.tasks) {
      if (std::none_of(plan.new_tasks.begin(), plan.new_tasks.end(),
                       [&](const db::TaskRow& n) { return n.id == t.id; }))
        JACK_TRY(db::UpdateTask(ctx.db, t));
    }
    if (plan.task_items) {
      domain::TaskInput change;
      change.items_json = plan.task_items->second;
      JACK_TRY(domain::UpdateTaskFields(ctx, plan.task_items->first, change, ai_actor));
      out.tasks.push_back(plan.task_items->first);
    }
    if (plan.awaiting_room) {
      json::array ids;
      for (const auto& t : plan.new_tasks) ids.push_back(json::string(t.id));
      meta["awaitingRoomTaskIds"] = ids;
    }
    if (a.language_reliable && IsSupportedLanguage(a.language)) meta["language"] = a.language;
    if (preferences_changed) {
      guest->updated_at = ctx.Now();
      JACK_TRY(db::UpdateGuest(ctx.db, *guest));
    }
    if (guest && a.language_reliable && IsSupportedLanguage(a.language) &&
        !meta.contains("languageLearned")) {
      meta["languageLearned"] = true;
      if (guest->language.value_or("") != a.language) {
        guest->language = a.language;
        guest->updated_at = ctx.Now();
        JACK_TRY(db::UpdateGuest(ctx.db, *guest));
      }
    }
    if (msg.intent && *msg.intent != "request.room_number") conv.current_intent = msg.intent;
    if (escalate_now) {
      meta["escalationReason"] = plan.escalate.front();
      conv.metadata = json::serialize(meta);
      auto e = domain::EscalateConversation(ctx, conv, ai_actor, plan.escalate.front(), false);
      if (!e) return e.error();
      out.escalated = *e;
    }
    conv.metadata = json::serialize(meta);
    if (!plan.reply.empty()) {
      db::MessageRow r;
      r.direction = "outbound";
      r.sender_type = plan.reply_is_system ? "system" : "ai";
      r.content = plan.reply;
      if (plan.financial) r.sensitivity = "financial";
      r.delivery_status = conv.channel_type == "webchat" ? "sent" : "pending";
      if (conv.state == "new") conv.state = "active";
      JACK_TRY(domain::AppendMessage(ctx, conv, r, /*save=*/false));
      out.replies.push_back(r);
    }
    conv.updated_at = ctx.Now();
    JACK_TRY(db::UpdateConversation(ctx.db, conv));
    return tx.Commit();
  };
  auto conv_before = conv;
  if (auto s = write(); !s) {
    // Nothing the guest wrote is lost: store the message alone, marked for a retry.
    conv = conv_before;
    out.replies.clear();
    out.tasks.clear();
    msg.delivery_status = "pending";
    db::Transaction tx(ctx.db);
    if (tx.status() && domain::AppendMessage(ctx, conv, msg) && tx.Commit()) return s.error();
    return s.error();
  }
  out.analysis = std::move(a);
  out.micros =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace jack::ai
