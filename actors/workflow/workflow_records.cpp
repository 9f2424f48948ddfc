#include "actors/workflow/workflow_records.hpp"

namespace troupe::workflow {

namespace {

result<json> as_json(const sql_value& v, const std::string& what) {
  auto text = sql_text(v);
  if (text.empty()) return json();
  return json::parse(text, what);
}

json errors_json(const std::vector<std::string>& errors) {
  json::array_builder b;
  for (auto& e : errors) b.push_back(json(e));
  return b.build();
}

sql_value nullable(std::int64_t v) {
  return v == 0 ? sql_value(nullptr) : sql_value(v);
}

}  // namespace

std::vector<migration> workflow_migrations() {
  return {{200, "workflow_executions_and_tasks",
           "CREATE TABLE wf_executions ("
           "  id TEXT PRIMARY KEY,"
           "  workflow TEXT NOT NULL,"
           "  source TEXT NOT NULL,"
           "  definition TEXT NOT NULL,"
           "  parameters TEXT NOT NULL,"
           "  state TEXT NOT NULL,"   // running | paused | succeeded | failed | canceled
           "  engine TEXT NOT NULL,"  // execution::engine_state()
           "  output TEXT,"
           "  errors TEXT NOT NULL,"
           "  started_ms INTEGER NOT NULL,"
           "  finished_ms INTEGER);"
           "CREATE INDEX wf_executions_state ON wf_executions(state);"
           "CREATE TABLE wf_tasks ("
           "  execution TEXT NOT NULL,"
           "  name TEXT NOT NULL,"  // task#seq
           "  state TEXT NOT NULL,"
           "  result TEXT,"
           "  error TEXT,"
           "  started_ms INTEGER,"
           "  finished_ms INTEGER,"
           "  items_done INTEGER NOT NULL,"
           "  items_total INTEGER NOT NULL,"
           "  PRIMARY KEY (execution, name));"},
          // A listing reads its LIMIT rows from an index instead of sorting
          // every execution ever stored (issue 18: 100,000 executions).
          {201, "workflow_listing_indexes",
           "DROP INDEX wf_executions_state;"  // a prefix of the second
           "CREATE INDEX wf_executions_started ON wf_executions(started_ms, id);"
           "CREATE INDEX wf_executions_state_started"
           " ON wf_executions(state, started_ms, id);"}};
}

store_record list_executions(const std::optional<std::string>& state,
                             std::int64_t limit) {
  store_record q{
      "SELECT id, workflow, state, started_ms, finished_ms FROM wf_executions" +
          std::string(state ? " WHERE state = ?" : "") +
          " ORDER BY started_ms DESC, id DESC LIMIT ?",
      {}};
  if (state) q.params.emplace_back(*state);
  q.params.emplace_back(limit);
  return q;
}

store_record insert_execution(const execution& e, const std::string& source) {
  return {
      "INSERT INTO wf_executions (id, workflow, source, definition, parameters, state, "
      "engine,"
      " output, errors, started_ms, finished_ms) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, "
      "?, NULL)",
      {e.id(), e.definition().name, source, e.definition().document.dump(),
       e.parameters().dump(), std::string(execution_state_name(e.state())),
       e.engine_state().dump(), errors_json(e.errors()).dump(), e.started_ms()}};
}

store_record update_execution(const execution& e, std::int64_t finished_ms) {
  sql_value output =
      is_final(e.state()) ? sql_value(e.output().dump()) : sql_value(nullptr);
  return {
      "UPDATE wf_executions SET state = ?, engine = ?, output = ?, errors = ?,"
      " finished_ms = ? WHERE id = ?",
      {std::string(execution_state_name(e.state())), e.engine_state().dump(), output,
       errors_json(e.errors()).dump(), nullable(finished_ms), e.id()}};
}

store_record save_task(const execution& e, const task_record& r,
                       std::size_t* result_bytes) {
  bool ended = r.state == task_state::succeeded || r.state == task_state::failed ||
               r.state == task_state::canceled;
  sql_value result = ended ? sql_value(r.result.dump()) : sql_value(nullptr);
  if (result_bytes) {
    auto* text = std::get_if<std::string>(&result);
    *result_bytes = text ? text->size() : 0;
  }
  return {
      "INSERT OR REPLACE INTO wf_tasks (execution, name, state, result, error, "
      "started_ms,"
      " finished_ms, items_done, items_total) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {e.id(), e.key_name(r.key), std::string(task_state_name(r.state)),
       std::move(result), r.error.empty() ? sql_value(nullptr) : sql_value(r.error),
       nullable(r.started_ms), nullable(r.finished_ms),
       static_cast<std::int64_t>(r.items_done),
       static_cast<std::int64_t>(r.items_total)}};
}

namespace {
const char* execution_columns =
    "SELECT id, workflow, source, definition, parameters, state, engine, output, errors,"
    " started_ms, finished_ms FROM wf_executions";
}

store_record select_unfinished() {
  return {std::string(execution_columns) +
              " WHERE state IN ('running', 'paused') ORDER BY started_ms, id",
          {}};
}

store_record select_execution(const std::string& id) {
  return {std::string(execution_columns) + " WHERE id = ?", {id}};
}

