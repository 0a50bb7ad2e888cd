#pragma once
// lessonlocator — where the shipped lessons are: $LOOPSCOPE_LESSONS_DIR, else the installed
// share/loopscope/lessons beside the executable, else the source tree this binary was built from.

#include <string>

namespace Loopscope::App {

std::string lessonsDirectory();          // empty if none was found
std::string defaultLessonScript();       // absolute path of the first lesson's script, or empty
std::string defaultLessonTitle();

} // namespace Loopscope::App
