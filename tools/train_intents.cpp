// Build-time trainer for the local intent model (architecture.md: fastText supervised,
// deterministic: one thread, fixed seed). Usage:
//   jack_train --data DIR --out MODEL.ftz
// Reads DIR/intents/*.jsonl (minus the held-out split) and DIR/clinc150/{train,oos_train}.jsonl.
#include <fasttext/args.h>
#include <fasttext/fasttext.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include <boost/json.hpp>

#include "ai/training_data.hpp"

int main(int argc, char** argv) {
  std::string data, out, heldout, dev;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--data")
      data = argv[i + 1];
    else if (a == "--out")
      out = argv[i + 1];
    else if (a == "--write-heldout")
      heldout = argv[i + 1];
    else if (a == "--dev")
      dev = argv[i + 1];
  }
  if (!data.empty() && !heldout.empty()) {
    // The held-out split of our own utterances, in the evaluation format of `jack eval`.
    std::ofstream f(heldout);
    int n = 0;
    for (const auto& u : jack::ai::LoadOwnUtterances(data)) {
      if (!jack::ai::IsHeldOut(u.text)) continue;
      std::string family = u.intent.substr(0, u.intent.find('.'));
      std::string dep = jack::ai::DepartmentOfIntent(u.intent);
      boost::json::object o{
          {"text", u.text},
          {"lang", u.lang},
          {"family", family},
          {"department", dep.empty() ? boost::json::value(nullptr) : boost::json::value(dep)},
          {"intent", u.intent}};
      f << boost::json::serialize(o) << "\n";
      ++n;
    }
    std::cout << "wrote " << n << " held-out utterances to " << heldout << "\n";
    if (out.empty()) return 0;
  }
  if (data.empty() || out.empty()) {
    std::cerr << "usage: jack_train --data DIR --out MODEL.ftz\n";
    return 2;
  }
  try {
    auto start = std::chrono::steady_clock::now();
    auto env_int = [](const char* name, int fallback) {
      const char* v = std::getenv(name);
      return v && *v ? std::atoi(v) : fallback;
    };

    auto set = jack::ai::TrainingSet(data, env_int("JACK_FT_OTHER", 40));
    if (!dev.empty()) {
      // Experiments: the dev eighth is written out (eval format) and left out of training.
      std::ofstream f(dev);
      std::vector<jack::ai::Utterance> kept;
      for (auto& u : set) {
        // JACK_FT_DEVBUCKET (2-7) leaves out another eighth instead, for cross-validation.
        const int bucket = env_int("JACK_FT_DEVBUCKET", 1);
        const bool dev_row =
            bucket == 1 ? jack::ai::IsDev(u.text) : jack::ai::SplitBucket(u.text) == bucket;
        if (u.source == "own" && dev_row) {
          std::string family = u.intent.substr(0, u.intent.find('.'));
          std::string dep = jack::ai::DepartmentOfIntent(u.intent);
          boost::json::object o{
              {"text", u.text},
              {"family", family},
              {"department", dep.empty() ? boost::json::value(nullptr) : boost::json::value(dep)}};
          f << boost::json::serialize(o) << "\n";
        } else {
          kept.push_back(std::move(u));
        }
      }
      set = std::move(kept);
    }
    std::string tmp = out + ".train.txt";
    {
      std::ofstream f(tmp);
      bool family_only = env_int("JACK_FT_FAMILY", 0) != 0;
      for (const auto& u : set)
        f << "__label__" << (family_only ? u.intent.substr(0, u.intent.find('.')) : u.intent) << ' '
          << jack::ai::ModelText(u.text) << '\n';
    }
    fasttext::Args args;
    args.input = tmp;
    args.output = out;
    args.model = fasttext::model_name::sup;
    args.loss = fasttext::loss_name::softmax;
    // JACK_FT_* only for experiments; the defaults are the product's model.
    args.dim = env_int("JACK_FT_DIM", 64);
    args.epoch = env_int("JACK_FT_EPOCH", 50);
    args.lr = env_int("JACK_FT_LR10", 5) / 10.0;
    args.wordNgrams = env_int("JACK_FT_NGRAMS", 2);
    args.minCount = 1;
    args.minn = env_int("JACK_FT_MINN", 3);
    args.maxn = env_int("JACK_FT_MAXN", 5);
    args.bucket = env_int("JACK_FT_BUCKET", 50000);
    args.thread = 1;
    args.seed = env_int("JACK_FT_SEED", 42);
    args.verbose = 0;
    fasttext::FastText ft;
    ft.train(args);
    if (env_int("JACK_FT_QUANTIZE", 0)) {
      fasttext::Args q = args;
      q.qnorm = env_int("JACK_FT_QNORM", 1) != 0;
      q.cutoff = static_cast<size_t>(env_int("JACK_FT_CUTOFF", 0));
      q.retrain = env_int("JACK_FT_RETRAIN", 0) != 0;
      q.dsub = static_cast<size_t>(env_int("JACK_FT_DSUB", 2));
      q.qout = false;
      ft.quantize(q);
    }
    ft.saveModel(out);
    std::filesystem::remove(tmp);
    std::map<std::string, int> counts;
    for (const auto& u : set) counts[u.source == "own" ? "own" : "clinc150"]++;
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    std::cout << "trained " << out << " on " << set.size() << " utterances (own " << counts["own"]
              << ", clinc150 " << counts["clinc150"] << ") in " << ms << " ms, "
              << std::filesystem::file_size(out) << " bytes\n";
  } catch (const std::exception& e) {
    std::cerr << "jack_train: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
