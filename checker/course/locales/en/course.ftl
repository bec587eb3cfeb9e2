# The course tool's texts in English (checker/course/src/i18n.rs). Every key here has its
# Russian twin in ../ru/course.ftl, with the same variables: a unit test holds them equal.
# Indentation and the marks (✓ ✗ ·) stay in the code; a message is the words only.

## Errors a user meets

error = error: { $message }
error-current-folder = cannot read the current folder
error-no-root = no course.toml in { $folder } or any folder above it: run this command inside the course workspace
error-no-lab = there is no lab "{ $lab }" in course.toml; the labs are { $labs }
error-no-task = there is no task { $task } in course.toml (tasks look like 2.3)
error-one-task = name one task at most, e.g. `cargo course check lab2 2.3`
error-task-elsewhere = task { $task } belongs to { $lab }: `cargo course check { $task }`
error-threshold = --similarity-threshold takes a number from 0 to 1, e.g. 0.6
error-not-a-run = { $folder } holds no students/ folder: name the output folder of a grading run
error-write = cannot write { $path }

## What the course tool says while it works

checking = checking { $lab } ({ $dir }): building its checks, then running them one by one
watching = watching { $dir } — save a file to check again, Ctrl-C to stop
wrote = wrote { $path }
wrote-handout = wrote the student edition ({ $files } files) to { $folder }: no solutions, no hidden checks, with .github/workflows/check.yml
wrote-gradescope = wrote the Gradescope autograder to { $folder } and { $zip }: upload the zip as the autograder

## The student's report (`cargo course check`)

report-points = { $earned }/{ $points } points
report-compile-error = { $dir } does not compile, so none of its tasks can be checked:
report-fix-first-error = Next: fix the first error above (`cargo build -p { $lab }` shows them all).
report-could-not-run = the checks of { $lab } could not run (not your fault):
report-write-it = not implemented yet: write it in { $file }
report-details = details: cargo course check { $lab } { $task }
report-no-checks = this task has no checks: tell your instructor
report-all-shows-them = {" "}(`--all` shows them)
report-also-failing = also failing: { $checks }
report-hint = hint: { $hint }
report-file = file: { $file } · read { $chapter }#{ $anchor }
report-collapsed = (the first failing task in full; `cargo course check { $lab } TASK` for another, `--all` for everything)
more-lines = … { $count } more lines

# The standard library's words at the start of a failed assert!/assert_eq! message.
std-assertion-failed = assertion failed
std-comparison-failed = assertion `{ $comparison }` failed

summary-total = Total: { $earned }/{ $points } points.
summary-well-done = { $total } Everything passes. Well done!
summary-make-it-compile = { $total } Next: make { $dir } compile (the error is above).
summary-not-checked = { $total } { $lab } could not be checked: run `cargo course check { $lab }` again; if it repeats, show the message above to your instructor.
summary-next-task = { $total } Next: task { $task } in { $file } (`cargo course watch { $lab }` re-checks on every save).

## What a check came to, when the course tool stopped it or saw it die

check-output-limit = killed: the check printed more than { $kib } KiB. Does your code print in a loop, or write a huge line?
check-timed-out = killed after { $secs } s. Something waits forever or loops: a lock never released, a join on a thread that never ends, a read with no EOF?
check-memory-limit = killed: the check used more memory than allowed. Does your code keep allocating (a growing Vec or String in a loop)?
check-cpu-limit = killed: the check used more than { $secs } s of CPU time. Does your code spin in a loop that never ends?
check-exited = the check's process exited before the check finished: does your code call std::process::exit?
check-signal = the check's process was killed by { $signal }{ $why ->
    [abort] {" "}(std::process::abort, or a panic while panicking)
    [memory] {" "}(memory misuse in unsafe code, or a stack overflow)
    [kill] {" "}(killed: out of memory, or a limit)
   *[other] {""}
}.
check-no-cargo = cannot run `{ $cargo }`: { $error }. Is cargo installed and on PATH?
check-build-timed-out = the build of { $lab } did not finish within { $secs } s and was stopped: does your code make the compiler loop (a huge constant, a recursive macro, include_bytes! of a large file)?

## Verdicts as a report describes them (the words of model::Verdict::describe)

verdict-passed = passed
verdict-failed = wrong answer
verdict-not_implemented = not implemented yet
verdict-panic = your code panicked
verdict-timeout = timed out (deadlock? endless wait?)
verdict-snapshot_mismatch = output differs from the expected output
verdict-signal = crashed (killed by a signal)
verdict-crashed = crashed
verdict-cpu_limit = used too much CPU time (an endless loop?)
verdict-memory = used too much memory
verdict-output_limit = printed too much output
verdict-compile_error = does not compile
verdict-grader_error = could not be checked (not your fault)
verdict-missing = not submitted

## Verdicts and statuses as feedback.md says them (the data words, spoken)

