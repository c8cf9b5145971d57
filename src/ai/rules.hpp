#pragma once

#include <optional>
#include <string>
#include <vector>

namespace jack::ai {

// Keyword rules that hold whatever the statistical model says (ai.md: emergencies and
// hand-off requests always escalate). Each takes the raw guest text.

// An emergency intent ("emergency.fire", ".medical", ".security", ".flood", ".gas") or none.
std::optional<std::string> EmergencyRule(const std::string& text);
// The guest asks for a person.
bool HumanRequestRule(const std::string& text);
// Complaint kinds that escalate (ai.md): rude staff, safety or health hazards, billing.
bool RudeStaffRule(const std::string& text);
bool SafetyHazardRule(const std::string& text);
// Words that say a fault endangers someone ("dangerous", "a child almost fell", "the fire
// exit is blocked"), six languages: a safety complaint, not a repair request.
bool DangerRule(const std::string& text);
bool BillingDisputeRule(const std::string& text);
// "third time I ask", "still not fixed", "again": a claimed repeat.
bool RepeatClaimRule(const std::string& text);
// A fault report ("the TV is broken", "the shower doesn't work"), in the six languages.
bool FaultReportRule(const std::string& text);
// The guest asks about their own stay's data (my bill, our booking, the balance, a
// confirmation number), which needs their identity, rather than the hotel's rules on bills
// and bookings in general ("do kids under four pay?").
bool PersonalStayRule(const std::string& text);
// Words of a hotel stay (wifi, check-in, breakfast, pool, lift, room, pets...), six languages.
bool HotelTopicRule(const std::string& text);
// A question for information ("do the rooms have a fridge?", "¿hay sitio para un minibús?"),
// not a request worded as one: a question mark, a question word first, no request cue.
bool InformationQuestionRule(const std::string& text);
// Words of displeasure that praise does not use ("worst", "filthy", "ni caso", "unzumutbar").
bool DispleasureRule(const std::string& text);
// Words of praise ("amazing", "espectacular", "traumhaft", "da sogno", "de tirar o fôlego").
bool PraiseRule(const std::string& text);
// Words that call for help or haste ("help", "socorro", "au secours", "schnell", "aiuto").
bool HelpWordRule(const std::string& text);
// A contrast ("but", "pero", "mais", "aber", "però", "mas"): praise or thanks before it is not
// the message.
bool ContrastRule(const std::string& text);
// Thanks ("thank you", "te agradezco", "ich bin euch dankbar", "vi ringrazio") that asks for
// no person.
bool GratitudeRule(const std::string& text);
// Noise that disturbs ("music from the room above", "ruido de la calle", "Baustelle"), not
// denied ("not a sound all night").
bool NoiseRule(const std::string& text);
// Pests seen ("a mouse near the minibar", "cucarachas", "Bettwanzen"), not talked about.
bool PestRule(const std::string& text);
// "greeting" or "farewell" when the words say which and not both ("buona serata", "eccomi di
// nuovo"), else none: for a model that mixes up the two ("ciao" is both).
std::optional<std::string> GreetingOrFarewellRule(const std::string& text);
// A request worded as a question: "could we move to another room?", "can you arrange ...".
bool PoliteActionRule(const std::string& text);
// Words that ask for something to be brought, sent, booked or done ("can you bring", "I'd
// like", "necesito", "pourriez-vous", "ich hätte gern", "mi portate", "preciso"), whatever
// the thing.
bool RequestCueRule(const std::string& text);
// A short follow-up that leans on the question before it: "and on Sunday?", "what about
// the spa?", "¿y el domingo?", "et le dimanche ?", "und am Sonntag?", "e la domenica?".
bool FollowUpRule(const std::string& text);
// "make it three", "actually 3", "change that to two", "mejor tres", "plutôt trois",
// "lieber drei", "meglio tre", "afinal três": the new quantity of the request just made.
std::optional<int> QuantityChangeRule(const std::string& text);
// An answer that says a service can be booked, arranged or requested through the hotel
// ("... can be booked through the concierge"; six languages) lets Jack offer to do it: the
// request intent that accepting the offer makes, or nothing ("cannot be reserved").
std::optional<std::string> OfferFor(const std::string& quote);
// The whole message is a yes or an ok with at most please and thanks ("ok thanks", "yes
// please"): it asks for nothing by itself.
bool BareAcknowledgementRule(const std::string& text);
// The whole message is a no ("no", "no thanks", "actually no", "non merci"): nothing asked.
bool BareRefusalRule(const std::string& text);
// Something stolen ("the cleaner stole my watch", "me han robado"): a person takes it over.
bool TheftRule(const std::string& text);
// A short yes to an offer: "yes please", "sure", "go ahead", "sí, por favor", "oui
// volontiers", "ja gerne", "sì grazie", "sim, por favor".
bool AcceptanceRule(const std::string& text);
// A preference the guest states ("I prefer a high floor", "no feather pillows", "I'm
// vegetarian"), as a guests.preferences entry (ai.md, Guest memory). `label` says it in
// English for the reply ("a high floor").
struct StatedPreference {
  std::string category, key, value, label;
};
std::vector<StatedPreference> StatedPreferences(const std::string& text);
// Strongly negative wording: insults, "worst", threats of reviews or lawyers.
bool StronglyNegativeRule(const std::string& text);
// Asks the concierge to entertain ("tell me a joke", "escríbeme un poema", "erzähl mir einen
// Witz"): nothing a hotel department does, whatever the model made of the verb.
bool EntertainmentRule(const std::string& text);

// Department words (six languages): the department whose words a message uses most, and how
// many it uses ("" and 0 for none). A second, independent signal beside the intent model.
struct LexiconHit {
  std::string department;
  int hits = 0;
};
LexiconHit DepartmentLexicon(const std::string& text);

}  // namespace jack::ai
