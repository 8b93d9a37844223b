#include "lodestone/server/jobs.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/server/http.hpp"

namespace lodestone::server {

using Clock = std::chrono::system_clock;

struct JobManager::Job {
    std::uint64_t number = 0;
    std::string kind;
    nlohmann::json params;
    JobFn fn;
    JobState state = JobState::Queued;
    double progress = 0.0;
    std::string message;
    Clock::time_point submitted{};
    std::optional<Clock::time_point> started;
    std::optional<Clock::time_point> finished;
    std::string
        result_text;  ///< the result document, serialised: its size is what the budget counts
    nlohmann::json error;
    std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
};

namespace {

std::string timestamp(Clock::time_point t) {
    const std::time_t secs = Clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

bool is_final(JobState s) {
    return s == JobState::Succeeded || s == JobState::Failed || s == JobState::Cancelled;
}

std::optional<std::uint64_t> parse_id(const std::string& id) {
    std::uint64_t v = 0;
    const auto [ptr, ec] = std::from_chars(id.data(), id.data() + id.size(), v);
    if (ec != std::errc() || ptr != id.data() + id.size() || id.empty()) {
        return std::nullopt;
    }
    return v;
}

}  // namespace

std::string_view to_string(JobState state) {
    switch (state) {
        case JobState::Queued:
            return "queued";
        case JobState::Running:
            return "running";
        case JobState::Succeeded:
            return "succeeded";
        case JobState::Failed:
            return "failed";
        case JobState::Cancelled:
            return "cancelled";
    }
    return "queued";
}

void JobContext::progress(double fraction, std::string message) {
    report_(std::clamp(fraction, 0.0, 1.0), std::move(message));
}

JobManager::JobManager(JobLimits limits) : limits_(limits) {
    limits_.workers = std::max<std::size_t>(1, limits_.workers);
    limits_.max_pending = std::max<std::size_t>(1, limits_.max_pending);
    for (std::size_t i = 0; i < limits_.workers; ++i) {
        workers_.emplace_back([this] { work(); });
    }
}

JobManager::~JobManager() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
        for (auto& [n, job] : jobs_) {
            job->cancel->store(true);
        }
    }
    queued_.notify_all();
    for (auto& t : workers_) {
        t.join();
    }
}

std::optional<std::string> JobManager::submit(std::string kind, nlohmann::json params, JobFn fn) {
    const std::lock_guard lock(mutex_);
    const auto pending = static_cast<std::size_t>(std::count_if(
        jobs_.begin(), jobs_.end(), [](const auto& kv) { return !is_final(kv.second->state); }));
    if (stopping_ || pending >= limits_.max_pending) {
        return std::nullopt;
    }
    auto job = std::make_shared<Job>();
    job->number = next_id_++;
    job->kind = std::move(kind);
    job->params = std::move(params);
    job->fn = std::move(fn);
    job->submitted = Clock::now();
    jobs_[job->number] = job;
    queue_.push_back(job);
    forget_old_locked();
    queued_.notify_one();
    return std::to_string(job->number);
}

void JobManager::work() {
    for (;;) {
        std::shared_ptr<Job> job;
        {
            std::unique_lock lock(mutex_);
            queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_) {
                return;
            }
            job = queue_.front();
            queue_.pop_front();
            if (job->state != JobState::Queued) {
                continue;  // cancelled while queued
            }
            job->state = JobState::Running;
            job->started = Clock::now();
        }
        changed_.notify_all();
        JobContext ctx(job->cancel, [this, job](double fraction, std::string message) {
            const std::lock_guard lock(mutex_);
            job->progress = fraction;
            if (!message.empty()) {
                job->message = std::move(message);
            }
        });
        nlohmann::json result;
        nlohmann::json error;
        std::string result_text;
        try {
            result = job->fn(ctx);
            result_text = result.dump();
            result = nullptr;
            if (result_text.size() > limits_.max_kept_bytes) {
                const std::vector<Diagnostic> d{{Severity::Error,
                                                 ErrorCode::Usage,
                                                 {},
                                                 0,
                                                 0,
                                                 {},
                                                 "the result (" +
                                                     std::to_string(result_text.size()) +
                                                     " bytes) exceeds the server's limit of " +
                                                     std::to_string(limits_.max_kept_bytes) +
                                                     " bytes for kept results; ask for fewer runs, "
                                                     "weeks or series, or use the CLI"}};
                error = error_json(d);
                result_text.clear();
            }
        } catch (const InputError& e) {
            error = error_json(e.diagnostics());
        } catch (const std::exception& e) {
            const std::vector<Diagnostic> d{{Severity::Error,
                                             ErrorCode::Internal,
                                             {},
                                             0,
                                             0,
                                             {},
                                             std::string("internal error: ") + e.what()}};
            error = error_json(d);
        }
        {
            const std::lock_guard lock(mutex_);
            job->finished = Clock::now();
            job->fn = nullptr;  // release what the closure holds
            if (job->cancel->load()) {
                job->state = JobState::Cancelled;
            } else if (!error.is_null()) {
                job->state = JobState::Failed;
                job->error = std::move(error);
            } else {
                job->state = JobState::Succeeded;
                job->progress = 1.0;
                job->result_text = std::move(result_text);
            }
            forget_old_locked();
        }
        changed_.notify_all();
    }
}

