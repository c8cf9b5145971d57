#include "ai/eval.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>

#include "core/strings.hpp"

namespace jack::ai {

namespace {
double Pct(int a, int b) { return b == 0 ? 0.0 : 100.0 * a / b; }
double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t idx = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(idx, v.size() - 1)];
}
bool NeedsTask(const std::string& family) {
  return family == "request" || family == "complaint" || family == "emergency";
}
}  // namespace

EvalReport Score(const std::vector<LabelledSample>& samples,
                 const std::vector<Observation>& observed) {
  EvalReport r;
  for (size_t i = 0; i < samples.size() && i < observed.size(); ++i) {
    const auto& s = samples[i];
    const auto& o = observed[i];
    ++r.total;
    r.micros.push_back(o.micros);
    auto& fs = r.by_family[s.family];
    ++fs.total;
    bool family_ok = o.family == s.family;
    if (family_ok) ++fs.correct;
    std::string dep = o.task_departments.empty() ? "" : o.task_departments.front();
    bool dep_ok = s.department.empty() ? (o.task_departments.empty() || !NeedsTask(s.family))
                                       : dep == s.department;
    if (s.family == "request") {
      ++r.request_total;
      if (dep == s.department) ++r.request_department_right;
      ++r.request_rows;
      if (o.escalated) ++r.request_rows_escalated;
    }
    if (!NeedsTask(s.family)) {
      ++r.no_task_expected;
      if (!o.task_departments.empty()) ++r.false_tasks;
    }
    if (s.family == "out_of_scope") {
      ++r.oos_family_total;
      if (!o.task_departments.empty()) ++r.oos_family_false_tasks;
      if (s.clinc_label == "oos") {
        ++r.oos_total;
        if (family_ok) ++r.oos_right;
      } else if (!s.clinc_label.empty()) {
        ++r.other_domain_total;
        if (family_ok) ++r.other_domain_right;
      }
    }
    if (s.has_answer) {
      ++r.kb_rows;
      std::string reply = core::Utf8Lower(o.reply);
      bool holds = std::any_of(s.answer.begin(), s.answer.end(), [&](const std::string& f) {
        return reply.find(core::Utf8Lower(f)) != std::string::npos;
      });
      if (s.answer.empty()) {
        ++r.kb_unanswerable;
        if (o.knowledge_answer) {
          ++r.kb_unanswerable_given;
          ++r.kb_wrong_fact;
          r.failures.push_back("\"" + s.text + "\": not in the knowledge base, answered \"" +
                               o.reply.substr(0, 120) + "\"");
        }
      } else {
        ++r.kb_total;
        if (holds) ++r.kb_right;
        if (o.knowledge_answer && !holds) ++r.kb_wrong_fact;
        if (!holds)
          r.failures.push_back("\"" + s.text + "\": expected \"" + s.answer.front() + "\", got \"" +
                               o.reply.substr(0, 120) + "\"");
      }
    }
    if (o.escalated) ++r.escalated_total;
    if (!o.reply.empty()) r.reply_chars.push_back(static_cast<double>(o.reply.size()));
    // Emergencies and requests for a person escalate, labelled or not (ai.md).
    if (s.family == "emergency" || s.family == "human_request") {
      ++r.must_escalate_total;
      if (o.escalated) ++r.must_escalate_hit;
    }
    if (!s.has_escalate && !s.has_answer && (!family_ok || !dep_ok)) {
      r.failures.push_back("\"" + s.text + "\": expected " + s.family + "/" +
                           (s.department.empty() ? "-" : s.department) + ", got " + o.intent + "/" +
                           (dep.empty() ? "-" : dep));
    }
    if (s.has_escalate) {
      if (s.escalate) ++r.escalate_expected;
      if (o.escalated) ++r.escalate_predicted;
      if (s.escalate && o.escalated) ++r.escalate_true_positive;
      bool esc_ok = s.escalate == o.escalated;
      if (family_ok && dep_ok && esc_ok) {
        ++r.fully_right;
      } else {
        r.failures.push_back("\"" + s.text + "\": expected " + s.family + "/" +
                             (s.department.empty() ? "-" : s.department) + "/" +
                             (s.escalate ? "escalate" : "no-escalate") + ", got " + o.intent + "/" +
                             (dep.empty() ? "-" : dep) + "/" +
                             (o.escalated ? "escalate" : "no-escalate"));
      }
    }
  }
  return r;
}

