#include "domain/privacy.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <map>
#include <set>

#include "db/lifecycle.hpp"
#include "db/repositories.hpp"
#include "domain/audit.hpp"

namespace jack::domain {
namespace json = boost::json;

namespace {

constexpr std::string_view kErased = "[erased]";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The strings that identify the guest in free text: full name, each name part of two or
// more letters ("Li", "Ng"; matched as whole words only), email, phone (also without its
// '+'). Phones written in other formats are found by RedactPhone.
std::vector<std::string> Identifiers(const db::GuestRow& g) {
  std::vector<std::string> out;
  auto add = [&](std::string s) {
    if (s.size() >= 2) out.push_back(Lower(s));
  };
  add(g.first_name + " " + g.last_name);
  add(g.first_name);
  add(g.last_name);
  if (g.email) add(*g.email);
  if (g.phone) {
    add(*g.phone);
    if (g.phone->size() > 1 && (*g.phone)[0] == '+') add(g.phone->substr(1));
  }
  // Longest first, so that the full name is replaced before its parts.
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return out;
}

bool IsWordChar(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

// Replaces every occurrence of an identifier that is not part of a longer word.
std::string Redact(const std::string& text, const std::vector<std::string>& ids,
                   std::string_view with, bool* changed) {
  std::string out = text;
  for (const auto& id : ids) {
    std::string lower = Lower(out);
    size_t pos = 0;
    std::string next;
    size_t last = 0;
    bool any = false;
    while ((pos = lower.find(id, pos)) != std::string::npos) {
      bool left_ok = pos == 0 || !IsWordChar(static_cast<unsigned char>(lower[pos - 1]));
      size_t end = pos + id.size();
      bool right_ok = end >= lower.size() || !IsWordChar(static_cast<unsigned char>(lower[end]));
      if (left_ok && right_ok) {
        next.append(out, last, pos - last);
        next.append(with);
        last = end;
        any = true;
      }
      pos = end;
    }
    if (any) {
      next.append(out, last, std::string::npos);
      out = std::move(next);
      if (changed) *changed = true;
    }
  }
  return out;
}

// Phone numbers as people write them ("+351 21 355 5100", "(415) 555-0123", "021 355 5100"):
// a run of digits with spaces, dots, dashes or brackets whose digits, without a trunk 0,
// are the last seven or more digits of the guest's E.164 number.
std::string RedactPhone(const std::string& text, const std::optional<std::string>& e164,
                        std::string_view with, bool* changed) {
  if (!e164) return text;
  std::string full;
  for (char c : *e164)
    if (std::isdigit(static_cast<unsigned char>(c))) full.push_back(c);
  if (full.size() < 7) return text;
  auto is_sep = [](char c) { return c == ' ' || c == '.' || c == '-' || c == '(' || c == ')'; };
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    bool starts = (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '(') &&
                  (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])));
    if (!starts) {
      out.push_back(c);
      ++i;
      continue;
    }
    size_t j = i;
    std::string digits;
    size_t last_digit = i;
    while (j < text.size() && (std::isdigit(static_cast<unsigned char>(text[j])) ||
                               is_sep(text[j]) || (j == i && text[j] == '+'))) {
      if (std::isdigit(static_cast<unsigned char>(text[j]))) {
        digits.push_back(text[j]);
        last_digit = j;
      }
      ++j;
    }
    std::string d = digits;
    if (!d.empty() && d[0] == '0') d.erase(0, 1);  // national trunk prefix
    bool match = d.size() >= 7 && d.size() <= full.size() &&
                 full.compare(full.size() - d.size(), d.size(), d) == 0;
    if (match) {
      out.append(with);
      if (changed) *changed = true;
      i = last_digit + 1;
    } else {
      out.append(text, i, (digits.empty() ? i + 1 : last_digit + 1) - i);
      i = digits.empty() ? i + 1 : last_digit + 1;
    }
  }
  return out;
}