spoken-passed = passed
spoken-failed = failed
spoken-not_implemented = not implemented
spoken-panic = panic
spoken-timeout = timeout
spoken-snapshot_mismatch = snapshot mismatch
spoken-signal = signal
spoken-crashed = crashed
spoken-cpu_limit = cpu limit
spoken-memory = memory
spoken-output_limit = output limit
spoken-compile_error = compile error
spoken-grader_error = grader error
spoken-missing = missing
spoken-graded = graded

## The grader's feedback.md and results.json texts

feedback-title = { $course } — feedback for { $student }
feedback-rejected = **Your submission could not be graded:** { $message }
feedback-how-to-submit = Submit a folder, a `.zip` or a `.tar.gz` of your workspace (or of its `labs/` folder), with plain files only: no symbolic links, no `target/` folder needed.
feedback-total = **Total: { $earned }/{ $points }**
feedback-table-head = | lab | points | status |
feedback-hidden-checks = The grade uses the public checks you have and hidden checks of the same tasks with other sizes: a task earns its points when all of them pass.
feedback-skeleton-used = Not in your submission (the untouched skeleton was used): { $files }
feedback-flags = Noted for your instructor to read (no point is taken for it): { $flags }
feedback-lab-missing = Not submitted: none of this lab's task files were in your submission.
feedback-compile-error = { $dir } does not compile, so none of its tasks could be checked:
feedback-not-implemented = not implemented yet
feedback-run-check = : run `cargo course check { $task }` on your code
feedback-hidden-failing = { $count } hidden { $count ->
    [one] check
   *[other] checks
} (the same task with other sizes) — { $verdict }
feedback-task-missing = not submitted: { $file } was not in your submission
feedback-task-compile-error = { $dir } does not compile:

## Due dates and late work (feedback.md, results.json's notes)

