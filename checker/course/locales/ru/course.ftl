# Тексты инструмента курса на русском (checker/course/src/i18n.rs). У каждого ключа здесь есть
# английский двойник в ../en/course.ftl с теми же переменными: это проверяет модульный тест.
# Отступы и значки (✓ ✗ ·) остаются в коде; сообщение — только слова.

## Ошибки, которые видит пользователь

error = ошибка: { $message }
error-current-folder = не удаётся прочитать текущую папку
error-no-root = нет course.toml ни в { $folder }, ни в папках выше: запускайте эту команду внутри рабочего пространства курса
error-no-lab = в course.toml нет лабораторной «{ $lab }»; есть такие: { $labs }
error-no-task = в course.toml нет задания { $task } (задания выглядят как 2.3)
error-one-task = укажите не больше одного задания, например `cargo course check lab2 2.3`
error-task-elsewhere = задание { $task } относится к { $lab }: `cargo course check { $task }`
error-threshold = `--similarity-threshold` принимает число от 0 до 1, например 0.6
error-not-a-run = в { $folder } нет папки `students/`: укажите выходную папку запуска проверки
error-write = не удаётся записать { $path }

## Что инструмент курса говорит во время работы

checking = проверяю { $lab } ({ $dir }): собираю проверки, затем запускаю их по одной
watching = слежу за { $dir } — сохраните файл, чтобы проверить снова; Ctrl-C — остановить
wrote = записано: { $path }
wrote-handout = студенческая версия ({ $files } { $files ->
    [one] файл
    [few] файла
   *[many] файлов
}) записана в { $folder }: без решений и скрытых проверок, с `.github/workflows/check.yml`
wrote-gradescope = автогрейдер Gradescope записан в { $folder } и { $zip }: загрузите zip как автогрейдер

## Отчёт студента (`cargo course check`)

report-points = { $earned }/{ $points } { $points ->
    [one] балл
    [few] балла
   *[many] баллов
}
report-compile-error = { $dir } не компилируется, поэтому ни одно его задание нельзя проверить:
report-fix-first-error = Дальше: исправьте первую ошибку выше (`cargo build -p { $lab }` покажет все).
report-could-not-run = проверки { $lab } не удалось запустить (вы не виноваты):
report-write-it = ещё не реализовано: напишите его в { $file }
report-details = подробнее: `cargo course check { $lab } { $task }`
report-no-checks = у этого задания нет проверок: сообщите преподавателю
report-all-shows-them = {" "}(`--all` покажет их)
report-also-failing = также не проходят: { $checks }
report-hint = подсказка: { $hint }
report-file = файл: { $file } · читайте { $chapter }#{ $anchor }
report-collapsed = (первое непройденное задание показано полностью; `cargo course check { $lab } ЗАДАНИЕ` — другое, `--all` — всё)
more-lines = … ещё { $count } { $count ->
    [one] строка
    [few] строки
   *[many] строк
}

# The standard library's words at the start of a failed assert!/assert_eq! message.
std-assertion-failed = утверждение не выполнено
std-comparison-failed = утверждение `{ $comparison }` не выполнено

summary-total = Итого: { $earned }/{ $points } { $points ->
    [one] балл
    [few] балла
   *[many] баллов
}.
summary-well-done = { $total } Всё проходит. Отличная работа!
summary-make-it-compile = { $total } Дальше: добейтесь, чтобы { $dir } компилировался (ошибка выше).
summary-not-checked = { $total } { $lab } не удалось проверить: запустите `cargo course check { $lab }` ещё раз; если повторится, покажите сообщение выше преподавателю.
summary-next-task = { $total } Дальше: задание { $task } в { $file } (`cargo course watch { $lab }` перепроверяет при каждом сохранении).

## Чем закончилась проверка, которую остановил инструмент курса или которая упала

check-output-limit = остановлено: проверка вывела больше { $kib } КиБ. Ваш код печатает в цикле или пишет огромную строку?
check-timed-out = остановлено через { $secs } с. Что-то ждёт вечно или зациклилось: блокировка, которую не отпустили, join потока, который не заканчивается, чтение без EOF?
check-memory-limit = остановлено: проверка использовала больше памяти, чем разрешено. Ваш код всё время выделяет память (растущий Vec или String в цикле)?
check-cpu-limit = остановлено: проверка использовала больше { $secs } с процессорного времени. Ваш код крутится в бесконечном цикле?
check-exited = процесс проверки завершился раньше, чем проверка: ваш код вызывает `std::process::exit`?
check-signal = процесс проверки убит сигналом { $signal }{ $why ->
    [abort] {" "}(`std::process::abort` или паника во время паники)
    [memory] {" "}(неверная работа с памятью в unsafe-коде или переполнение стека)
    [kill] {" "}(убит: не хватило памяти или сработало ограничение)
   *[other] {""}
}.
check-no-cargo = не удаётся запустить `{ $cargo }`: { $error }. Установлен ли cargo и есть ли он в PATH?
check-build-timed-out = сборка { $lab } не завершилась за { $secs } с и была остановлена: ваш код зацикливает компилятор (огромная константа, рекурсивный макрос, `include_bytes!` большого файла)?

