#include "lessoncatalog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace Loopscope::App {

namespace {

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

// An optional whole-number key of lesson.json: `*value` is left alone when the key is absent.
bool readWholeNumber(const QJsonObject &json, const QString &key, int min, int max, int *value, QString *error)
{
    if (!json.contains(key))
        return true;
    const QJsonValue v = json.value(key);
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d != double(int(d)) || d < min || d > max)
        return fail(error, QStringLiteral("lesson.json: \"%1\" must be a whole number from %2 to %3").arg(key).arg(min).arg(max));
    *value = int(d);
    return true;
}

// The script's first line is "// Title": the contract the Lessons menu relies on.
bool readScriptTitle(const QString &path, QString *title, QString *error)
{
    QFile file(path);
    const QString name = QFileInfo(path).fileName();
    if (!file.exists())
        return fail(error, QStringLiteral("script.js is missing"));
    if (!file.open(QIODevice::ReadOnly))
        return fail(error, QStringLiteral("%1 cannot be read: %2").arg(name, file.errorString()));
    const QString first = QString::fromUtf8(file.readLine()).trimmed();
    if (!first.startsWith(QStringLiteral("//")) || first.mid(2).trimmed().isEmpty())
        return fail(error, QStringLiteral("%1: the first line must be \"// Title\"").arg(name));
    *title = first.mid(2).trimmed();
    return true;
}

bool nonEmptyFile(const QString &path)
{
    const QFileInfo info(path);
    return info.isFile() && info.size() > 0;
}

QStringList jsonStrings(const QJsonValue &value, bool *ok)
{
    QStringList out;
    *ok = value.isArray();
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isString())
            *ok = false;
        out << item.toString();
    }
    return out;
}

// lesson.json "quiz": {"kind": "order"} orders the lines of expected.txt; "script", "lines" and
// "unordered" (groups whose order is up to timing) are for quizzes on a script of their own.
std::optional<LessonQuiz> readQuiz(const QJsonObject &json, const Lesson &lesson, QString *error)
{
    const QJsonValue quizValue = json.value(QStringLiteral("quiz"));
    if (!quizValue.isObject()) {
        fail(error, QStringLiteral("lesson.json: \"quiz\" must be an object"));
        return std::nullopt;
    }
    const QJsonObject quiz = quizValue.toObject();
    if (quiz.value(QStringLiteral("kind")).toString() != QLatin1String("order")) {
        fail(error, QStringLiteral("lesson.json: quiz \"kind\" must be \"order\""));
        return std::nullopt;
    }
    LessonQuiz result;
    result.scriptPath = lesson.scriptPath();
    if (quiz.contains(QStringLiteral("script"))) {
        const QString name = quiz.value(QStringLiteral("script")).toString();
        if (name.isEmpty() || name.contains(QLatin1Char('/')) || name.contains(QLatin1Char('\\'))
            || !QFileInfo(lesson.folder + QLatin1Char('/') + name).isFile()) {
            fail(error, QStringLiteral("lesson.json: quiz \"script\" must name a file in the lesson folder"));
            return std::nullopt;
        }
        result.scriptPath = lesson.folder + QLatin1Char('/') + name;
    }
    if (quiz.contains(QStringLiteral("lines"))) {
        bool ok = false;
        result.lines = jsonStrings(quiz.value(QStringLiteral("lines")), &ok);
        if (!ok) {
            fail(error, QStringLiteral("lesson.json: quiz \"lines\" must be an array of strings"));
            return std::nullopt;
        }
    } else if (lesson.expect == Lesson::Expect::Exact && result.scriptPath == lesson.scriptPath()) {
        QFile expected(lesson.expectedPath());
        if (!expected.open(QIODevice::ReadOnly)) {
            fail(error, QStringLiteral("expected.txt cannot be read"));
            return std::nullopt;
        }
        result.lines = QString::fromUtf8(expected.readAll()).split(QLatin1Char('\n'));
        if (!result.lines.isEmpty() && result.lines.last().isEmpty())
            result.lines.removeLast();
    } else {
        fail(error, QStringLiteral("lesson.json: a quiz on a pattern lesson or its own script needs \"lines\""));
        return std::nullopt;
    }
    if (result.lines.size() < 2 || result.lines.size() > 20) {
        fail(error, QStringLiteral("lesson.json: a quiz orders 2 to 20 lines, not %1").arg(result.lines.size()));
        return std::nullopt;
    }
    if (QSet<QString>(result.lines.cbegin(), result.lines.cend()).size() < 2) {
        fail(error, QStringLiteral("lesson.json: a quiz needs at least two different lines"));
        return std::nullopt;
    }
    qsizetype grouped = 0;
    for (const QJsonValue &group : quiz.value(QStringLiteral("unordered")).toArray()) {
        bool ok = false;
        const QStringList lines = jsonStrings(group, &ok);
        for (const QString &line : lines)
            ok = ok && result.lines.contains(line);
        if (!ok || lines.size() < 2) {
            fail(error, QStringLiteral("lesson.json: each quiz \"unordered\" group must list 2 or more of its \"lines\""));
            return std::nullopt;
        }
        grouped += lines.size();
        result.unordered << lines;
    }
    if (grouped >= result.lines.size()) {
        fail(error, QStringLiteral("lesson.json: a quiz whose every line is \"unordered\" has no right order"));
        return std::nullopt;
    }
    return result;
}

} // namespace

