// lodestone/server/jobs.hpp: long runs (simulate) as jobs: submitted, queued, run on a small pool
// of worker threads, observed (state, progress, result) and cancelled. Thread-safe. A job is a
// function that reports progress and polls a cancellation flag through its JobContext.
// Example: auto id = jobs.submit("simulate", params, [](JobContext& c) { c.progress(0.5); ... });
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace lodestone::server {

enum class JobState { Queued, Running, Succeeded, Failed, Cancelled };
[[nodiscard]] std::string_view to_string(JobState state);

/// What a running job sees: where to report progress, whether it should stop.
class JobContext {
public:
    /// Fraction done in [0, 1] (clamped) and an optional one-line message.
    void progress(double fraction, std::string message = {});
    /// True once cancel() was called: the job should return soon; its result is discarded.
    [[nodiscard]] bool cancelled() const { return cancel_->load(std::memory_order_relaxed); }
    /// The flag itself, for library functions that take a std::atomic<bool>*.
    [[nodiscard]] const std::atomic<bool>* cancel_flag() const { return cancel_.get(); }

private:
    friend class JobManager;
    JobContext(std::shared_ptr<std::atomic<bool>> cancel,
               std::function<void(double, std::string)> report)
        : cancel_(std::move(cancel)), report_(std::move(report)) {}
    std::shared_ptr<std::atomic<bool>> cancel_;
    std::function<void(double, std::string)> report_;
};

/// The job's work: returns its result document, or throws (InputError -> failed with its
/// diagnostics; anything else -> failed with E-INTERNAL).
using JobFn = std::function<nlohmann::json(JobContext&)>;

struct JobLimits {
    std::size_t workers = 1;      ///< jobs running at once (each may use threads of its own)
    std::size_t max_pending = 8;  ///< queued + running; submit refuses beyond
    std::size_t max_kept = 32;    ///< finished jobs kept for GET; the oldest are forgotten first
    /// Bytes of kept results (serialised JSON) at most; the oldest finished jobs are forgotten
    /// first, and a job whose result alone is larger fails (E-USAGE) instead of being kept.
    std::size_t max_kept_bytes = std::size_t{256} << 20;
};

class JobManager {
public:
    explicit JobManager(JobLimits limits = {});
    /// Cancels every job and joins the workers.
    ~JobManager();
    JobManager(const JobManager&) = delete;
    JobManager& operator=(const JobManager&) = delete;

    /// Queues a job; nullopt when max_pending jobs are already queued or running.
    [[nodiscard]] std::optional<std::string> submit(std::string kind,
                                                    nlohmann::json params,
                                                    JobFn fn);

    /// {id, kind, state, progress, message, params, submitted, started, finished, seconds, and
    /// result (succeeded) or error {error, diagnostics} (failed)}; nullopt for an unknown id.
    [[nodiscard]] std::optional<nlohmann::json> status(const std::string& id) const;

    /// Every job known, newest first, without results.
    [[nodiscard]] nlohmann::json list() const;

    /// Requests cancellation: a queued job is cancelled at once, a running one when it next polls.
    /// Returns false for an unknown id; true (and no change) for a finished job.
    [[nodiscard]] bool cancel(const std::string& id);

    /// Blocks until the job has finished (any final state) or the timeout passes; true if finished.
    [[nodiscard]] bool wait(const std::string& id, std::chrono::milliseconds timeout) const;

private:
    struct Job;
    void work();
    void forget_old_locked();
    [[nodiscard]] static nlohmann::json describe(const Job& job, bool with_result);

    JobLimits limits_;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::condition_variable queued_;
    std::map<std::uint64_t, std::shared_ptr<Job>> jobs_;
    std::deque<std::shared_ptr<Job>> queue_;
    std::uint64_t next_id_ = 1;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace lodestone::server