late-graded-commit = Graded commit `{ $commit }`, committed { $date }
late-submitted = Submitted { $date } (the course's record)
late-date-unknown = The submission's date is not known
late-ignored = { $count ->
    [one] 1 later commit was not graded.
   *[other] { $count } later commits were not graded.
}
late-on-time = { $what }: on time (due { $due }).{ $ignored }
late-late = { $what }: { $days } { $days ->
    [one] day
   *[other] days
} late (due { $due }): −{ $percent } % of the points earned ({ $before } → { $after }).{ $ignored }
late-too-late = { $what }: { $days } days late (due { $due }), past the last day late work is accepted: 0 points.{ $ignored }
late-none-before = Due { $due }: { $note }. The lab is graded as not submitted.
late-unknown = Due { $due }: { $note }.
late-due = due { $due }: { $note }
late-nothing-to-grade = nothing to grade: { $note }
late-penalty = { $lab }: { $days } { $days ->
    [one] day
   *[other] days
} late, -{ $percent } % ({ $before } → { $after } points)
late-not-a-date = { $file } gives { $text }, not a date: lateness unknown, no penalty
late-no-date = a folder or an archive carries no date and { $file } has no row for this student: lateness unknown, no penalty
late-no-commit = no commit is dated at or before the due date { $due }: the { $count } { $count ->
    [one] commit after it is
   *[other] commits after it are
} not graded
late-short-late = +{ $days }d -{ $percent }%
late-short-too-late = +{ $days }d too late
late-short-no-commit = no commit by the due date
late-short-unknown = date unknown
rejected-output = Your submission could not be graded: { $message }

## The class report (report.html, similarity.html)

class-title = { $course } — class report
class-similar-title = { $course } — similar task files
class-intro = { $students } students; mean total { $mean } of { $max }. Labs: { $labs }. Per student: <code>students/&lt;id&gt;/feedback.md</code>; the gradebook: <code>grades.csv</code>.
class-totals = Totals
class-totals-note = Students per 10 % of the total ({ $max } points).
class-totals-chart = Histogram of the students' totals, in % of the maximum
class-pass-rate = Pass rate per task
class-pass-rate-note = Share of the { $students } students not rejected who earned all of the task's points.
class-pass-rate-chart = Pass rate per task of { $lab }
class-mistakes = The checks that failed most
class-mistakes-note = Not counting tasks left untouched (<code>todo!()</code>). The message is the most common one.
class-no-mistakes = No check failed.
class-col-check = check
class-col-students = students
class-col-verdict = verdict
class-col-message = most common message
class-verdicts = Verdicts
class-verdicts-note = Every check of every student; <q>lab …</q> counts labs that were not graded check by check.
class-verdicts-chart = Verdicts of the checks
class-lab-status = lab { $status }
class-problems = Students to look at
class-rejected = rejected
class-grader-error = grader error
class-grader-error-why = not the student's fault: fix and re-grade with --student ID
class-flagged = flagged
class-flagged-why = { $flags } (information, no point taken)
class-no-problems = None: no rejected, grader-error or flagged student.
class-col-student = student
class-col-what = what
class-col-why = why
class-every-lab = every lab: { $late }
class-late = Late submissions
class-col-late-by = late by
class-answers = Written answers
class-answers-note = Read them in <code>answers/&lt;task&gt;.md</code>, score them in <code>answers/scores.csv</code>; the next grading run adds the columns <code>answers:&lt;task&gt;</code> to grades.csv.
class-answers-task = task { $task }
class-answers-count = { $count } answers
class-students = Students
class-col-total = total
class-col-status = status
class-col-flags = flags
class-col-late = late
similar-title = Similar task files
similar-note = Pairs of students whose task files share at least { $percent } % of their own fingerprints (tokens with names and literals blanked, the skeleton's code removed; see the instructor's guide). A reason to read both submissions, never proof: a short task with one natural solution makes honest students alike. Every pair of files: <code>similarity.csv</code>.
similar-none = No pair at or above the threshold.
similar-col-alike = files alike
similar-col-highest = highest
similar-col-files = files
similar-and-more = and { $count } more
similar-more-pairs = { $count } more pairs of students in similarity.csv.
similar-fragments = the matching fragments
similar-lines = { $student } lines { $from }–{ $to }
similar-more-files = { $count } more files in similarity.csv.

## The written answers' pages (answers/<task>.md)

answers-title = Task { $task } { $title } — written answers
answers-intro = The doc comment of `{ $item }` in `{ $path }`, as each student submitted it (shown as text, never run). Score them in `scores.csv` beside this page; the grader merges it into grades.csv when it runs again.
answers-none = no answer

## Why a submission, or a part of it, was not graded (feedback.md, results.json)

reject-not-utf8 = a file name is not valid UTF-8 ({ $path }): rename it
reject-absolute = the archive holds an absolute path ({ $path }): archive the folder with relative paths
reject-dot-dot = a path goes up with `..` ({ $path }): archive the folder itself
reject-deep = folders nested more than { $depth } deep ({ $path })
reject-entries = more than { $entries } files and folders: submit only the workspace (without target/)
reject-link = { $path } is a symbolic link: links are not accepted, copy the file itself
reject-file-size = { $path } is { $kib } KiB: a student file may be at most { $max } KiB
reject-file-larger = { $path } is larger than { $max } KiB
reject-archive-size = the archive expands to more than { $mib } MiB: submit only the workspace (without target/)
reject-name-utf8 = the entry's name { $name } is not valid UTF-8: rename it to the student's id
reject-name = the entry's name { $name } is not a usable student id (letters, digits and . _ @ + - only)
reject-two = two submissions for this id ({ $names }): keep one
reject-entry-link = the entry is a symbolic link: submit a folder or an archive
reject-kind = { $name } is neither a folder nor a .zip / .tar.gz archive: submit your workspace (or its labs/ folder) in one of those forms
reject-empty = no student file was found (an empty submission?): expected files such as labs/lab1-sync/src/measure.rs
check-not-run = not run: the lab's time budget was used up by the checks before it
lab-not-found = no file of { $dir } was found in the submission
grader-error-part = part of this submission could not be graded (not the student's fault): see the labs marked grader_error

## The grader's progress and summary

grading-start = grading { $total } submissions ({ $skipped } already done)
grading-one = grading { $student }
# A submission's status in the progress lines: the data words themselves in English.
status-graded = graded
status-rejected = rejected
status-grader_error = grader_error
grading-progress = [{ $n }/{ $total }] { $student }: { $score }/{ $max } { $status } ({ $secs } s)
grading-dependencies = compiling the dependencies once (the first run takes a few minutes)…
grading-lock-wait = another grader holds { $lock }: waiting up to { $secs } s for it to end (a grader just stopped is still on its way out)…
grading-no-view = warning: no allow-list view for builds and checks (it needs root and Linux mount and pid namespaces): student code can read what this user can read, and builds run as this user. results.json records which limits held (extra_data.limits).
grading-done = graded { $students } students in { $secs } s ({ $skipped } already done); results in { $out }, the class report in { $report }
summary-students-graded = { $course } — { $students } students graded
summary-mean-per-lab = mean per lab:
summary-total-score = total score (out of { $max }):
summary-verdicts = verdicts of the checks:
summary-rejected = rejected submissions:
summary-flagged = flagged for reading (the task files use what the lab does not need: information, not a penalty; details in students/<id>/results.json):
summary-late = late submissions, and those without a date (+started days late, the penalty taken; details in students/<id>/results.json, labs[].late):
summary-ignored-commits = graded at the last commit by the due date (later commits ignored):
summary-grader-errors = GRADER ERRORS (not the students' fault; fix and re-grade with --student ID): { $students }

## The LMS exports, after a grading run

lms-exports = LMS exports: moodle.csv (Moodle: Grades → Import → CSV file) and canvas.csv (Canvas: Grades → Import); see docs/src/instructor/deadlines-and-lms.md.
lms-no-roster = no roster (SUBMISSIONS/roster.csv or --roster FILE): each submission's id is the Moodle username and the Canvas SIS Login ID.
lms-not-in-roster = not in the roster { $roster } (their id is used as username / SIS Login ID): { $students }
lms-absent = in the roster, with no graded submission (not exported): { $students }