## Вердикты, как их описывает отчёт

verdict-passed = пройдено
verdict-failed = неверный ответ
verdict-not_implemented = ещё не реализовано
verdict-panic = ваш код запаниковал
verdict-timeout = превышено время (взаимная блокировка? бесконечное ожидание?)
verdict-snapshot_mismatch = вывод отличается от ожидаемого
verdict-signal = аварийное завершение (процесс убит сигналом)
verdict-crashed = аварийное завершение
verdict-cpu_limit = слишком много процессорного времени (бесконечный цикл?)
verdict-memory = слишком много памяти
verdict-output_limit = слишком много вывода
verdict-compile_error = не компилируется
verdict-grader_error = не удалось проверить (вы не виноваты)
verdict-missing = не сдано

## Вердикты и состояния, как их называет feedback.md

spoken-passed = пройдено
spoken-failed = не пройдено
spoken-not_implemented = не реализовано
spoken-panic = паника
spoken-timeout = превышено время
spoken-snapshot_mismatch = вывод отличается
spoken-signal = сигнал
spoken-crashed = аварийное завершение
spoken-cpu_limit = лимит процессорного времени
spoken-memory = лимит памяти
spoken-output_limit = лимит вывода
spoken-compile_error = ошибка компиляции
spoken-grader_error = ошибка проверяющей системы
spoken-missing = не сдано
spoken-graded = оценено

## Тексты feedback.md и results.json

feedback-title = { $course } — отзыв для { $student }
feedback-rejected = **Вашу работу не удалось оценить:** { $message }
feedback-how-to-submit = Сдайте папку, `.zip` или `.tar.gz` вашего рабочего пространства (или его папки `labs/`) только с обычными файлами: без символических ссылок; папка `target/` не нужна.
feedback-total = **Итого: { $earned }/{ $points }**
feedback-table-head = | ЛР | баллы | состояние |
feedback-hidden-checks = Оценка учитывает ваши открытые проверки и скрытые проверки тех же заданий на других размерах: задание получает свои баллы, когда проходят все они.
feedback-skeleton-used = Нет в вашей работе (взята нетронутая заготовка): { $files }
feedback-flags = Отмечено для преподавателя (баллы за это не снимаются): { $flags }
feedback-lab-missing = Не сдано: ни одного файла заданий этой лабораторной в вашей работе нет.
feedback-compile-error = { $dir } не компилируется, поэтому ни одно его задание не удалось проверить:
feedback-not-implemented = ещё не реализовано
feedback-run-check = : запустите `cargo course check { $task }` на своём коде
feedback-hidden-failing = { $count } { $count ->
    [one] скрытая проверка
    [few] скрытые проверки
   *[many] скрытых проверок
} (то же задание на других размерах) — { $verdict }
feedback-task-missing = не сдано: { $file } нет в вашей работе
feedback-task-compile-error = { $dir } не компилируется:

## Сроки и опоздания (feedback.md, примечания в results.json)

late-graded-commit = Оценён коммит `{ $commit }` от { $date }
late-submitted = Сдано { $date } (по записи курса)
late-date-unknown = Дата сдачи неизвестна
late-ignored = { $count ->
    [one] { $count } более поздний коммит не оценивался.
    [few] { $count } более поздних коммита не оценивались.
   *[many] { $count } более поздних коммитов не оценивались.
}
late-on-time = { $what }: вовремя (срок { $due }).{ $ignored }
late-late = { $what }: опоздание { $days } { $days ->
    [one] день
    [few] дня
   *[many] дней
} (срок { $due }): −{ $percent } % набранных баллов ({ $before } → { $after }).{ $ignored }
late-too-late = { $what }: опоздание { $days } { $days ->
    [one] день
    [few] дня
   *[many] дней
} (срок { $due }), позже последнего дня, когда принимаются опоздавшие работы: 0 баллов.{ $ignored }
late-none-before = Срок { $due }: { $note }. Лабораторная оценена как несданная.
late-unknown = Срок { $due }: { $note }.
late-due = срок { $due }: { $note }
late-nothing-to-grade = нечего оценивать: { $note }
late-penalty = { $lab }: опоздание { $days } { $days ->
    [one] день
    [few] дня
   *[many] дней
}, -{ $percent } % ({ $before } → { $after } { $after ->
    [one] балл
    [few] балла
   *[many] баллов
})
late-not-a-date = в { $file } указано { $text }, а это не дата: опоздание неизвестно, без штрафа
late-no-date = у папки или архива нет даты, а в { $file } нет строки для этого студента: опоздание неизвестно, без штрафа
late-no-commit = ни один коммит не датирован сроком { $due } или раньше: { $count } { $count ->
    [one] коммит после него не оценивается
    [few] коммита после него не оцениваются
   *[many] коммитов после него не оцениваются
}
late-short-late = +{ $days } дн. -{ $percent }%
late-short-too-late = +{ $days } дн., слишком поздно
late-short-no-commit = нет коммита к сроку
late-short-unknown = дата неизвестна
rejected-output = Вашу работу не удалось оценить: { $message }

