#include "audit/reserve_filler.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "gtest/gtest.h"

namespace tessera::audit {
namespace {

class TempFile {
 public:
  TempFile() {
    char tmpl[] = "/tmp/tessera-filler-XXXXXX";
    fd_ = ::mkstemp(tmpl);
    path_ = tmpl;
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    std::filesystem::remove(path_);
  }
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  off_t size() const {
    struct stat st {};
    ::fstat(fd_, &st);
    return st.st_size;
  }
  std::string Read() const {
    std::string out(static_cast<size_t>(size()), '?');
    if (::pread(fd_, out.data(), out.size(), 0) != static_cast<ssize_t>(out.size())) return "";
    return out;
  }

 private:
  int fd_ = -1;
  std::string path_;
};

// Waits (up to 10 s) until the filler has nothing left to do.
bool AwaitIdle(const ReserveFiller& filler) {
  for (int i = 0; i < 1000 && filler.busy(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return !filler.busy();
}

TEST(ReserveFiller, FillsTheRangeWithZerosAndLeavesWhatIsBeforeIt) {
  TempFile file;
  ASSERT_EQ(::pwrite(file.fd(), "records\n", 8, 0), 8);
  ReserveFiller filler;
  EXPECT_EQ(filler.filled_end(), 0);
  const off_t to = 8 + 2 * ReserveFiller::kStep + 1000;  // two whole steps and a part
  filler.Fill(file.fd(), 8, to);
  ASSERT_TRUE(AwaitIdle(filler));
  EXPECT_EQ(filler.filled_end(), to);
  EXPECT_EQ(file.size(), to);
  std::string text = file.Read();
  EXPECT_EQ(text.substr(0, 8), "records\n");
  EXPECT_EQ(text.find_first_not_of('\0', 8), std::string::npos);
}

TEST(ReserveFiller, HaltStopsAfterTheStepInProgressAndSaysWhereTheZerosEnd) {
  TempFile file;
  ReserveFiller filler;
  filler.Fill(file.fd(), 0, 4096 * ReserveFiller::kStep);  // a gigabyte: far more than it gets to
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const off_t end = filler.Halt();
  EXPECT_FALSE(filler.busy());
  EXPECT_EQ(filler.filled_end(), 0) << "no job after a halt";
  EXPECT_EQ(end % ReserveFiller::kStep, 0) << "whole steps";
  EXPECT_LT(end, 4096 * ReserveFiller::kStep);
  // The file is the caller's again: nothing more is written to it.
  const off_t size = file.size();
  EXPECT_GE(size, end);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(file.size(), size);
  // A halt without a job reports nothing filled.
  EXPECT_EQ(filler.Halt(), 0);
}

TEST(ReserveFiller, ANewJobReplacesTheOldOne) {
  TempFile file;
  ReserveFiller filler;
  filler.Fill(file.fd(), 0, 4096 * ReserveFiller::kStep);
  filler.Fill(file.fd(), 0, ReserveFiller::kStep);
  ASSERT_TRUE(AwaitIdle(filler));
  EXPECT_EQ(filler.filled_end(), ReserveFiller::kStep);
}

TEST(ReserveFiller, AFileItCannotWriteEndsTheJobWithoutFillingIt) {
  TempFile file;
  int read_only = ::open(file.path().c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(read_only, 0);
  ReserveFiller filler;
  filler.Fill(read_only, 0, 3 * ReserveFiller::kStep);
  ASSERT_TRUE(AwaitIdle(filler));
  EXPECT_EQ(filler.filled_end(), 0) << "nothing durable";
  EXPECT_EQ(filler.Halt(), 0);
  EXPECT_EQ(file.size(), 0);
  ::close(read_only);
}

TEST(ReserveFiller, StopsWhenDestroyedInTheMiddleOfAJob) {
  TempFile file;
  {
    ReserveFiller filler;
    filler.Fill(file.fd(), 0, 4096 * ReserveFiller::kStep);
  }  // joins: the test would hang or crash if the thread outlived it
  const off_t size = file.size();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(file.size(), size);
  EXPECT_LT(size, 4096 * ReserveFiller::kStep);
}

}  // namespace
}  // namespace tessera::audit
