// PostThread: the one thread on which RunSync posts its requests, kept for the whole
// run. A thread started for each request (std::async) cost about 2 ms before its
// POST went out when the machine was busy (the device and the server share cores),
// and that wait lay between every answer and the next request: the length of a
// push of 10,000 records is 50 of those gaps. A waiting thread is woken instead.
//
// Thread-safety: Post and Wait are called by one thread (RunSync's), in turn: Post,
// then Wait, then Post again. The transport is called only on this object's thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "sotay/sync_run.h"

namespace sotay::sync_detail {

class PostThread {
 public:
  // `now_ms` (a monotonic clock) is read on this thread around each POST.
  PostThread(SyncTransport& transport, std::function<int64_t()> now_ms);
  ~PostThread();  // waits for a POST under way, then ends the thread
  PostThread(const PostThread&) = delete;
  PostThread& operator=(const PostThread&) = delete;

  // Starts POSTing `body` with `headers`. Both must stay alive until Wait returns.
  void Post(const HttpHeaders& headers, const std::string& body);
  // The answer to the last Post, and how long it took in milliseconds. A transport
  // that threw is an unanswered reply that says so.
  std::pair<HttpReply, int64_t> Wait();

 private:
  void Loop();

  SyncTransport& transport_;
  const std::function<int64_t()> now_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  const HttpHeaders* headers_ = nullptr;  // set by Post, cleared when taken
  const std::string* body_ = nullptr;
  bool done_ = false;  // the reply is in
  bool stop_ = false;
  HttpReply reply_;
  int64_t ms_ = 0;
  std::thread thread_;  // last: started once the members it reads exist
};

}  // namespace sotay::sync_detail
