// Not a lesson
