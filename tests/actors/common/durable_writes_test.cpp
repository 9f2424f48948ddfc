// durable_writes: an actor's continuation runs in the actor, once, after the
// store made the write durable (the row is there), or with the store's error
// naming what was written; fail_all tells every waiting continuation.
#define BOOST_TEST_MODULE durable_writes_test
#include "actors/common/durable_writes.hpp"

#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>
#include <future>

#include "tests/support/system_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;
using namespace troupe;
using troupe::testing::system_fixture;
using troupe::testing::temp_dir;

namespace {

const std::vector<migration> schema = {
    {1, "item", "CREATE TABLE item(id INTEGER PRIMARY KEY)"}};

using write_atom = caf::atom_constant<caf::atom("write")>;
using fail_atom = caf::atom_constant<caf::atom("failall")>;

// What a continuation saw: the error's text ("" when durable), the rows of
// `item` at that moment, and whether it ran on the writer's own thread.
struct seen {
  std::string error;
  std::int64_t rows = -1;
  bool in_actor = false;
};

struct writer_state {
  durable_writes writes;
  bool busy = false;  // set while a handler of the actor runs
};

// An actor that writes row `id` durably on (write_atom, id) and reports what
// its continuation saw through `out`.
caf::behavior writer(caf::stateful_actor<writer_state>* self, store* db,
                     std::shared_ptr<std::promise<seen>> out) {
  return {
      [=](write_atom, std::int64_t id) {
        self->state.busy = true;
        self->state.writes.write(
            db, caf::actor_cast<caf::actor>(self),
            {{"INSERT INTO item(id) VALUES(?)", {id}}}, "item " + std::to_string(id),
            [=](const caf::error& err) {
              seen s;
              s.error = err ? caf::to_string(err) + " " + error_context(err) : "";
              if (db != nullptr) {
                auto rows = db->query_now({"SELECT COUNT(*) FROM item", {}});
                if (rows && !rows->empty())
                  s.rows = std::get<std::int64_t>(rows->at(0).at(0));
              }
              s.in_actor = self->state.busy;
              out->set_value(s);
            });
        self->state.busy = false;
      },
      [=](durable_written& m) {
        self->state.busy = true;
        self->state.writes.done(m);
        self->state.busy = false;
      },
      [=](fail_atom) {
        self->state.writes.fail_all(make_error(errc::shutting_down, "gone"));
      },
  };
}

// A store in a temporary directory; `closed` refuses every write.
struct test_store {
  temp_dir dir{"durable-writes"};
  std::unique_ptr<store> db;
  explicit test_store(bool closed = false) {
    store_options so;
    so.path = dir.file("troupe.db");
    auto opened = store::open(so, schema);
    BOOST_REQUIRE_MESSAGE(opened.is_ok(), opened.error().message());
    db = std::move(opened).value();
    if (closed) db->close();
  }
};

// What the continuation of a writer on `db` saw for row `id`.
seen write_row(caf::actor_system& sys, store* db, std::int64_t id) {
  auto out = std::make_shared<std::promise<seen>>();
  auto w = sys.spawn(writer, db, out);
  caf::anon_send(w, write_atom::value, id);
  auto f = out->get_future();
  BOOST_REQUIRE(f.wait_for(60s) == std::future_status::ready);
  caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
  return f.get();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(durable_writes_suite, system_fixture)

BOOST_AUTO_TEST_CASE(the_continuation_runs_in_the_actor_once_the_row_is_durable) {
  test_store t;
  auto s = write_row(*sys, t.db.get(), 1);
  BOOST_TEST(s.error == "");
  BOOST_TEST(s.rows == 1);
  BOOST_TEST(s.in_actor);  // from the handler of durable_written
}

BOOST_AUTO_TEST_CASE(a_refused_write_names_what_was_written) {
  test_store t{true};  // every write is refused
  auto s = write_row(*sys, t.db.get(), 2);
  BOOST_TEST(s.error.find("item 2: ") != std::string::npos, s.error);
  BOOST_TEST(s.in_actor);  // not inside write(): from the mailbox
}

BOOST_AUTO_TEST_CASE(without_a_store_the_continuation_still_comes_from_the_mailbox) {
  auto s = write_row(*sys, nullptr, 3);
  BOOST_TEST(s.error == "");
  BOOST_TEST(s.in_actor);
}

BOOST_AUTO_TEST_CASE(fail_all_tells_every_waiting_continuation_once) {
  durable_writes writes;
  int told = 0;
  caf::scoped_actor self{*sys};
  auto me = caf::actor_cast<caf::actor>(self);
  for (int i = 0; i < 3; ++i)
    writes.write(nullptr, me, {}, "x", [&told](const caf::error& err) {
      BOOST_TEST(bool(err));
      ++told;
    });
  BOOST_TEST(writes.waiting() == 3u);
  writes.fail_all(make_error(errc::shutting_down, "gone"));
  BOOST_TEST(told == 3);
  BOOST_TEST(writes.waiting() == 0u);
  // The writes' own answers, arriving later, run nothing more.
  for (int i = 0; i < 3; ++i) self->receive([&](durable_written& m) { writes.done(m); });
  BOOST_TEST(told == 3);
}

BOOST_AUTO_TEST_SUITE_END()