QString Lesson::expectedPath() const
{
    return folder + (expect == Expect::Exact ? QStringLiteral("/expected.txt")
                                             : QStringLiteral("/expected-pattern.txt"));
}

const QStringList &LessonCatalog::knownPanes()
{
    static const QStringList panes{QStringLiteral("Loopscope.EventLoop.Pane"),
                                   QStringLiteral("Loopscope.ThreadPool.Pane"),
                                   QStringLiteral("Loopscope.Console.Pane")};
    return panes;
}

std::optional<Lesson> LessonCatalog::loadLesson(const QString &folder, QString *error)
{
    const QFileInfo dirInfo(folder);
    Lesson lesson;
    lesson.id = dirInfo.fileName();
    lesson.folder = dirInfo.absoluteFilePath();

    static const QRegularExpression idPattern(QStringLiteral("^([0-9]{2})-[a-z0-9]+(-[a-z0-9]+)*$"));
    const QRegularExpressionMatch idMatch = idPattern.match(lesson.id);
    if (!dirInfo.isDir() || !idMatch.hasMatch()) {
        fail(error, QStringLiteral("not a lesson folder: the name must look like NN-name"));
        return std::nullopt;
    }

    const bool js = QFileInfo::exists(lesson.folder + QStringLiteral("/script.js"));
    if (!js && QFileInfo::exists(lesson.folder + QStringLiteral("/script.ts")))
        lesson.scriptName = QStringLiteral("script.ts");
    else if (js && QFileInfo::exists(lesson.folder + QStringLiteral("/script.ts"))) {
        fail(error, QStringLiteral("script.js and script.ts: a lesson has one script"));
        return std::nullopt;
    }
    QString scriptTitle;
    if (!readScriptTitle(lesson.scriptPath(), &scriptTitle, error))
        return std::nullopt;
    if (!nonEmptyFile(lesson.markdownPath())) {
        fail(error, QStringLiteral("lesson.md is missing or empty"));
        return std::nullopt;
    }

    QFile jsonFile(lesson.folder + QStringLiteral("/lesson.json"));
    if (!jsonFile.open(QIODevice::ReadOnly)) {
        fail(error, QStringLiteral("lesson.json is missing or unreadable"));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(jsonFile.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        fail(error, QStringLiteral("lesson.json is not valid JSON: %1 at offset %2")
                        .arg(parseError.errorString())
                        .arg(parseError.offset));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        fail(error, QStringLiteral("lesson.json must hold an object"));
        return std::nullopt;
    }
    const QJsonObject json = doc.object();

    const QJsonValue title = json.value(QStringLiteral("title"));
    if (!title.isString() || title.toString().trimmed().isEmpty()) {
        fail(error, QStringLiteral("lesson.json: no \"title\" (a non-empty string)"));
        return std::nullopt;
    }
    lesson.title = title.toString();
    if (lesson.title != scriptTitle) {
        fail(error, QStringLiteral("lesson.json: \"title\" \"%1\" differs from the script's first line \"%2\"")
                        .arg(lesson.title, scriptTitle));
        return std::nullopt;
    }

    const QJsonValue order = json.value(QStringLiteral("order"));
    const int prefix = idMatch.captured(1).toInt();
    if (!order.isDouble() || order.toDouble() != double(order.toInt()) || order.toInt() != prefix) {
        fail(error, QStringLiteral("lesson.json: \"order\" must be the whole number %1, as in the folder name")
                        .arg(prefix));
        return std::nullopt;
    }
    lesson.order = order.toInt();

    const QJsonValue concepts = json.value(QStringLiteral("concepts"));
    if (!concepts.isArray() || concepts.toArray().isEmpty()) {
        fail(error, QStringLiteral("lesson.json: \"concepts\" must be a non-empty array of strings"));
        return std::nullopt;
    }
    for (const QJsonValue &item : concepts.toArray()) {
        if (!item.isString() || item.toString().isEmpty()) {
            fail(error, QStringLiteral("lesson.json: \"concepts\" must be a non-empty array of strings"));
            return std::nullopt;
        }
        lesson.concepts << item.toString();
    }

    lesson.pane = json.value(QStringLiteral("pane")).toString();
    if (!knownPanes().contains(lesson.pane)) {
        fail(error, QStringLiteral("lesson.json: \"pane\" must be one of %1")
                        .arg(knownPanes().join(QStringLiteral(", "))));
        return std::nullopt;
    }

    const QString expect = json.value(QStringLiteral("expect")).toString();
    if (expect == QLatin1String("exact")) {
        lesson.expect = Lesson::Expect::Exact;
    } else if (expect == QLatin1String("pattern")) {
        lesson.expect = Lesson::Expect::Pattern;
    } else {
        fail(error, QStringLiteral("lesson.json: \"expect\" must be \"exact\" or \"pattern\""));
        return std::nullopt;
    }
    if (!QFileInfo(lesson.expectedPath()).isFile()) {
        fail(error, QStringLiteral("%1 is missing (lesson.json says \"expect\": \"%2\")")
                        .arg(QFileInfo(lesson.expectedPath()).fileName(), expect));
        return std::nullopt;
    }
    if (lesson.expect == Lesson::Expect::Pattern) {
        QFile patterns(lesson.expectedPath());
        if (!patterns.open(QIODevice::ReadOnly)) {
            fail(error, QStringLiteral("expected-pattern.txt cannot be read"));
            return std::nullopt;
        }
        int lineNumber = 0;
        for (const QByteArray &line : patterns.readAll().split('\n')) {
            ++lineNumber;
            const QRegularExpression re(QString::fromUtf8(line));
            if (!re.isValid()) {
                fail(error, QStringLiteral("expected-pattern.txt line %1: %2")
                                .arg(lineNumber)
                                .arg(re.errorString()));
                return std::nullopt;
            }
        }
    }

    // threadPoolSize: the sizes the IDE's Thread pool selector offers (ui/threadpoolselector.h).
    if (!readWholeNumber(json, QStringLiteral("exitCode"), 0, 255, &lesson.exitCode, error)
        || !readWholeNumber(json, QStringLiteral("threadPoolSize"), 1, 16, &lesson.threadPoolSize, error))
        return std::nullopt;

    if (json.contains(QStringLiteral("quiz"))) {
        lesson.quiz = readQuiz(json, lesson, error);
        if (!lesson.quiz)
            return std::nullopt;
    }
    return lesson;
}

std::optional<Lesson> LessonCatalog::lessonForScript(const QString &scriptPath)
{
    const QFileInfo script(scriptPath);
    if ((script.fileName() != QLatin1String("script.js") && script.fileName() != QLatin1String("script.ts"))
        || !script.isFile()
        || !QFileInfo::exists(script.dir().filePath(QStringLiteral("lesson.json"))))
        return std::nullopt;
    QString error;
    return loadLesson(script.absolutePath(), &error);
}

LessonCatalog LessonCatalog::load(const QString &lessonsDir)
{
    LessonCatalog catalog;
    const QDir dir(lessonsDir);
    if (lessonsDir.isEmpty() || !dir.exists()) {
        catalog.m_problems << LessonProblem{lessonsDir, QStringLiteral("the lessons folder does not exist"), lessonsDir};
        return catalog;
    }
    const QStringList folders = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &name : folders) {
        QString error;
        if (std::optional<Lesson> lesson = loadLesson(dir.filePath(name), &error)) {
            lesson->lessonsDir = dir.absolutePath();
            catalog.m_lessons << *lesson;
        } else {
            catalog.m_problems << LessonProblem{name, error, dir.absolutePath()};
        }
    }
    std::stable_sort(catalog.m_lessons.begin(), catalog.m_lessons.end(),
                     [](const Lesson &a, const Lesson &b) { return a.order < b.order; });
    // Two folders with one number: keep the first, report the second.
    for (qsizetype i = 1; i < catalog.m_lessons.size();) {
        if (catalog.m_lessons[i].order == catalog.m_lessons[i - 1].order) {
            catalog.m_problems << LessonProblem{catalog.m_lessons[i].id,
                                                QStringLiteral("order %1 is already taken by %2")
                                                    .arg(catalog.m_lessons[i].order)
                                                    .arg(catalog.m_lessons[i - 1].id),
                                                dir.absolutePath()};
            catalog.m_lessons.removeAt(i);
        } else {
            ++i;
        }
    }
    return catalog;
}

LessonCatalog LessonCatalog::load(const QStringList &lessonsDirs)
{
    LessonCatalog catalog;
    QSet<QString> seenDirs;
    QHash<QString, QString> ids;  // folder name -> the lessons folder that has it
    for (const QString &lessonsDir : lessonsDirs) {
        if (lessonsDir.isEmpty())
            continue;
        const QString absolute = QFileInfo(lessonsDir).absoluteFilePath();
        if (seenDirs.contains(absolute))
            continue;  // the same folder named twice (a teacher picking the shipped course)
        seenDirs.insert(absolute);
        const LessonCatalog one = load(lessonsDir);
        for (const LessonProblem &problem : one.problems())
            catalog.m_problems << LessonProblem{problem.id, problem.message, absolute};
        for (const Lesson &lesson : one.lessons()) {
            if (ids.contains(lesson.id)) {
                catalog.m_problems << LessonProblem{lesson.id,
                                                    QStringLiteral("a lesson named %1 is already loaded from %2")
                                                        .arg(lesson.id, ids.value(lesson.id)),
                                                    absolute};
                continue;
            }
            ids.insert(lesson.id, absolute);
            catalog.m_lessons << lesson;
        }
    }
    return catalog;
}

} // namespace Loopscope::App