## Отчёт по группе (report.html, similarity.html)

class-title = { $course } — отчёт по группе
class-similar-title = { $course } — похожие файлы заданий
class-intro = Студентов: { $students }; средний итог { $mean } из { $max }. Лабораторные: { $labs }. По каждому студенту: <code>students/&lt;id&gt;/feedback.md</code>; ведомость: <code>grades.csv</code>.
class-totals = Итоги
class-totals-note = Число студентов на каждые 10 % итога (из { $max }).
class-totals-chart = Гистограмма итогов студентов, в % от максимума
class-pass-rate = Доля сдавших по заданиям
class-pass-rate-note = Доля студентов (из { $students } неотклонённых), получивших все баллы задания.
class-pass-rate-chart = Доля сдавших по заданиям { $lab }
class-mistakes = Чаще всего непройденные проверки
class-mistakes-note = Без нетронутых заданий (<code>todo!()</code>). Сообщение — самое частое.
class-no-mistakes = Все проверки пройдены.
class-col-check = проверка
class-col-students = студентов
class-col-verdict = вердикт
class-col-message = самое частое сообщение
class-verdicts = Вердикты
class-verdicts-note = Каждая проверка каждого студента; <q>ЛР …</q> — лабораторные, которые не оценивались по проверкам.
class-verdicts-chart = Вердикты проверок
class-lab-status = ЛР: { $status }
class-problems = На кого посмотреть
class-rejected = отклонено
class-grader-error = ошибка проверяющей системы
class-grader-error-why = студент не виноват: исправьте и переоцените с `--student ID`
class-flagged = отмечено
class-flagged-why = { $flags } (для сведения, баллы не сняты)
class-no-problems = Никого: нет отклонённых, отмеченных студентов и ошибок проверяющей системы.
class-col-student = студент
class-col-what = что
class-col-why = почему
class-every-lab = все ЛР: { $late }
class-late = Сданные с опозданием
class-col-late-by = опоздание
class-answers = Письменные ответы
class-answers-note = Читайте их в <code>answers/&lt;task&gt;.md</code>, оценивайте в <code>answers/scores.csv</code>; следующий запуск проверки добавит столбцы <code>answers:&lt;task&gt;</code> в grades.csv.
class-answers-task = задание { $task }
class-answers-count = { $count ->
    [one] { $count } ответ
    [few] { $count } ответа
   *[many] { $count } ответов
}
class-students = Студенты
class-col-total = итог
class-col-status = состояние
class-col-flags = отметки
class-col-late = опоздание
similar-title = Похожие файлы заданий
similar-note = Пары студентов, чьи файлы заданий совпадают хотя бы на { $percent } % собственных отпечатков (лексемы с обезличенными именами и литералами, без кода заготовки; см. руководство преподавателя). Это повод прочитать обе работы, но не доказательство: в коротком задании с одним естественным решением честные студенты похожи друг на друга. Все пары файлов: <code>similarity.csv</code>.
similar-none = Ни одной пары на пороге или выше.
similar-col-alike = похожих файлов
similar-col-highest = максимум
similar-col-files = файлы
similar-and-more = и ещё { $count }
similar-more-pairs = Ещё пар студентов в similarity.csv: { $count }.
similar-fragments = совпадающие фрагменты
similar-lines = { $student }, строки { $from }–{ $to }
similar-more-files = Ещё файлов в similarity.csv: { $count }.

## Страницы письменных ответов (answers/<task>.md)

