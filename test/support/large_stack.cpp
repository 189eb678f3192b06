#include "support/large_stack.hpp"

#include <pthread.h>
#include <stdexcept>
#include <string>

namespace tally::test {
namespace {

void* trampoline(void* argument) {
  (*static_cast<const std::function<void()>*>(argument))();
  return nullptr;
}

}  // namespace

void run_on_large_stack(const std::function<void()>& body, std::size_t stack_bytes) {
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, stack_bytes);
  pthread_t thread;
  const int created =
      pthread_create(&thread, &attributes, trampoline, const_cast<std::function<void()>*>(&body));
  pthread_attr_destroy(&attributes);
  if (created != 0)
    throw std::runtime_error("pthread_create failed: " + std::to_string(created));
  pthread_join(thread, nullptr);
}

}  // namespace tally::test