bool ContainsAny(const std::string& text, const std::vector<std::string>& ids,
                 const std::optional<std::string>& phone) {
  bool changed = false;
  Redact(text, ids, "", &changed);
  if (!changed) RedactPhone(text, phone, "", &changed);
  return changed;
}

// messages.entities without names, phones and emails (seed-notes.md). The pipeline writes
// the seed's array form [{type, value, text}]; an object form is scrubbed by key.
std::optional<std::string> ScrubEntities(const std::optional<std::string>& entities) {
  if (!entities) return entities;
  boost::system::error_code ec;
  auto v = json::parse(*entities, ec);
  if (ec) return std::nullopt;
  static const std::set<std::string> personal = {
      "name",  "names",  "person", "persons", "person_name", "guestName", "guest_name",
      "phone", "phones", "email",  "emails",  "contact",     "address"};
  if (v.is_array()) {
    json::array kept;
    for (auto& e : v.as_array()) {
      const json::value* type = e.is_object() ? e.as_object().if_contains("type") : nullptr;
      if (type && type->is_string() && personal.count(std::string(type->as_string()))) continue;
      kept.push_back(std::move(e));
    }
    return json::serialize(kept);
  }
  if (!v.is_object()) return std::nullopt;
  auto& o = v.as_object();
  for (const auto& k : personal) o.erase(k);
  return json::serialize(o);
}

}  // namespace

bool IsErased(const db::GuestRow& g) {
  return g.first_name == "Erased" && g.last_name == "Guest" && !g.email && !g.phone;
}

Result<GuestData> ExportGuest(Ctx& ctx, const Actor& actor, std::string_view guest_id) {
  db::Transaction tx(ctx.db);
  JACK_TRY(tx.status());
  JACK_TRY_ASSIGN(auto guest, db::FindGuest(ctx.db, guest_id));
  if (!guest) return Error::NotFound("guest " + std::string(guest_id) + " not found");
  GuestData out;
  out.guest = std::move(*guest);
  JACK_TRY_ASSIGN(out.reservations, db::ReservationsOfGuest(ctx.db, guest_id));
  JACK_TRY_ASSIGN(auto convs, db::ConversationsOfGuest(ctx.db, guest_id));
  for (auto& c : convs) {
    GuestData::Conversation conv;
    JACK_TRY_ASSIGN(conv.messages, db::MessagesOfConversation(ctx.db, c.id));
    JACK_TRY_ASSIGN(conv.tasks, db::TasksOfConversation(ctx.db, c.id));
    conv.row = std::move(c);
    out.conversations.push_back(std::move(conv));
  }
  JACK_TRY_ASSIGN(out.audit, db::AuditOfGuest(ctx.db, guest_id));
  json::object details{{"format", "json"},
                       {"conversations", out.conversations.size()},
                       {"reservations", out.reservations.size()}};
  JACK_TRY(Audit(ctx, actor, "data.export", "guest", guest_id, json::serialize(details)));
  JACK_TRY(tx.Commit());
  return out;
}

