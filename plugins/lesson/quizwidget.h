#pragma once
// QuizWidget — a predict-the-order quiz: the output lines, shuffled, to be put in order by drag
// and drop or Alt+Up/Alt+Down; Check runs the script (QuizRun) and marks each line right or
// wrong, with the explanations from the trace below. GUI thread only.

#include "quizchecker.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;
class QTextBrowser;

namespace Loopscope::Lesson {

class QuizRun;

class QuizWidget final : public QWidget {
    Q_OBJECT
public:
    QuizWidget(QuizRun *run, QWidget *parent = nullptr);

    // Shows `quiz` for lesson `lessonId`, its lines in the lesson's shuffled order.
    void setQuiz(const QString &lessonId, const App::LessonQuiz &quiz);

    QStringList answer() const;          // the lines in the order the student put them
    void setAnswer(const QStringList &lines);
    bool moveLine(int row, int delta);   // Alt+Up / Alt+Down on `row`
    QListWidget *list() const { return m_list; }
    QPushButton *checkButton() const { return m_check; }
    QString statusText() const;
    QString explanationText() const;
    const QuizResult &lastResult() const { return m_result; }

public Q_SLOTS:
    void check();
    void reshuffle();

Q_SIGNALS:
    void quizChecked(const QString &lessonId, const Loopscope::Lesson::QuizResult &result);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void showResult(const QuizResult &result);
    void clearMarks();
    void paintMarks();

    QuizRun *m_run;
    QString m_lessonId;
    App::LessonQuiz m_quiz;
    QuizResult m_result;
    bool m_hasResult = false;
    QLabel *m_prompt;
    QListWidget *m_list;
    QPushButton *m_check;
    QPushButton *m_shuffle;
    QLabel *m_status;
    QTextBrowser *m_explanations;
};

} // namespace Loopscope::Lesson