std::string FormatReport(const EvalReport& r, bool as_json, const std::string& title) {
  double p50 = Percentile(r.micros, 0.5) / 1000.0, p99 = Percentile(r.micros, 0.99) / 1000.0;
  if (as_json) {
    boost::json::object o;
    o["title"] = title;
    o["total"] = r.total;
    boost::json::object fam;
    for (const auto& [f, s] : r.by_family)
      fam[f] = boost::json::object{
          {"total", s.total}, {"correct", s.correct}, {"accuracy", Pct(s.correct, s.total) / 100}};
    o["byFamily"] = fam;
    int correct = 0;
    for (const auto& [f, s] : r.by_family) correct += s.correct;
    o["familyAccuracy"] = Pct(correct, r.total) / 100;
    o["fullyRight"] = r.fully_right;
    o["fullyRightRate"] = Pct(r.fully_right, r.total) / 100;
    o["departmentAccuracy"] = Pct(r.request_department_right, r.request_total) / 100;
    o["escalationPrecision"] = Pct(r.escalate_true_positive, r.escalate_predicted) / 100;
    o["escalationRecall"] = Pct(r.escalate_true_positive, r.escalate_expected) / 100;
    o["mustEscalateRecall"] = Pct(r.must_escalate_hit, r.must_escalate_total) / 100;
    o["escalationRate"] = Pct(r.escalated_total, r.total) / 100;
    o["replyChars"] = boost::json::object{{"p50", Percentile(r.reply_chars, 0.5)},
                                          {"p99", Percentile(r.reply_chars, 0.99)}};
    o["oosRecall"] = Pct(r.oos_right, r.oos_total) / 100;
    o["otherDomainRecall"] = Pct(r.other_domain_right, r.other_domain_total) / 100;
    o["falseTaskRate"] = Pct(r.false_tasks, r.no_task_expected) / 100;
    o["falseTaskRateOutOfScope"] = Pct(r.oos_family_false_tasks, r.oos_family_total) / 100;
    o["requestEscalationRate"] = Pct(r.request_rows_escalated, r.request_rows) / 100;
    if (r.kb_rows) {
      o["knowledgeRight"] = Pct(r.kb_right, r.kb_total) / 100;
      o["wrongFactRate"] = Pct(r.kb_wrong_fact, r.kb_rows) / 100;
      o["unanswerableGiven"] = Pct(r.kb_unanswerable_given, r.kb_unanswerable) / 100;
    }
    o["p50Ms"] = p50;
    o["p99Ms"] = p99;
    boost::json::array fails;
    for (const auto& f : r.failures) fails.push_back(boost::json::string(f));
    o["failures"] = fails;
    return boost::json::serialize(o) + "\n";
  }
  std::string out;
  char buf[512];
  auto line = [&](const char* fmt, auto... args) {
    std::snprintf(buf, sizeof buf, fmt, args...);
    out += buf;
  };
  line("== %s: %d messages\n", title.c_str(), r.total);
  int correct = 0;
  for (const auto& [f, s] : r.by_family) correct += s.correct;
  line("family accuracy            %6.1f%% (%d/%d)\n", Pct(correct, r.total), correct, r.total);
  for (const auto& [f, s] : r.by_family)
    line("  %-24s %6.1f%% (%d/%d)\n", f.c_str(), Pct(s.correct, s.total), s.correct, s.total);
  if (r.escalate_expected + r.escalate_predicted > 0 || r.fully_right > 0)
    line("fully right                %6.1f%% (%d/%d)\n", Pct(r.fully_right, r.total), r.fully_right,
         r.total);
  if (r.request_total)
    line("department accuracy (req.) %6.1f%% (%d/%d)\n",
         Pct(r.request_department_right, r.request_total), r.request_department_right,
         r.request_total);
  if (r.escalate_expected + r.escalate_predicted > 0) {
    line("escalation precision       %6.1f%% (%d/%d)\n",
         Pct(r.escalate_true_positive, r.escalate_predicted), r.escalate_true_positive,
         r.escalate_predicted);
    line("escalation recall          %6.1f%% (%d/%d)\n",
         Pct(r.escalate_true_positive, r.escalate_expected), r.escalate_true_positive,
         r.escalate_expected);
  }
  if (r.must_escalate_total)
    line("emergency+hand-off recall  %6.1f%% (%d/%d)\n",
         Pct(r.must_escalate_hit, r.must_escalate_total), r.must_escalate_hit,
         r.must_escalate_total);
  line("escalation rate, all       %6.1f%% (%d/%d)\n", Pct(r.escalated_total, r.total),
       r.escalated_total, r.total);
  if (!r.reply_chars.empty())
    line("reply length               p50 %.0f, p99 %.0f characters\n",
         Percentile(r.reply_chars, 0.5), Percentile(r.reply_chars, 0.99));
  if (r.oos_total)
    line("oos recall                 %6.1f%% (%d/%d)\n", Pct(r.oos_right, r.oos_total), r.oos_right,
         r.oos_total);
  if (r.other_domain_total)
    line("other-domain recall        %6.1f%% (%d/%d)\n",
         Pct(r.other_domain_right, r.other_domain_total), r.other_domain_right,
         r.other_domain_total);
  line("false-task rate            %6.1f%% (%d/%d messages needing no task)\n",
       Pct(r.false_tasks, r.no_task_expected), r.false_tasks, r.no_task_expected);
  if (r.oos_family_total)
    line("false tasks, out-of-scope  %6.1f%% (%d/%d)\n",
         Pct(r.oos_family_false_tasks, r.oos_family_total), r.oos_family_false_tasks,
         r.oos_family_total);
  if (r.request_rows)
    line("escalation rate, requests  %6.1f%% (%d/%d)\n",
         Pct(r.request_rows_escalated, r.request_rows), r.request_rows_escalated, r.request_rows);
  if (r.kb_total)
    line("knowledge answers right    %6.1f%% (%d/%d answerable questions)\n",
         Pct(r.kb_right, r.kb_total), r.kb_right, r.kb_total);
  if (r.kb_rows)
    line("wrong-fact rate            %6.1f%% (%d/%d knowledge questions)\n",
         Pct(r.kb_wrong_fact, r.kb_rows), r.kb_wrong_fact, r.kb_rows);
  if (r.kb_unanswerable)
    line("unanswerable, fact given   %6.1f%% (%d/%d)\n",
         Pct(r.kb_unanswerable_given, r.kb_unanswerable), r.kb_unanswerable_given,
         r.kb_unanswerable);
  line("pipeline time              p50 %.3f ms, p99 %.3f ms\n", p50, p99);
  for (const auto& f : r.failures) out += "  miss: " + f + "\n";
  return out;
}

}  // namespace jack::ai