void JobManager::forget_old_locked() {
    std::size_t finished = 0;
    for (const auto& [n, job] : jobs_) {
        if (is_final(job->state)) {
            ++finished;
        }
    }
    for (auto it = jobs_.begin(); it != jobs_.end() && finished > limits_.max_kept;) {
        if (is_final(it->second->state)) {
            it = jobs_.erase(it);
            --finished;
        } else {
            ++it;
        }
    }
    // Kept results are bounded in bytes too: the oldest finished jobs go first.
    std::size_t bytes = 0;
    for (const auto& [n, job] : jobs_) {
        bytes += job->result_text.size();
    }
    for (auto it = jobs_.begin(); it != jobs_.end() && bytes > limits_.max_kept_bytes;) {
        if (is_final(it->second->state)) {
            bytes -= it->second->result_text.size();
            it = jobs_.erase(it);
        } else {
            ++it;
        }
    }
}

nlohmann::json JobManager::describe(const Job& job, bool with_result) {
    auto when = [](const std::optional<Clock::time_point>& t) {
        return t ? nlohmann::json(timestamp(*t)) : nlohmann::json();
    };
    nlohmann::json j{{"id", std::to_string(job.number)},
                     {"kind", job.kind},
                     {"state", std::string(to_string(job.state))},
                     {"progress", job.progress},
                     {"message", job.message},
                     {"params", job.params},
                     {"submitted", timestamp(job.submitted)},
                     {"started", when(job.started)},
                     {"finished", when(job.finished)}};
    if (job.started) {
        const auto end = job.finished.value_or(Clock::now());
        j["seconds"] = std::chrono::duration<double>(end - *job.started).count();
    } else {
        j["seconds"] = nullptr;
    }
    if (with_result && job.state == JobState::Succeeded) {
        j["result"] = nlohmann::json::parse(job.result_text);
    }
    if (job.state == JobState::Failed) {
        j["error"] = job.error;
    }
    return j;
}

std::optional<nlohmann::json> JobManager::status(const std::string& id) const {
    const auto n = parse_id(id);
    const std::lock_guard lock(mutex_);
    const auto it = n ? jobs_.find(*n) : jobs_.end();
    if (it == jobs_.end()) {
        return std::nullopt;
    }
    return describe(*it->second, true);
}

nlohmann::json JobManager::list() const {
    const std::lock_guard lock(mutex_);
    auto out = nlohmann::json::array();
    for (auto it = jobs_.rbegin(); it != jobs_.rend(); ++it) {
        out.push_back(describe(*it->second, false));
    }
    return out;
}

bool JobManager::cancel(const std::string& id) {
    const auto n = parse_id(id);
    {
        const std::lock_guard lock(mutex_);
        const auto it = n ? jobs_.find(*n) : jobs_.end();
        if (it == jobs_.end()) {
            return false;
        }
        auto& job = *it->second;
        if (is_final(job.state)) {
            return true;
        }
        job.cancel->store(true);
        if (job.state == JobState::Queued) {
            job.state = JobState::Cancelled;
            job.finished = Clock::now();
            job.fn = nullptr;
        }
    }
    changed_.notify_all();
    return true;
}

bool JobManager::wait(const std::string& id, std::chrono::milliseconds timeout) const {
    const auto n = parse_id(id);
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
        const auto it = n ? jobs_.find(*n) : jobs_.end();
        return it == jobs_.end() || is_final(it->second->state);
    });
}

}  // namespace lodestone::server