answers-title = Задание { $task } { $title } — письменные ответы
answers-intro = Doc-комментарий `{ $item }` в `{ $path }` в том виде, как его сдал каждый студент (показан как текст, никогда не выполняется). Оценивайте их в `scores.csv` рядом с этой страницей; проверяющая система добавит оценки в grades.csv при следующем запуске.
answers-none = нет ответа

## Почему работа или её часть не оценена (feedback.md, results.json)

reject-not-utf8 = имя файла не в UTF-8 ({ $path }): переименуйте его
reject-absolute = в архиве абсолютный путь ({ $path }): упакуйте папку с относительными путями
reject-dot-dot = путь поднимается выше через `..` ({ $path }): упакуйте саму папку
reject-deep = папки вложены глубже { $depth } уровней ({ $path })
reject-entries = больше { $entries } файлов и папок: сдайте только рабочее пространство (без `target/`)
reject-link = { $path } — символическая ссылка: ссылки не принимаются, скопируйте сам файл
reject-file-size = { $path } занимает { $kib } КиБ: файл студента может быть не больше { $max } КиБ
reject-file-larger = { $path } больше { $max } КиБ
reject-archive-size = архив распаковывается больше чем в { $mib } МиБ: сдайте только рабочее пространство (без `target/`)
reject-name-utf8 = имя { $name } не в UTF-8: переименуйте его в идентификатор студента
reject-name = имя { $name } не годится как идентификатор студента (только буквы, цифры и . _ @ + -)
reject-two = две работы с этим идентификатором ({ $names }): оставьте одну
reject-entry-link = это символическая ссылка: сдайте папку или архив
reject-kind = { $name } — не папка и не архив .zip / .tar.gz: сдайте рабочее пространство (или его папку `labs/`) в одном из этих видов
reject-empty = не найдено ни одного файла студента (пустая работа?): ожидаются файлы вроде `labs/lab1-sync/src/measure.rs`
check-not-run = не запускалась: время, отведённое на лабораторную, израсходовали проверки до неё
lab-not-found = в работе нет ни одного файла из { $dir }
grader-error-part = часть работы не удалось оценить (студент не виноват): см. лабораторные с пометкой `grader_error`

## Ход проверки и итог для преподавателя

grading-start = проверяю работы: { $total } (уже готово: { $skipped })
grading-one = проверяю { $student }
# Состояние работы в строках хода проверки.
status-graded = оценено
status-rejected = отклонено
status-grader_error = ошибка проверяющей системы
grading-progress = [{ $n }/{ $total }] { $student }: { $score }/{ $max } { $status } ({ $secs } с)
grading-dependencies = один раз компилирую зависимости (первый запуск занимает несколько минут)…
grading-lock-wait = { $lock } занят другим запуском проверки: жду до { $secs } с, пока он завершится (только что остановленный запуск ещё закрывается)…
grading-no-view = предупреждение: нет изолированного представления файлов для сборок и проверок (нужны root и пространства имён mount и pid в Linux): код студента может читать то же, что этот пользователь, а сборки идут от его имени. Какие ограничения действовали, записано в results.json (`extra_data.limits`).
grading-done = оценено студентов: { $students } за { $secs } с (уже готово: { $skipped }); результаты в { $out }, отчёт по группе в { $report }
summary-students-graded = { $course } — оценено студентов: { $students }
summary-mean-per-lab = среднее по лабораторным:
summary-total-score = общий балл (из { $max }):
summary-verdicts = вердикты проверок:
summary-rejected = отклонённые работы:
summary-flagged = отмечено для чтения (файлы заданий используют то, что лабораторной не нужно: это сведения, а не штраф; подробности в `students/<id>/results.json`):
summary-late = работы, сданные с опозданием, и работы без даты (+начатые дни опоздания, снятый штраф; подробности в `students/<id>/results.json`, `labs[].late`):
summary-ignored-commits = оценено по последнему коммиту до срока (более поздние коммиты не учтены):
summary-grader-errors = ОШИБКИ ПРОВЕРЯЮЩЕЙ СИСТЕМЫ (студенты не виноваты; исправьте и переоцените с `--student ID`): { $students }

## Выгрузка в LMS после проверки

lms-exports = Выгрузка в LMS: moodle.csv (Moodle: Оценки → Импорт → CSV-файл) и canvas.csv (Canvas: Оценки → Импорт); подробнее — docs/src/instructor/deadlines-and-lms.md.
lms-no-roster = списка группы нет (SUBMISSIONS/roster.csv или --roster FILE): id каждой работы служит логином в Moodle и SIS Login ID в Canvas.
lms-not-in-roster = нет в списке группы { $roster } (их id используется как логин / SIS Login ID): { $students }
lms-absent = есть в списке группы, но проверенной работы нет (не выгружены): { $students }
