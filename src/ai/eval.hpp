#pragma once

#include <map>
#include <string>
#include <vector>

#include "ai/training_data.hpp"

namespace jack::ai {

// What the pipeline did with one labelled message.
struct Observation {
  std::string intent;  // full code stored on the message
  std::string family;
  std::vector<std::string> task_departments;
  bool escalated = false;
  double micros = 0;  // pipeline (or round-trip) time
  std::string reply;
  bool knowledge_answer = false;  // the reply gave a fact from the knowledge base
};

struct FamilyStat {
  int total = 0, correct = 0;
};

// The quality figures of ai.md for a labelled set.
struct EvalReport {
  int total = 0;
  int fully_right = 0;  // family, department and escalation all as labelled (samples)
  std::map<std::string, FamilyStat> by_family;
  int request_total = 0, request_department_right = 0;
  int escalate_expected = 0, escalate_predicted = 0, escalate_true_positive = 0;
  int must_escalate_total = 0, must_escalate_hit = 0;  // emergency and human_request
  int oos_total = 0, oos_right = 0;                    // CLINC150 label "oos"
  int other_domain_total = 0, other_domain_right = 0;  // other CLINC150 labels → out_of_scope
  int no_task_expected = 0, false_tasks = 0;           // messages that need no task
  int oos_family_total = 0, oos_family_false_tasks = 0;
  int request_rows = 0, request_rows_escalated = 0;  // rows labelled request
  int escalated_total = 0;                           // rows the pipeline escalated
  std::vector<double> reply_chars;                   // length of the first reply, in bytes
  std::vector<double> micros;
  int kb_total = 0, kb_right = 0;      // answerable knowledge questions
  int kb_rows = 0, kb_wrong_fact = 0;  // all knowledge rows; answers with a wrong fact
  int kb_unanswerable = 0, kb_unanswerable_given = 0;  // no fact in the KB; a fact given anyway
  std::vector<std::string> failures;                   // a line per case not fully right (samples)
};

EvalReport Score(const std::vector<LabelledSample>& samples,
                 const std::vector<Observation>& observed);
// Human-readable lines, or one JSON object.
std::string FormatReport(const EvalReport& r, bool json, const std::string& title);

}  // namespace jack::ai
