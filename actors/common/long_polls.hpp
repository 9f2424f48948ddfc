// long_polls: the one way an actor holds "answer me once your version
// passes V" requests (the HTTP routes' ?since=V, see since_param in
// runtime/services/http/error_response.hpp): a pool's status, a run's.
//
// An actor keeps one long_polls<Status> in its state. Asked with `since`,
// it returns answer(self, version, since, make): the status at once when
// its version is past `since`, else hold(self)'s promise. On every change it calls
// answer_all() with a maker of its status (called only when something is held). Held
// requests are also answered with the current status `limit` after the
// first of them came (round by round), so none outlives the asker's own
// timeout: the actor lists caf::reacts_to<long_polls_due> among its internal
// messages and hands it to expire(). Not thread-safe: the actor's own.
#pragma once

#include <caf/meta/type_name.hpp>
#include <caf/timespan.hpp>
#include <caf/typed_response_promise.hpp>
#include <cstdint>
#include <utility>
#include <vector>

namespace troupe {

// The held requests of round `round` have waited their limit.
struct long_polls_due {
  std::uint64_t round = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, long_polls_due& x) {
  return f(caf::meta::type_name("long_polls_due"), x.round);
}

template <class Status>
class long_polls {
 public:
  explicit long_polls(caf::timespan limit) : limit_(limit) {}

  // Holds the current request of `self`; the first of a round arms the
  // round's expiry.
  template <class Self>
  caf::typed_response_promise<Status> hold(Self* self) {
    if (held_.empty()) self->delayed_send(self, limit_, long_polls_due{++round_});
    held_.push_back(self->template make_response_promise<Status>());
    return held_.back();
  }

  // The answer to a request with `since`: make() at once when the actor's
  // `version` is past it, else the request is held (hold).
  template <class Self, class Make>
  caf::result<Status> answer(Self* self, std::uint64_t version, std::uint64_t since,
                             Make&& make) {
    if (version > since) return make();
    return hold(self);
  }

  // Answers every held request with make(); make is not called when none is.
  template <class Make>
  void answer_all(Make&& make) {
    if (held_.empty()) return;
    auto status = make();
    for (auto& rp : held_) rp.deliver(status);
    held_.clear();
  }

  // The expiry of round `due.round`: answers what that round holds (a round
  // already answered by a change is over, and its expiry does nothing).
  template <class Make>
  void expire(const long_polls_due& due, Make&& make) {
    if (due.round == round_) answer_all(std::forward<Make>(make));
  }

  std::size_t held() const { return held_.size(); }

 private:
  caf::timespan limit_;
  std::uint64_t round_ = 0;
  std::vector<caf::typed_response_promise<Status>> held_;
};

}  // namespace troupe
