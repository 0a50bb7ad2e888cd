#include "lessonlocator.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace Loopscope::App {

namespace {
constexpr const char kDefaultLesson[] = "01-main-module";

bool isLessonsDir(const fs::path &p)
{
    std::error_code ec;
    return fs::is_regular_file(p / kDefaultLesson / "script.js", ec);
}
}

std::string lessonsDirectory()
{
    if (const char *env = std::getenv("LOOPSCOPE_LESSONS_DIR"); env && *env && isLessonsDir(env))
        return fs::absolute(env).string();
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path installed = exe.parent_path().parent_path() / "share" / "loopscope" / "lessons";
        if (isLessonsDir(installed))
            return installed.string();
    }
    if (isLessonsDir(LOOPSCOPE_SOURCE_LESSONS_DIR))
        return LOOPSCOPE_SOURCE_LESSONS_DIR;
    return {};
}

std::string defaultLessonScript()
{
    const std::string dir = lessonsDirectory();
    return dir.empty() ? std::string() : (fs::path(dir) / kDefaultLesson / "script.js").string();
}

std::string defaultLessonTitle()
{
    // The script's first line is a comment naming the lesson.
    std::ifstream in(defaultLessonScript());
    std::string line;
    std::getline(in, line);
    if (line.starts_with("//"))
        line.erase(0, line.find_first_not_of("/ "));
    return line.empty() ? kDefaultLesson : line;
}

} // namespace Loopscope::App