store_record select_tasks(const std::string& id) {
  return {
      "SELECT name, state, result, error, started_ms, finished_ms, items_done, "
      "items_total"
      " FROM wf_tasks WHERE execution = ? ORDER BY rowid",
      {id}};
}

result<std::vector<stored_execution>> read_executions(const std::vector<sql_row>& rows) {
  std::vector<stored_execution> out;
  for (auto& row : rows) {
    if (row.size() != 11) return status::error("wf_executions: unexpected row shape");
    stored_execution e;
    e.id = sql_text(row[0]);
    e.workflow = sql_text(row[1]);
    e.source = sql_text(row[2]);
    auto where = "execution " + e.id;
    auto def = as_json(row[3], where + " definition");
    auto params = as_json(row[4], where + " parameters");
    e.state = sql_text(row[5]);
    auto engine = as_json(row[6], where + " engine");
    auto output = as_json(row[7], where + " output");
    auto errors = as_json(row[8], where + " errors");
    for (auto* r : {&def, &params, &engine, &output, &errors})
      if (!*r) return r->error();
    e.definition = *def;
    e.parameters = *params;
    e.engine = *engine;
    e.output = *output;
    for (auto& err : errors->items())
      if (err.is_string()) e.errors.emplace_back(err.as_string());
    e.started_ms = sql_int(row[9]);
    e.finished_ms = sql_int(row[10]);
    out.push_back(std::move(e));
  }
  return out;
}

status read_tasks(const std::vector<sql_row>& rows, const workflow_definition* def,
                  stored_execution& e) {
  for (auto& row : rows) {
    if (row.size() != 8) return status::error("wf_tasks: unexpected row shape");
    auto name = sql_text(row[0]);
    auto where = "execution " + e.id + " task " + name;
    task_record r;
    auto state = parse_task_state(sql_text(row[1]));
    if (!state) return status::error(where + ": " + state.error().message());
    r.state = *state;
    auto res = as_json(row[2], where + " result");
    if (!res) return res.error();
    r.result = *res;
    r.error = sql_text(row[3]);
    r.started_ms = sql_int(row[4]);
    r.finished_ms = sql_int(row[5]);
    r.items_done = static_cast<std::uint64_t>(sql_int(row[6]));
    r.items_total = static_cast<std::uint64_t>(sql_int(row[7]));
    if (def) {
      auto hash = name.rfind('#');
      auto* t = hash == std::string::npos ? nullptr : def->find(name.substr(0, hash));
      if (!t) return status::error(where + ": no such task in the definition");
      auto digits = name.substr(hash + 1);
      char* end = nullptr;
      auto seq = std::strtoul(digits.c_str(), &end, 10);
      if (digits.empty() || *end != '\0' || seq > UINT32_MAX)
        return status::error(where + ": malformed task execution name");
      r.key = {t->index, static_cast<std::uint32_t>(seq)};
    }
    e.tasks.push_back(std::move(r));
    e.task_names.push_back(std::move(name));
  }
  return status::ok();
}

run_status describe(
    const execution& e, std::uint64_t version,
    const std::map<task_key, std::pair<std::uint64_t, std::uint64_t>>& items,
    bool with_tasks) {
  run_status s;
  s.id = e.id();
  s.workflow = e.definition().name;
  s.state = std::string(execution_state_name(e.state()));
  s.stopping = e.stopping() && !is_final(e.state());
  s.version = version;
  s.started_ms = e.started_ms();
  s.output = e.output();
  s.errors = e.errors();
  for (auto& [k, r] : e.tasks()) {
    ++s.tasks_total;
    std::uint64_t done = r.items_done, total = r.items_total;
    if (auto i = items.find(k); i != items.end() && r.state == task_state::running)
      std::tie(done, total) = i->second;
    s.items_done += done;
    s.items_total += total;
    bool ended = r.state != task_state::scheduled && r.state != task_state::running;
    if (ended) {
      ++s.tasks_done;
      s.finished_ms = std::max(s.finished_ms, r.finished_ms);
    }
    if (with_tasks)
      s.tasks.push_back({e.key_name(k), std::string(task_state_name(r.state)),
                         r.started_ms, r.finished_ms, done, total, r.error, r.result});
  }
  if (!is_final(e.state())) s.finished_ms = 0;
  return s;
}

run_status describe(const stored_execution& e) {
  run_status s;
  s.id = e.id;
  s.workflow = e.workflow;
  s.state = e.state;
  s.version = 0;
  s.started_ms = e.started_ms;
  s.finished_ms = e.finished_ms;
  s.output = e.output;
  s.errors = e.errors;
  for (std::size_t i = 0; i < e.tasks.size(); ++i) {
    auto& r = e.tasks[i];
    ++s.tasks_total;
    if (r.state != task_state::scheduled && r.state != task_state::running)
      ++s.tasks_done;
    s.items_done += r.items_done;
    s.items_total += r.items_total;
    s.tasks.push_back({e.task_names[i], std::string(task_state_name(r.state)),
                       r.started_ms, r.finished_ms, r.items_done, r.items_total, r.error,
                       r.result});
  }
  return s;
}

}  // namespace troupe::workflow
