#include "sync/post_thread.h"

#include <exception>

namespace sotay::sync_detail {

PostThread::PostThread(SyncTransport& transport, std::function<int64_t()> now_ms)
    : transport_(transport), now_ms_(std::move(now_ms)), thread_([this] { Loop(); }) {}

PostThread::~PostThread() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void PostThread::Post(const HttpHeaders& headers, const std::string& body) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    headers_ = &headers;
    body_ = &body;
    done_ = false;
  }
  cv_.notify_all();
}

std::pair<HttpReply, int64_t> PostThread::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return done_; });
  done_ = false;
  return {std::move(reply_), ms_};
}

void PostThread::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || headers_ != nullptr; });
    if (stop_) return;  // RunSync waits for each answer: nothing is left unposted
    const HttpHeaders& headers = *headers_;
    const std::string& body = *body_;
    headers_ = nullptr, body_ = nullptr;
    lock.unlock();
    HttpReply reply;
    const int64_t sent_at = now_ms_();
    try {
      reply = transport_.PostSync(headers, body);
    } catch (const std::exception&) {
      // No what(): a transport's message may quote the request.
      reply = HttpReply();
      reply.failure = "the HTTP transport failed with an exception";
    } catch (...) {
      reply = HttpReply();
      reply.failure = "the HTTP transport failed with an exception";
    }
    const int64_t ms = now_ms_() - sent_at;
    lock.lock();
    reply_ = std::move(reply);
    ms_ = ms;
    done_ = true;
    cv_.notify_all();
  }
}

}  // namespace sotay::sync_detail
