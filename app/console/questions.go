package console

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"salon/app/web"
	"salon/events"
	"salon/tickets"
)

// questionForm is one question of the salon form's editor as typed; the
// options are one per line.
type questionForm struct {
	ID, Label, LabelZh, Type string
	Options, OptionsZh       string
	Required                 bool
}

// questionTypes are the types the editor offers, in its order.
var questionTypes = []string{events.QuestionText, events.QuestionChoice, events.QuestionMulti, events.QuestionCheckbox}

// maxQuestionRows bounds how many rows of the editor a post is read for.
const maxQuestionRows = events.MaxQuestions + 1

func questionForms(qs []events.Question) []questionForm {
	out := make([]questionForm, 0, len(qs))
	for _, q := range qs {
		out = append(out, questionForm{ID: q.ID, Label: q.Label, LabelZh: q.LabelZh, Type: q.Type,
			Options: strings.Join(q.Options, "\n"), OptionsZh: strings.Join(q.OptionsZh, "\n"), Required: q.Required})
	}
	return out
}

// readQuestionForms reads the editor's rows, q0_… to qN_…, up to the
// first row that is missing.
func readQuestionForms(c *fiber.Ctx) []questionForm {
	var out []questionForm
	args := c.Request().PostArgs()
	for i := 0; i < maxQuestionRows; i++ {
		p := "q" + strconv.Itoa(i) + "_"
		if !args.Has(p + "type") {
			break
		}
		out = append(out, questionForm{ID: c.FormValue(p + "id"), Label: c.FormValue(p + "label"),
			LabelZh: c.FormValue(p + "label_zh"), Type: c.FormValue(p + "type"), Options: c.FormValue(p + "options"),
			OptionsZh: c.FormValue(p + "options_zh"), Required: c.FormValue(p+"required") == "on"})
	}
	return out
}

// questions turns the editor's rows into the salon's questions. A row
// without a key gets one made from its label, unique in the salon.
func questionsFromForms(rows []questionForm) []events.Question {
	qs := make([]events.Question, 0, len(rows))
	taken := map[string]bool{}
	for _, r := range rows {
		taken[strings.TrimSpace(r.ID)] = true
	}
	for i, r := range rows {
		q := events.Question{ID: strings.TrimSpace(r.ID), Label: r.Label, LabelZh: r.LabelZh, Type: r.Type,
			Options: strings.Split(r.Options, "\n"), OptionsZh: strings.Split(r.OptionsZh, "\n"), Required: r.Required}
		if q.ID == "" && strings.TrimSpace(r.Label) != "" {
			q.ID = questionKey(r.Label, i, taken)
			taken[q.ID] = true
		}
		qs = append(qs, q)
	}
	events.NormalizeQuestions(qs)
	return qs
}

// questionKey makes a key from an English label ("Dietary needs" gives
// dietary-needs), or q<n> for a label with no Latin letters, with a
// suffix when the key is taken.
func questionKey(label string, i int, taken map[string]bool) string {
	base := events.Slugify(label)
	if len(base) > events.MaxQuestionID-3 {
		base = strings.TrimRight(base[:events.MaxQuestionID-3], "-")
	}
	if !events.ValidQuestionID(base) || (base == "salon" && !strings.Contains(strings.ToLower(label), "salon")) {
		base = "q" + strconv.Itoa(i+1)
	}
	key := base
	for n := 2; taken[key]; n++ {
		key = base + "-" + strconv.Itoa(n)
	}
	return key
}

// editQuestions applies an editor button (add, move up or down, remove a
// row) to the form, and reports whether action was one; the form is then
// shown again, not saved, so nothing needs JavaScript. Any other action
// saves or previews, and empty rows are dropped first.
func (f *salonForm) editQuestions(action string) bool {
	if action == "q_add" {
		if len(f.Questions) < events.MaxQuestions {
			f.Questions = append(f.Questions, questionForm{Type: events.QuestionText})
		}
		return true
	}
	for _, op := range []string{"q_up_", "q_down_", "q_remove_"} {
		n, err := strconv.Atoi(strings.TrimPrefix(action, op))
		if !strings.HasPrefix(action, op) || err != nil {
			continue
		}
		if n < 0 || n >= len(f.Questions) {
			return true
		}
		qs := f.Questions
		switch op {
		case "q_up_":
			if n > 0 {
				qs[n-1], qs[n] = qs[n], qs[n-1]
			}
		case "q_down_":
			if n < len(qs)-1 {
				qs[n+1], qs[n] = qs[n], qs[n+1]
			}
		default:
			f.Questions = append(qs[:n:n], qs[n+1:]...)
		}
		return true
	}
	// Saved or previewed: rows left wholly empty are dropped, so an added
	// row never typed in is no error.
	kept := f.Questions[:0]
	for _, q := range f.Questions {
		if strings.TrimSpace(q.ID+q.Label+q.LabelZh+q.Options+q.OptionsZh) != "" {
			kept = append(kept, q)
		}
	}
	f.Questions = kept
	return false
}

// QuestionTypes are the types the editor offers.
func (p salonFormPage) QuestionTypes() []string { return questionTypes }

// QuestionError is the message of field (id, label, options…) of question
// i, or "".
func (p salonFormPage) QuestionError(i int, field string) string {
	return p.Errors["questions["+strconv.Itoa(i)+"]."+field]
}

// QuestionsFull reports whether the editor holds as many questions as a
// salon may ask.
func (p salonFormPage) QuestionsFull() bool { return len(p.Form.Questions) >= events.MaxQuestions }

// Number counts question i from 1.
func (p salonFormPage) Number(i int) int { return i + 1 }

// LastQuestion reports whether i is the editor's last row.
func (p salonFormPage) LastQuestion(i int) bool { return i == len(p.Form.Questions)-1 }

// answerRow is one answer as the attendee list shows it.
type answerRow struct{ Label, Text string }

// Answers are t's answers to the salon's questions as they are now, in
// their order and in the console's language; answers to questions removed
// since are not shown (they stay in the API and the holder's export).
func (p consoleAttendeesPage) Answers(t *tickets.Ticket) []answerRow {
	var out []answerRow
	for i := range p.Salon.Questions {
		q := &p.Salon.Questions[i]
		if a, ok := t.Answers[q.ID]; ok {
			out = append(out, answerRow{Label: q.LabelIn(p.Lang), Text: web.AnswerText(p.Lang, q, a)})
		}
	}
	return out
}
