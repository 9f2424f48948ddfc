#include "actors/workflow/definition_graph.hpp"

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "actors/workflow/definition.hpp"
#include "runtime/base/json/json_path.hpp"

namespace troupe::workflow {

namespace {

json_path task_path(const task_definition& t) {
  return json_path().key("tasks").key(t.name);
}

std::string task_list(const workflow_definition& def) {
  std::string out;
  for (auto& t : def.tasks) out += (out.empty() ? "" : ", ") + t.name;
  return out;
}

// Finds a cycle among unconditional transitions (entries without `when`):
// such a cycle, once entered, never ends. Returns the task indexes of the
// cycle, first task repeated at the end, or an empty vector.
std::vector<std::size_t> unconditional_cycle(
    const workflow_definition& def, const std::vector<std::vector<std::size_t>>& edges) {
  enum class mark { white, grey, black };
  std::vector<mark> marks(def.tasks.size(), mark::white);
  std::vector<std::size_t> stack;
  std::vector<std::size_t> found;
  // Iterative DFS would be longer; definitions have at most a few thousand
  // tasks, and the recursion depth is bounded by the task count.
  std::function<bool(std::size_t)> visit = [&](std::size_t u) {
    marks[u] = mark::grey;
    stack.push_back(u);
    for (auto v : edges[u]) {
      if (marks[v] == mark::grey) {
        auto it = std::find(stack.begin(), stack.end(), v);
        found.assign(it, stack.end());
        found.push_back(v);
        return true;
      }
      if (marks[v] == mark::white && visit(v)) return true;
    }
    stack.pop_back();
    marks[u] = mark::black;
    return false;
  };
  for (std::size_t i = 0; i < def.tasks.size(); ++i)
    if (marks[i] == mark::white && visit(i)) return found;
  return {};
}

}  // namespace

status check_graph(workflow_definition& def) {
  if (def.tasks.size() > 10'000)
    return status::error("$.tasks: at most 10000 tasks in one workflow");
  auto n = def.tasks.size();
  std::vector<std::set<std::size_t>> predecessors(n);
  std::vector<std::vector<std::size_t>> all_edges(n), unconditional(n);
  for (auto& t : def.tasks) {
    for (std::size_t i = 0; i < t.next.size(); ++i) {
      auto& tr = t.next[i];
      for (std::size_t j = 0; j < tr.next_tasks.size(); ++j) {
        auto* target = def.find(tr.next_tasks[j]);
        if (!target)
          return status::error(
              task_path(t).key("next").index(i).key("do").index(j).str() +
              ": unknown task '" + tr.next_tasks[j] + "' (tasks: " + task_list(def) +
              ")");
        predecessors[target->index].insert(t.index);
        all_edges[t.index].push_back(target->index);
        if (!tr.when) unconditional[t.index].push_back(target->index);
      }
    }
  }
  def.start_tasks.clear();
  for (auto& t : def.tasks) {
    auto inbound = predecessors[t.index].size();
    if (t.join == join_all) {
      if (inbound == 0)
        return status::error(task_path(t).key("join").str() +
                             ": \"all\" on a task that no transition leads to");
      t.join = inbound;
      t.join_all = true;
    } else if (t.join > 0 && inbound == 0) {
      return status::error(task_path(t).key("join").str() +
                           ": a join on a task that no transition leads to");
    }
    if (inbound == 0) def.start_tasks.push_back(t.index);
  }
  if (def.start_tasks.empty())
    return status::error(
        "$.tasks: no task starts the workflow (each has an inbound transition)");
  std::vector<bool> reached(n, false);
  std::vector<std::size_t> todo(def.start_tasks);
  for (auto s : todo) reached[s] = true;
  while (!todo.empty()) {
    auto u = todo.back();
    todo.pop_back();
    for (auto v : all_edges[u])
      if (!reached[v]) reached[v] = true, todo.push_back(v);
  }
  for (auto& t : def.tasks)
    if (!reached[t.index])
      return status::error(task_path(t).str() + ": task '" + t.name +
                           "' can never run: no path leads to it from a start task");
  if (auto cycle = unconditional_cycle(def, unconditional); !cycle.empty()) {
    std::string text;
    for (auto i : cycle) text += (text.empty() ? "" : " -> ") + def.tasks[i].name;
    return status::error(task_path(def.tasks[cycle.front()]).key("next").str() +
                         ": cycle without an exit: " + text +
                         " (give one of these transitions a 'when')");
  }
  return status::ok();
}

}  // namespace troupe::workflow
