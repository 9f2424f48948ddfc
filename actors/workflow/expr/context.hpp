// eval_context: what a template can see. The workflow engine implements it
// over its immutable context (parameters, vars, task results, system) and
// adds `item` and `index` inside with-items; the engine only reads through
// it, so evaluating a template never copies the context.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "runtime/base/json/json.hpp"

namespace troupe::expr {

// The outcome of the task whose transitions (`next`) are being evaluated:
// what result(), succeeded() and failed() return.
struct task_outcome {
  bool succeeded = false;
  // The task's result; for a failed task, what its action reported.
  json result;
};

class eval_context {
 public:
  virtual ~eval_context() = default;

  // The value of the root name `name` ("parameters", "vars", "task", "item",
  // "index", "system", ...), or nullptr when it is not defined here. The
  // value must stay alive and unchanged while an evaluation that uses this
  // context runs (values are immutable, so "alive" is all it takes).
  virtual const json* find(std::string_view name) const = 0;

  // The outcome of the current task, or nullptr outside a task's
  // transitions (result(), succeeded() and failed() are then errors).
  virtual const task_outcome* outcome() const { return nullptr; }
};

// A context whose root names are the members of a JSON object:
// json_context({"parameters": {...}, "vars": {...}}).
class json_context final : public eval_context {
 public:
  explicit json_context(json roots, std::optional<task_outcome> outcome = std::nullopt)
      : roots_(std::move(roots)), outcome_(std::move(outcome)) {}

  const json* find(std::string_view name) const override { return roots_.find(name); }
  const task_outcome* outcome() const override { return outcome_ ? &*outcome_ : nullptr; }

 private:
  json roots_;
  std::optional<task_outcome> outcome_;
};

// `base` plus the with-items names `item` and `index`, without copying
// `base` (which must outlive this context).
class item_context final : public eval_context {
 public:
  item_context(const eval_context& base, json item, std::int64_t index)
      : base_(base), item_(std::move(item)), index_(index) {}

  const json* find(std::string_view name) const override {
    if (name == "item") return &item_;
    if (name == "index") return &index_;
    return base_.find(name);
  }
  const task_outcome* outcome() const override { return base_.outcome(); }

 private:
  const eval_context& base_;
  json item_;
  json index_;
};

}  // namespace troupe::expr
