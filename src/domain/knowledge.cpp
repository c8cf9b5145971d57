#include "domain/knowledge.hpp"

#include "core/ids.hpp"
#include "core/strings.hpp"
#include "db/repositories.hpp"

namespace jack::domain {

Status ValidateKnowledge(const KnowledgeInput& in) {
  Error e = Error::Invalid("invalid knowledge entry");
  const auto& c = in.category;
  if (c != "faq" && c != "policy" && c != "amenity" && c != "menu" && c != "local" &&
      c != "service")
    e.fields.push_back({"category", "must be faq, policy, amenity, menu, local or service"});
  if (in.title.empty() || in.title.size() > 300)
    e.fields.push_back({"title", "must be 1-300 characters"});
  if (in.content.empty() || in.content.size() > 100000)
    e.fields.push_back({"content", "must be 1-100000 characters"});
  if (in.status && *in.status != "active" && *in.status != "draft" && *in.status != "archived")
    e.fields.push_back({"status", "must be active, draft or archived"});
  if (in.language && (in.language->size() != 2 || !std::islower((*in.language)[0]) ||
                      !std::islower((*in.language)[1])))
    e.fields.push_back({"language", "must be an ISO 639-1 code such as en"});
  if (!e.fields.empty()) return e;
  return {};
}

Result<db::KnowledgeRow> CreateKnowledge(Ctx& ctx, const KnowledgeInput& in) {
  JACK_TRY(ValidateKnowledge(in));
  db::KnowledgeRow k;
  k.id = core::NewId(ctx.clock.Now());
  k.category = in.category;
  k.title = in.title;
  k.content = in.content;
  k.keywords = in.keywords_json.value_or("[]");
  k.status = in.status.value_or("active");
  k.language = in.language;
  k.created_at = k.updated_at = ctx.Now();
  JACK_TRY(db::InsertKnowledge(ctx.db, k));
  return k;
}

}  // namespace jack::domain