Result<ErasureReport> EraseGuest(Ctx& ctx, const Actor& actor, std::string_view guest_id) {
  ErasureReport report;
  // secure_delete zeroes the bytes of deleted and overwritten cells; it cannot change inside
  // a transaction, so it brackets the erasure.
  JACK_TRY(ctx.db.Exec("PRAGMA secure_delete = ON"));
  struct Restore {
    db::Database& db;
    ~Restore() { (void)db.Exec("PRAGMA secure_delete = FAST"); }
  } restore{ctx.db};
  {
    db::Transaction tx(ctx.db);
    JACK_TRY(tx.status());
    JACK_TRY_ASSIGN(auto found, db::FindGuest(ctx.db, guest_id));
    if (!found || IsErased(*found))
      return Error::NotFound("guest " + std::string(guest_id) + " not found");
    db::GuestRow g = *found;
    const auto ids = Identifiers(g);
    const std::string now = ctx.Now();

    JACK_TRY_ASSIGN(auto convs, db::ConversationsOfGuest(ctx.db, guest_id));
    if (g.email) {
      // A web-chat visitor who typed the guest's email was never linked to the guest (a claim
      // is not a proof), but what they wrote under it is the guest's data all the same.
      JACK_TRY_ASSIGN(auto claimed, db::ConversationsClaimingEmail(ctx.db, *g.email, guest_id));
      for (auto& c : claimed) convs.push_back(std::move(c));
    }
    for (auto& c : convs) {
      JACK_TRY_ASSIGN(auto messages, db::MessagesOfConversation(ctx.db, c.id));
      for (auto& m : messages) {
        const bool quote = m.direction == "inbound" || ContainsAny(m.content, ids, g.phone) ||
                           (m.media && ContainsAny(*m.media, ids, g.phone));
        auto entities = ScrubEntities(m.entities);
        if (!quote && entities == m.entities) continue;
        JACK_TRY(db::UpdateMessageContent(ctx.db, m.id, quote ? kErased : m.content,
                                          quote ? std::nullopt : m.media, entities));
        ++report.messages;
      }
      c.channel_id = "erased:" + c.id;
      c.metadata = "{}";
      c.updated_at = now;
      JACK_TRY(db::UpdateConversation(ctx.db, c));
      ++report.conversations;
    }

    // Tasks lose the guest's name (also tasks typed by staff, not linked to a conversation).
    std::map<std::string, db::TaskRow> tasks;
    for (const auto& c : convs) {
      JACK_TRY_ASSIGN(auto of_conv, db::TasksOfConversation(ctx.db, c.id));
      for (auto& t : of_conv) tasks.emplace(t.id, std::move(t));
    }
    for (const auto& id : ids) {
      JACK_TRY_ASSIGN(auto mentioning, db::TasksMentioning(ctx.db, id));
      for (auto& t : mentioning) tasks.emplace(t.id, std::move(t));
    }
    auto scrub = [&](const std::string& text, bool* changed) {
      return RedactPhone(Redact(text, ids, "the guest", changed), g.phone, "[erased]", changed);
    };
    for (auto& [id, t] : tasks) {
      bool changed = false;
      t.description = scrub(t.description, &changed);
      if (t.notes) t.notes = scrub(*t.notes, &changed);
      if (t.completion_notes) t.completion_notes = scrub(*t.completion_notes, &changed);
      if (!changed) continue;
      t.updated_at = now;
      JACK_TRY(db::UpdateTask(ctx.db, t));
      ++report.tasks;
    }

    JACK_TRY_ASSIGN(auto reservations, db::ReservationsOfGuest(ctx.db, guest_id));
    for (auto& r : reservations) {
      r.special_requests = "[]";
      r.notes = "[]";
      r.updated_at = now;
      JACK_TRY(db::UpdateReservation(ctx.db, r));
      ++report.reservations;
    }

    JACK_TRY(db::DeleteWebchatSessionsOfGuest(ctx.db, guest_id));
    if (g.email) JACK_TRY(db::DeleteWebchatSessionsClaiming(ctx.db, *g.email));
    JACK_TRY(db::ForgetGuestActorAddresses(ctx.db, guest_id));

    g.first_name = "Erased";
    g.last_name = "Guest";
    g.email.reset();
    g.phone.reset();
    g.notes.reset();
    g.vip_status.reset();
    g.loyalty_tier.reset();
    g.preferences = "[]";
    g.tags = "[]";
    g.external_ids = "{}";
    g.updated_at = now;
    JACK_TRY(db::UpdateGuest(ctx.db, g));

    json::object details{{"conversations", report.conversations},
                         {"messages", report.messages},
                         {"tasks", report.tasks},
                         {"reservations", report.reservations}};
    JACK_TRY(Audit(ctx, actor, "guest.delete", "guest", guest_id, json::serialize(details)));
    JACK_TRY(tx.Commit());
  }
  // The erasure is committed; a reader holding an old snapshot may keep the WAL from being
  // truncated now. The next checkpoint overwrites those frames; the report says so.
  report.wal_truncated = db::ScrubAfterErasure(ctx.db).ok();
  return report;
}

}  // namespace jack::domain
