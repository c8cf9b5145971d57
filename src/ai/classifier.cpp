#include "ai/classifier.hpp"

#include <fasttext/fasttext.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "ai/training_data.hpp"
#include "core/resources.hpp"

namespace jack::ai {

std::string FamilyOf(std::string_view intent) {
  return std::string(intent.substr(0, intent.find('.')));
}

IntentClassifier::IntentClassifier() : ft_(std::make_unique<fasttext::FastText>()) {}
IntentClassifier::~IntentClassifier() = default;

Result<std::shared_ptr<const IntentClassifier>> IntentClassifier::LoadEmbedded() {
  // JACK_INTENT_MODEL: a model file to use instead, for experiments with the trainer.
  if (const char* path = std::getenv("JACK_INTENT_MODEL"); path && *path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return Error::Internal(std::string("cannot read ") + path);
    std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    return LoadBytes(bytes);
  }
  auto bytes = core::FindResource("model/intent.ftz");
  if (!bytes) return Error::Internal("the intent model is not embedded in this binary");
  // fastText copies the model into its own matrices: the embedded bytes need not stay
  // resident (about 28 MB), and are released as they are read.
  return Load(*bytes, /*release=*/true);
}

namespace {

// Reads a byte range without copying it, in 1 MB windows; with `release`, each window's pages
// are handed back to the kernel once read (the range is an embedded resource).
class ViewBuf : public std::streambuf {
 public:
  ViewBuf(std::string_view bytes, bool release) : bytes_(bytes), release_(release) { Window(0); }
  ~ViewBuf() override {
    if (release_) core::ReleaseResourcePages(bytes_.substr(0, std::min(pos_, bytes_.size())));
  }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (pos_ >= bytes_.size()) return traits_type::eof();
    if (release_) core::ReleaseResourcePages(bytes_.substr(0, pos_));
    Window(pos_);
    return traits_type::to_int_type(*gptr());
  }

 private:
  static constexpr size_t kWindow = 1 << 20;
  void Window(size_t at) {
    size_t end = std::min(bytes_.size(), at + kWindow);
    char* b = const_cast<char*>(bytes_.data());  // read only: the get area is never written
    setg(b + at, b + at, b + end);
    pos_ = end;
  }
  std::string_view bytes_;
  bool release_;
  size_t pos_ = 0;
};

}  // namespace

Result<std::shared_ptr<const IntentClassifier>> IntentClassifier::LoadBytes(
    std::string_view bytes) {
  return Load(bytes, false);
}

Result<std::shared_ptr<const IntentClassifier>> IntentClassifier::Load(std::string_view bytes,
                                                                       bool release) {
  std::shared_ptr<IntentClassifier> c(new IntentClassifier());
  try {
    // loadModel(istream) expects the header (magic, version: two int32) already consumed,
    // as loadModel(filename) does through its private checkModel.
    if (bytes.size() < 8) return Error::Internal("the intent model is truncated");
    ViewBuf buf(bytes.substr(8), release);
    std::istream in(&buf);
    c->ft_->loadModel(in);
  } catch (const std::exception& e) {
    return Error::Internal(std::string("cannot load the intent model: ") + e.what());
  }
  return std::shared_ptr<const IntentClassifier>(c);
}

size_t IntentClassifier::label_count() const {
  return static_cast<size_t>(ft_->getDictionary()->nlabels());
}

Classification IntentClassifier::Classify(const std::string& text) const {
  Classification out;
  std::istringstream in(ModelText(text) + "\n");
  std::vector<std::pair<fasttext::real, std::string>> preds;
  ft_->predictLine(in, preds, -1, 0.0);
  std::map<std::string, double> family_mass;
  for (const auto& [p, label] : preds) {
    std::string intent = label.substr(std::string_view("__label__").size());
    double prob = static_cast<double>(p);  // predictLine returns probabilities
    out.top.push_back({intent, prob});
    family_mass[FamilyOf(intent)] += prob;
  }
  if (out.top.empty()) {
    out.intent = out.family = "out_of_scope";
    return out;
  }
  out.intent = out.top[0].intent;
  out.intent_probability = out.top[0].probability;
  out.family = FamilyOf(out.intent);
  out.confidence = std::min(1.0, family_mass[out.family]);  // float sums can exceed 1
  if (out.top.size() > 5) out.top.resize(5);
  return out;
}

}  // namespace jack::ai
